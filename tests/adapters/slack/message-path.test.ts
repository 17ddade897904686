/**
 * The short path for message events (adapters/slack/message-path.ts) copies two of Bolt's rules: the
 * source it authorizes a body with, and ignoreSelf. Each is compared here with Bolt itself, body by
 * body, so a Bolt upgrade that changes either makes this fail before Beacon drops someone's message
 * or answers its own.
 */
import type { AuthorizeSourceData } from '@slack/bolt'
import * as Bolt from '@slack/bolt'
import { describe, expect, it } from 'vitest'
import type { InboxRun } from '../../../src/core/adapter-host.ts'
import { App } from '../../../adapters/slack/bolt.ts'
import { IntakeApp } from '../../../adapters/slack/intake.ts'
import { authorizeSource, fromThisApp, isPlainMessage, type PlainMessageBody } from '../../../adapters/slack/message-path.ts'

const events: Record<string, unknown>[] = [
  { type: 'message', user: 'U1', text: 'hi', channel: 'C1', ts: '1.1' },
  { type: 'message', user: 'UBOT', text: 'Saved!', channel: 'C1', ts: '1.2' },
  { type: 'message', subtype: 'bot_message', bot_id: 'BBOT', text: 'Saved!', channel: 'C1', ts: '1.3' },
  { type: 'message', subtype: 'bot_message', bot_id: 'B9', text: 'alert', channel: 'C1', ts: '1.4' },
  { type: 'message', subtype: 'bot_message', bot_id: 'BBOT', user: 'U1', channel: 'C1', ts: '1.5' },
  { type: 'message', subtype: 'channel_convert_to_private', user: 'UBOT', channel: 'C1', ts: '1.6' },
  { type: 'message', subtype: 'message_changed', channel: 'C1', message: { user: 'UBOT', text: 'x' }, ts: '1.7' },
]
const contexts = [{ botId: 'BBOT', botUserId: 'UBOT' }, { botId: 'BBOT' }, { botUserId: 'UBOT' }, {}]

/** What Bolt's own ignoreSelf middleware does with a message event: true when it stops it. */
async function boltIgnores(event: Record<string, unknown>, context: Record<string, unknown>): Promise<boolean> {
  let passed = false
  const args = { event, message: event, context, next: async () => void (passed = true) }
  await Bolt.ignoreSelf(args as unknown as Parameters<typeof Bolt.ignoreSelf>[0])
  return !passed
}

/** The source Bolt's processEvent hands to `authorize` for this body. */
async function boltSource(body: Record<string, unknown>): Promise<AuthorizeSourceData<boolean>> {
  let seen: AuthorizeSourceData<boolean> | undefined
  const app = new App({
    signingSecret: 'unused',
    authorize: async (source) => {
      seen = source
      return { botToken: 'xoxb-test', botId: 'BBOT', botUserId: 'UBOT' }
    },
  })
  await app.processEvent({ body, ack: async () => undefined })
  if (!seen) throw new Error('Bolt did not authorize the body')
  return seen
}

describe('the message short path keeps Bolt’s rules', () => {
  it('drops exactly the events Bolt’s ignoreSelf drops, for every way an install knows itself', async () => {
    for (const event of events) {
      for (const context of contexts) {
        const ours = fromThisApp(event as PlainMessageBody['event'], context)
        expect({ event, context, ignored: ours }).toEqual({ event, context, ignored: await boltIgnores(event, context) })
      }
    }
  })

  it('authorizes a body with the source Bolt would: team and enterprise from authorizations first, user and channel from the event', async () => {
    const bodies: Record<string, unknown>[] = [
      { type: 'event_callback', team_id: 'T1', event_id: 'Ev1', event: events[0] },
      { type: 'event_callback', team_id: 'T1', enterprise_id: 'E1', event_id: 'Ev2', event: events[0] },
      {
        type: 'event_callback',
        team_id: 'T1',
        event_id: 'Ev3',
        event: events[3],
        authorizations: [{ team_id: 'T2', enterprise_id: 'E2', user_id: 'UB', is_enterprise_install: false }],
      },
      { type: 'event_callback', team_id: 'T1', event_id: 'Ev4', event: events[6], authorizations: [] },
    ]
    for (const body of bodies) {
      expect(isPlainMessage(body)).toBe(true)
      const bolt = await boltSource(body)
      expect(authorizeSource(body as PlainMessageBody)).toEqual(JSON.parse(JSON.stringify(bolt)))
    }
  })

  it('leaves org-wide installs and workflow payloads to Bolt', () => {
    const base = { type: 'event_callback', team_id: 'T1', event_id: 'Ev5', event: events[0] }
    expect(isPlainMessage({ ...base, is_enterprise_install: true })).toBe(false)
    expect(isPlainMessage({ ...base, authorizations: [{ team_id: null, enterprise_id: 'E1', is_enterprise_install: true }] })).toBe(false)
    expect(isPlainMessage({ ...base, function_data: { execution_id: 'Fx1' } })).toBe(false)
    expect(isPlainMessage({ ...base, event: { type: 'reaction_added', user: 'U1' } })).toBe(false)
  })
})

/** An app as Beacon builds it for one workspace token; `short` turns the message path on. */
function intakeApp(short: boolean, seen: Record<string, unknown>[]): IntakeApp {
  const app = new IntakeApp({ signingSecret: 'unused', token: 'xoxb-test', botId: 'BBOT', botUserId: 'UBOT' })
  // Data only: Bolt's per-request helpers (updateConversation) are what the short path leaves out on purpose.
  const keep = (context: Record<string, unknown>) =>
    void seen.push(Object.fromEntries(Object.entries(context).filter(([k, v]) => typeof v !== 'function' && k !== 'beaconInbox')))
  app.use(async ({ context }) => keep(context))
  if (short) app.useMessageListener(async (_body, context) => keep(context))
  return app
}

describe('the message short path hands listeners Bolt’s context', () => {
  const run: InboxRun = { id: 1, replay: true, ledger: { once: async (effect) => effect() } }
  const body = {
    type: 'event_callback',
    team_id: 'T1',
    enterprise_id: 'E1',
    event_id: 'Ev9',
    event: { type: 'message', user: 'U1', text: 'hi', channel: 'C1', ts: '2.1' },
  }

  it('with the team, user and enterprise Bolt fills in from the body when authorize leaves them out', async () => {
    const [bolt, short]: Record<string, unknown>[][] = [[], []]
    await intakeApp(false, bolt!).replay(body, run)
    await intakeApp(true, short!).replay(body, run)
    expect(bolt).toHaveLength(1)
    expect(short).toEqual(bolt)
    expect(short![0]).toMatchObject({ teamId: 'T1', userId: 'U1', enterpriseId: 'E1', botUserId: 'UBOT', botId: 'BBOT' })
  })

  it('falls back to Bolt’s whole path when this Bolt lacks a step the short path borrows', async () => {
    const seen: Record<string, unknown>[] = []
    const app = new IntakeApp({ signingSecret: 'unused', token: 'xoxb-test', botId: 'BBOT', botUserId: 'UBOT' })
    Object.defineProperty(app, 'handleError', { value: undefined })
    app.use(async ({ context }) => void seen.push(context))
    let shortPath = false
    app.useMessageListener(async () => void (shortPath = true))
    await app.replay(body, run)
    expect(shortPath).toBe(false)
    expect(seen).toHaveLength(1) // Bolt's path handled it
  })
})
