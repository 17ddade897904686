/**
 * Knowledge capture on Slack with the BullMQ queue on a real Redis: retries and racing savers still make
 * one item and one confirmation. Harness as in knowledge-slack-support.ts.
 */
import { afterAll, beforeAll, expect, it } from 'vitest'
import { FakeSlackApi } from '../support/fake-slack-api.ts'
import { describeWithRedis, getTestRedis, type TestRedis } from '../support/redis.ts'
import { startHarness } from '../adapters/slack/harness.ts'
import { itemsOfThread, settled } from './knowledge-support.ts'
import { waitFor } from '../support/wait.ts'
import { TestClock } from '../support/test-clock.ts'
import { seed, A, seedThreadA, threadId, type Slack, sendEvent, event, reaction, kb, confirmations, resultTitles } from './knowledge-slack-support.ts'

// ---------------------------------------------------------------- BullMQ on a real Redis

const describeRedis = describeWithRedis()

describeRedis('Slack knowledge capture through BullMQ (real Redis)', () => {
  const fake = new FakeSlackApi()
  const clock = TestClock.followingWallClock()
  let redis: TestRedis
  let s: Slack

  beforeAll(async () => {
    redis = await getTestRedis()
    await fake.start()
    seed(fake)
    seedThreadA(fake)
    const h = await startHarness({
      compose: true,
      fake,
      env: { REDIS_URL: redis.url, QUEUE_PREFIX: redis.prefix, KNOWLEDGE_REFRESH_DEBOUNCE_MS: '300' },
      composeOptions: { clock },
    })
    s = { h, fake, clock }
  })
  afterAll(async () => {
    await s?.h.close()
    await redis?.stop()
  })

  it('a reaction, its retry and a second saver racing: one item, one confirmation, and it stays current', async () => {
    const first = reaction(s, 'U3', 'C1', '1700000100.000400')
    await Promise.all([sendEvent(s, first), sendEvent(s, first, 1), sendEvent(s, reaction(s, 'U1', 'C1', A))])
    const [confirmation] = await waitFor(() => confirmations(s, 'C1', A).length > 0 && confirmations(s, 'C1', A), 'the confirmation via BullMQ')
    expect(String(confirmation!.params.text)).toMatch(/@Ada Lovelace, @Grace Hopper, @Linus Torvalds/)
    await settled(() => fake.calls.length, 800)
    expect(confirmations(s, 'C1', A)).toHaveLength(1)
    expect(itemsOfThread(s.h.ctx.db, threadId('C1', A))).toHaveLength(1)
    expect(resultTitles(await kb(s, 'ninety', 'U2'))).toEqual(['How do we rotate the staging kubeconfig credentials? #ops'])

    // A refresh (delayed, deduplicated job) runs on BullMQ too.
    fake.addMessage('C1', { ts: '1700000100.000600', thread_ts: A, user: 'U5', text: 'Also rotate the okapi service account' })
    await sendEvent(
      s,
      event(s, {
        type: 'message',
        channel: 'C1',
        channel_type: 'channel',
        user: 'U5',
        text: 'Also rotate the okapi service account',
        ts: '1700000100.000600',
        thread_ts: A,
      }),
    )
    await waitFor(async () => resultTitles(await kb(s, 'okapi', 'U2')).length === 1, 'the refreshed item via BullMQ')
  })
})
