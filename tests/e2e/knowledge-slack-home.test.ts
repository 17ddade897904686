/**
 * Knowledge on Slack, end to end (App Home and stale items): composeBeacon(loadConfig(…)) + listen(0), a real SQLite
 * file, the in-process job queue, signed requests to POST /slack/events and the fake Web API on
 * SLACK_API_URL. Every assertion is something a person in Slack would notice: the message posted,
 * its text, what /kb answers, what App Home shows. Shared set-up: knowledge-slack-support.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FakeSlackApi } from '../support/fake-slack-api.ts'
import type { TestClock } from '../support/test-clock.ts'
import { waitFor } from '../support/wait.ts'
import { DAY_MS, itemsOfThread } from './knowledge-support.ts'
import { post, signedInteraction } from '../support/slack-signing.ts'
import { SIGNING_SECRET } from '../adapters/slack/harness.ts'
import {
  startKnowledgeSlack,
  stopKnowledgeSlack,
  type Slack,
  A,
  saveSeedThreads,
  threadId,
  sendEvent,
  event,
  readable,
  kb,
  resultTitles,
  nextResponseId,
} from './knowledge-slack-support.ts'

describe('Slack knowledge end to end: App Home and stale items', () => {
  let s: Slack
  let fake: FakeSlackApi
  let clock: TestClock

  beforeAll(async () => {
    s = await startKnowledgeSlack()
    ;({ fake, clock } = s)
    await saveSeedThreads(s)
  })
  afterAll(() => stopKnowledgeSlack(s))

  it('App Home shows recent items and my saved items', async () => {
    const before = fake.callsOf('views.publish').length
    await sendEvent(s, event(s, { type: 'app_home_opened', user: 'U3', channel: 'D3', tab: 'home', event_ts: `${Date.now() / 1000}` }))
    const [view] = await waitFor(
      () => fake.callsOf('views.publish').slice(before).length && fake.callsOf('views.publish').slice(before),
      'views.publish for U3',
    )
    expect(view!.params.user_id).toBe('U3')
    const blocks = JSON.stringify((view!.params.view as { blocks: unknown[] }).blocks)
    const recent = blocks.indexOf('Recent knowledge')
    const mine = blocks.indexOf('Your saved items')
    expect(recent).toBeGreaterThan(-1)
    expect(mine).toBeGreaterThan(recent)
    // Linus saved thread A (reaction) but not the lunch thread (he only wrote it).
    expect(blocks.slice(recent, mine)).toContain('What is the lunch_order process (Fridays)?')
    expect(blocks.slice(mine)).toContain('How do we rotate the staging kubeconfig credentials? #ops')
    expect(blocks.slice(mine)).not.toContain('lunch_order')
    expect(blocks).not.toContain('bluefalcon') // private, and Linus is not a member

    await sendEvent(s, event(s, { type: 'app_home_opened', user: 'U5', channel: 'D5', tab: 'home', event_ts: `${Date.now() / 1000}` }))
    const [other] = await waitFor(
      () => fake.callsOf('views.publish').slice(before + 1).length && fake.callsOf('views.publish').slice(before + 1),
      'views.publish for U5',
    )
    expect(other!.params.user_id).toBe('U5')
    expect(JSON.stringify(other!.params.view)).toContain('How do we rotate the staging kubeconfig credentials? #ops') // U5 saved it in the race
  })

  it('the stale-knowledge job DMs the saver Keep / Archive; Archive archives it', async () => {
    clock.advance(200 * DAY_MS)
    const before = fake.callsOf('chat.postMessage').length
    await s.h.ctx.queue.runNow('knowledge.stale-scan')
    const dms = fake.callsOf('chat.postMessage').slice(before)
    const ask = dms.find((c) => String(c.params.text).includes('How do we rotate the staging kubeconfig credentials?'))
    expect(ask, 'a DM about thread A').toBeDefined()
    // First saver of thread A was Linus (U3): the DM goes to his IM.
    expect(ask!.params.channel).toBe('DU3')
    expect(fake.callsOf('conversations.open').some((c) => c.params.users === 'U3')).toBe(true)
    expect(String(ask!.params.text)).toContain('is it still useful?')
    const buttons =
      (ask!.params.blocks as { type: string; elements?: { action_id: string; value: string; text: { text: string } }[] }[]).find(
        (b) => b.type === 'actions',
      )?.elements ?? []
    expect(buttons.map((b) => b.text.text)).toEqual(['Keep', 'Archive'])
    const archive = buttons.find((b) => b.action_id === 'kb:archive')!

    // Running the sweep again right away asks nobody twice.
    const afterFirst = fake.callsOf('chat.postMessage').length
    await s.h.ctx.queue.runNow('knowledge.stale-scan')
    expect(fake.callsOf('chat.postMessage').length).toBe(afterFirst)

    const click = async (user: string, id: string) => {
      const r = await post(
        s.h.eventsUrl,
        signedInteraction(SIGNING_SECRET, {
          type: 'block_actions',
          trigger_id: `trig.${id}`,
          team: { id: 'T1', domain: 'acme' },
          user: { id: user, team_id: 'T1' },
          api_app_id: 'A1',
          container: { type: 'message', message_ts: String(ask!.params.ts ?? '1700000999.000100'), channel_id: 'DU3', is_ephemeral: false },
          channel: { id: 'DU3', name: 'directmessage' },
          message: { type: 'message', ts: '1700000999.000100', text: String(ask!.params.text) },
          response_url: fake.responseUrl(id),
          actions: [
            {
              type: 'button',
              action_id: archive.action_id,
              block_id: 'b1',
              value: archive.value,
              action_ts: `${Date.now() / 1000}`,
              text: { type: 'plain_text', text: 'Archive' },
            },
          ],
        }),
      )
      expect(r.status).toBe(200)
      return readable(await waitFor(() => fake.responses.find((x) => x.id === id), 'the button answer'))
    }
    // Someone who neither saved nor wrote it cannot archive it.
    const refused = await click('U6', nextResponseId())
    expect(refused.all).toContain('Only the people who saved or wrote')
    expect(resultTitles(await kb(s, 'kubeconfig', 'U6'))).toEqual(['How do we rotate the staging kubeconfig credentials? #ops'])

    const done = await click('U3', nextResponseId())
    expect(done.body.replace_original).toBe(true)
    expect(done.all).toContain('Archived')
    expect((await kb(s, 'kubeconfig', 'U3')).all).toContain('No saved knowledge matches')
    expect(itemsOfThread(s.h.ctx.db, threadId('C1', A))).toMatchObject([{ status: 'archived' }])
  })
})
