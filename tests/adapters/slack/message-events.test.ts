/**
 * Plain message events, the bulk of what Slack sends, as a person in the workspace sees them handled:
 * Beacon's own posts are never taken for a person's (Bolt's ignoreSelf rules: its bot user, its bot
 * id), other bots' are handled as before, thread replies answer in the thread, edits reach the core,
 * and a delivery replayed after a restart is handled the same way as a live one. Each check waits
 * until the delivery's inbox row is done, so "not dispatched" means the work finished without it.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Capability } from '../../../src/core/capability.ts'
import type { InboundEvent } from '../../../src/core/events.ts'
import { closeDb, openDb } from '../../../src/storage/db.ts'
import { SqliteInbox } from '../../../src/storage/repositories/inbox.ts'
import { inboxDone } from '../../durability/support.ts'
import { FakeSlackApi } from '../../support/fake-slack-api.ts'
import { post, signedJson } from '../../support/slack-signing.ts'
import { waitFor } from '../../support/wait.ts'
import { envelope, SIGNING_SECRET, startHarness, type Harness } from './harness.ts'

const echo: Capability = {
  name: 'echo',
  on: {
    'message.posted': async (e, turn) => {
      if (e.message.text === 'echo please') await turn.reply({ text: `seen: ${e.message.text}` })
    },
  },
}

let h: Harness

/** Sends one message event and waits until Beacon finished its work; what the core saw of it. */
async function deliver(event: Record<string, unknown>, extra: Record<string, unknown> = {}, harness = h): Promise<InboundEvent[]> {
  const body = envelope({ channel: 'C1', channel_type: 'channel', ...event, type: 'message' }, extra)
  const r = await post(harness.eventsUrl, signedJson(SIGNING_SECRET, body))
  expect(r.status).toBe(200)
  await inboxDone(harness.ctx.db!, 'slack', `event:${String(body.event_id)}`)
  return harness.dispatcher!.seen.filter((s) => s.event.eventId === body.event_id).map((s) => s.event)
}

beforeAll(async () => {
  h = await startHarness({ capabilities: [echo] })
})
afterAll(async () => {
  await h.close()
})

