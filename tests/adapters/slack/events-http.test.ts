/** Events API deliveries through the signed HTTP endpoint: what reaches the core and where replies go. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Capability } from '../../../src/core/capability.ts'
import type { ReactionAdded } from '../../../src/core/events.ts'
import { post, signedJson } from '../../support/slack-signing.ts'
import { envelope, SIGNING_SECRET, startHarness, type Harness } from './harness.ts'
import { waitFor } from '../../support/wait.ts'

let h: Harness

const home: Capability = {
  name: 'home',
  on: {
    'home.opened': async (e, _turn) => {
      await h.ctx.platforms.forWorkspace(e.workspace).publishHome!(e.workspace, e.person.id, {
        blocks: [{ type: 'text', text: `Hi <@${e.person.id}>` }],
      })
    },
    'reaction.added': async (e: ReactionAdded) => {
      const thread = await h.ctx.platforms.forWorkspace(e.workspace).threadOf(e.conversation, e.messageId)
      reactedThreads.push(thread)
    },
  },
}
const reactedThreads: string[] = []

beforeAll(async () => {
  h = await startHarness({ capabilities: [home] })
})
afterAll(async () => {
  await h.close()
})

const send = (event: Record<string, unknown>) => post(h.eventsUrl, signedJson(SIGNING_SECRET, envelope(event)))

describe('Events API over HTTP', () => {
  it('answers "@Beacon help" privately right under a top-level mention', async () => {
    const r = await send({
      type: 'app_mention',
      user: 'U1',
      text: '<@UBOT> help',
      ts: '1700000100.000100',
      channel: 'C1',
      event_ts: '1700000100.000100',
    })
    expect(r.status).toBe(200)
    const call = await waitFor(() => h.fake.callsOf('chat.postEphemeral')[0])
    expect(call.params).toMatchObject({ channel: 'C1', user: 'U1' })
    // Slack shows an ephemeral message in a thread only once that thread has replies.
    expect(call.params.thread_ts).toBeUndefined()
    expect(String(call.params.text)).toContain('Beacon')
  })

  it('never dispatches Beacon’s own messages', async () => {
    await send({ type: 'message', channel: 'C1', user: 'UBOT', bot_id: 'BBOT', text: 'Saved!', ts: '1700000200.000100' })
    await send({ type: 'message', subtype: 'bot_message', channel: 'C1', bot_id: 'B9', text: 'alert', ts: '1700000201.000100' })
    await send({ type: 'message', channel: 'C1', user: 'U1', text: 'a person', ts: '1700000202.000100' })
    const texts = () => h.dispatcher!.seen.flatMap((s) => (s.event.type === 'message.posted' ? [s.event.message.text] : []))
    await waitFor(() => texts().includes('a person'))
    expect(texts()).not.toContain('Saved!')
    expect(texts()).not.toContain('alert')
  })

  it('a reaction reaches the core without a thread id, and threadOf finds it', async () => {
    h.fake.addMessage('C1', { ts: '1700000300.000100', user: 'U1', text: 'root' })
    h.fake.addMessage('C1', { ts: '1700000301.000100', thread_ts: '1700000300.000100', user: 'U2', text: 'the answer' })
    await send({
      type: 'reaction_added',
      user: 'U1',
      reaction: 'bookmark',
      item_user: 'U2',
      item: { type: 'message', channel: 'C1', ts: '1700000301.000100' },
      event_ts: '1700000302.000100',
    })
    const thread = await waitFor(() => reactedThreads[0])
    expect(thread).toBe('slack:T1:C1:1700000300.000100')
    const seen = h.dispatcher!.seen.find((s) => s.event.type === 'reaction.added')!
    expect(seen.event).not.toHaveProperty('threadId')
  })

  it('publishes App Home when it is opened', async () => {
    await send({ type: 'app_home_opened', user: 'U1', channel: 'D1', tab: 'home', event_ts: '1700000400.000100' })
    const call = await waitFor(() => h.fake.callsOf('views.publish')[0])
    expect(call.params).toMatchObject({ user_id: 'U1', view: { type: 'home' } })
  })

  it('registers a team on its first event', async () => {
    expect(await h.ctx.repos.workspaces.get('slack:T1')).toMatchObject({ name: 'Acme' })
  })
})
