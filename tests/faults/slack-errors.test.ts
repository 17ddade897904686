/**
 * Slack answers 429 (with Retry-After) and 5xx while a capture job reads the thread and posts its
 * confirmation: the calls are retried (Retry-After honoured), and the person still sees exactly one
 * saved item and one "Saved to knowledge" message.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FakeSlackApi } from '../support/fake-slack-api.ts'
import { post, signedJson } from '../support/slack-signing.ts'
import { envelope, SIGNING_SECRET, startHarness, type Harness } from '../adapters/slack/harness.ts'
import { failedJobs, itemsOfThread, jobsIdle, settled } from '../e2e/knowledge-support.ts'
import { seedWorkspace } from '../load/traffic.ts'
import { waitFor } from '../support/wait.ts'

describe('Slack 429 and 5xx during a capture job', () => {
  const fake = new FakeSlackApi()
  let h: Harness
  let roots: { channel: string; ts: string }[]

  beforeAll(async () => {
    await fake.start()
    roots = seedWorkspace(fake, 3, 'ratelimit')
    fake.storePosts = true // like Slack, a post exists only once it was accepted
    h = await startHarness({ compose: true, fake })
  })
  afterAll(async () => {
    await h?.close()
  })

  /** Confirmations people can see in the thread: posts Slack accepted (refused tries are not messages). */
  const confirmations = (root: { channel: string; ts: string }) =>
    (fake.messages.get(root.channel) ?? []).filter((m) => m.bot_id && m.thread_ts === root.ts && m.text.includes('Saved to knowledge'))

  async function save(root: { channel: string; ts: string }): Promise<void> {
    const body = envelope({
      type: 'reaction_added',
      user: 'U2',
      reaction: 'bookmark',
      item_user: 'U1',
      item: { type: 'message', channel: root.channel, ts: root.ts },
      event_ts: `${Date.now() / 1000}`,
    })
    expect((await post(h.eventsUrl, signedJson(SIGNING_SECRET, body))).status).toBe(200)
  }

  it('429 with Retry-After on conversations.replies and chat.postMessage: waited out, then one item and one confirmation', {
    timeout: 30_000,
  }, async () => {
    const root = roots[0]!
    fake.failNext('conversations.replies', { status: 429, retryAfter: 1 })
    fake.failNext('chat.postMessage', { status: 429, retryAfter: 1 })
    await save(root)
    await waitFor(() => confirmations(root).length > 0, 'the confirmation', 15_000)
    await jobsIdle(h.ctx.db)
    await settled(() => fake.calls.length, 800)
    expect(itemsOfThread(h.ctx.db, `slack:T1:${root.channel}:${root.ts}`)).toHaveLength(1)
    expect(confirmations(root)).toHaveLength(1)
    // Retry-After: 1 was honoured: the retry of the rate-limited read came at least a second later.
    const reads = fake.callsOf('conversations.replies').filter((c) => c.params.ts === root.ts)
    expect(reads.length).toBeGreaterThanOrEqual(2)
    expect(reads[1]!.at - reads[0]!.at).toBeGreaterThanOrEqual(950)
  })

  it('5xx on both, several times: retried with backoff, still one item and one confirmation', { timeout: 45_000 }, async () => {
    const root = roots[1]!
    fake.failNext('conversations.replies', { status: 503 }, 2)
    fake.failNext('chat.postMessage', { status: 500 }, 3)
    await save(root)
    await waitFor(() => confirmations(root).length > 0, 'the confirmation', 30_000)
    await jobsIdle(h.ctx.db, 30_000)
    await settled(() => fake.calls.length, 800)
    expect(itemsOfThread(h.ctx.db, `slack:T1:${root.channel}:${root.ts}`)).toHaveLength(1)
    expect(confirmations(root)).toHaveLength(1)
    const posts = fake.callsOf('chat.postMessage').filter((c) => c.params.thread_ts === root.ts)
    expect(posts.length).toBe(4) // three refused, one accepted
    // Exponential backoff (RETRY_CONFIG: 500 ms, doubling, randomized upwards only): each gap is at
    // least twice the previous minimum. Lower bounds only: a busy machine makes gaps longer, never shorter.
    const gaps = posts.slice(1).map((p, i) => p.at - posts[i]!.at)
    const EARLY_MARGIN_MS = 5
    expect(gaps).toHaveLength(3)
    for (const [k, gap] of gaps.entries())
      expect(gap, `gap ${k + 1} of ${JSON.stringify(gaps)}`).toBeGreaterThanOrEqual(500 * 2 ** k - EARLY_MARGIN_MS)
    expect(failedJobs(h.ctx.db)).toEqual([])
  })
})