describe('Slack message events', () => {
  it('a person’s message reaches the core once, with its author and text', async () => {
    const seen = await deliver({ user: 'U1', text: 'hello there', ts: '1700001000.000100' })
    expect(seen).toHaveLength(1)
    expect(seen[0]).toMatchObject({ type: 'message.posted', workspace: 'slack:T1', message: { text: 'hello there', author: { id: 'U1' } } })
  })

  it('ignores whatever Beacon’s own bot user does, even a change Beacon handles from people', async () => {
    // Bolt's ignoreSelf drops every event whose user is the app's bot user (auth.test: UBOT).
    expect(await deliver({ subtype: 'channel_convert_to_private', user: 'UBOT', ts: '1700001100.000100' })).toEqual([])
    expect(await deliver({ user: 'UBOT', text: 'Saved!', ts: '1700001101.000100' })).toEqual([])
    expect(await deliver({ subtype: 'bot_message', bot_id: 'BBOT', text: 'Saved!', ts: '1700001102.000100' })).toEqual([])
    // The same change by a person is handled.
    const byPerson = await deliver({ subtype: 'channel_convert_to_private', user: 'U1', ts: '1700001103.000100' })
    expect(byPerson).toMatchObject([{ type: 'conversation.privacy-changed', conversation: { id: 'C1', privacy: 'private' } }])
  })

  it('another bot’s post is not a person’s message, but its channel change is handled as before', async () => {
    expect(await deliver({ subtype: 'bot_message', bot_id: 'B9', text: 'alert', ts: '1700001200.000100' })).toEqual([])
    expect(await deliver({ user: 'U9', bot_id: 'B9', text: 'alert', ts: '1700001201.000100' })).toEqual([])
    const converted = await deliver({ subtype: 'channel_convert_to_public', user: 'U9', ts: '1700001202.000100' })
    expect(converted).toMatchObject([{ type: 'conversation.privacy-changed', conversation: { privacy: 'public' } }])
  })

  it('a reply in a thread belongs to that thread and is answered there', async () => {
    const seen = await deliver({ user: 'U1', text: 'echo please', ts: '1700001301.000100', thread_ts: '1700001300.000100' })
    expect(seen).toMatchObject([{ type: 'message.posted', message: { threadId: 'slack:T1:C1:1700001300.000100' } }])
    const call = await waitFor(() => h.fake.callsOf('chat.postMessage').find((c) => c.params.text === 'seen: echo please'))
    expect(call.params).toMatchObject({ channel: 'C1', thread_ts: '1700001300.000100' })
  })

  it('an edit reaches the core as an edit; an edit of Beacon’s own post does not', async () => {
    const edited = await deliver({
      subtype: 'message_changed',
      message: { type: 'message', user: 'U1', text: 'new words', ts: '1700001400.000100', edited: { user: 'U1', ts: '1700001405.000000' } },
      previous_message: { type: 'message', user: 'U1', text: 'old words', ts: '1700001400.000100' },
      ts: '1700001405.000200',
    })
    expect(edited).toMatchObject([{ type: 'message.edited', message: { id: '1700001400.000100', text: 'new words' } }])
    const own = await deliver({
      subtype: 'message_changed',
      message: { type: 'message', user: 'UBOT', bot_id: 'BBOT', text: 'Saved (2)', ts: '1700001410.000100', edited: { ts: '1700001411.0' } },
      previous_message: { type: 'message', user: 'UBOT', bot_id: 'BBOT', text: 'Saved', ts: '1700001410.000100' },
      ts: '1700001411.000200',
    })
    expect(own).toEqual([])
  })

  it('a 1 MB message of quotes, backslashes, emoji and right-to-left text is stored, acked and reaches the core whole', async () => {
    const unit = 'He said "hi" \\ ok 👩🏽‍💻 مرحبا <not a link> & more\u0000 '
    const text = unit.repeat(Math.ceil(1_000_000 / unit.length))
    const seen = await deliver({ user: 'U1', text, ts: '1700001450.000100' })
    expect(seen).toHaveLength(1)
    expect(seen[0]).toMatchObject({ type: 'message.posted', message: { author: { id: 'U1' } } })
    const got = (seen[0] as { message: { text: string } }).message.text
    expect(got.length).toBeGreaterThan(900_000)
    expect(got).toContain('He said "hi" \\ ok 👩🏽‍💻 مرحبا')
  })

  it('a Slack retry of a message already accepted is acked and not handled again', async () => {
    const body = envelope({ type: 'message', channel: 'C1', user: 'U1', text: 'only once', ts: '1700001500.000100' })
    for (let i = 0; i < 2; i++) expect((await post(h.eventsUrl, signedJson(SIGNING_SECRET, body))).status).toBe(200)
    await inboxDone(h.ctx.db!, 'slack', `event:${String(body.event_id)}`)
    expect(h.dispatcher!.seen.filter((s) => s.event.eventId === body.event_id)).toHaveLength(1)
  })
})

describe('Slack message events replayed after a restart', () => {
  it('are handled as live ones: a person’s message once, Beacon’s own activity not at all', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'beacon-slack-replay-'))
    const fake = await new FakeSlackApi().start()
    try {
      // A first process creates the database; then two deliveries it accepted but never finished.
      await (await startHarness({ fake, keepFake: true, dataDir: dir, capabilities: [echo] })).close()
      const person = envelope({ type: 'message', channel: 'C1', user: 'U1', text: 'before the crash', ts: '1700001600.000100' })
      const own = envelope({ type: 'message', subtype: 'channel_convert_to_private', channel: 'C1', user: 'UBOT', ts: '1700001601.000100' })
      const db = openDb(join(dir, 'beacon.db'))
      const store = new SqliteInbox(db)
      for (const b of [person, own]) {
        const row = { source: 'slack', key: `event:${String(b.event_id)}`, body: JSON.stringify(b), owner: 'gone-host:1', leaseUntil: 0 }
        await store.insert({ ...row, receivedAt: Date.now() })
      }
      closeDb(db)
      const next = await startHarness({ fake, keepFake: true, dataDir: dir, capabilities: [echo] })
      try {
        for (const b of [person, own]) await inboxDone(next.ctx.db!, 'slack', `event:${String(b.event_id)}`)
        const seen = next.dispatcher!.seen.map((s) => s.event)
        expect(seen.filter((e) => e.eventId === person.event_id)).toMatchObject([{ type: 'message.posted', message: { text: 'before the crash' } }])
        expect(seen.filter((e) => e.eventId === own.event_id)).toEqual([])
      } finally {
        await next.close()
      }
    } finally {
      await fake.stop()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
