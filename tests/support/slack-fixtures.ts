/**
 * Slack deliveries as Slack sends them, for the tests that run Beacon as a real process and post to
 * its /slack/events (the kill, PostgreSQL and scale-out proofs): a bookmark reaction on a thread, a
 * plain channel message, a slash command answered through the fake's response_url, and Slack's
 * retry of any of them. Also the small workspace those deliveries refer to.
 */
import type { FakeSlackApi } from './fake-slack-api.ts'
import type { SignedRequest } from './slack-signing.ts'

export const TEAM = 'T1'

/** Alice and Bob in #general (C1), both in UTC. */
export function seedWorkspace(fake: FakeSlackApi): void {
  fake.users.set('UALICE', { id: 'UALICE', name: 'alice', real_name: 'Alice', tz: 'UTC' })
  fake.users.set('UBOB', { id: 'UBOB', name: 'bob', real_name: 'Bob', tz: 'UTC' })
  fake.channels.set('C1', { id: 'C1', name: 'general' })
}

/** A thread worth saving: Bob's question, Alice's answer one second later. */
export function addThread(fake: FakeSlackApi, root: { channel: string; ts: string }, question: string): void {
  const [seconds, micros] = root.ts.split('.') as [string, string]
  fake.addMessage(root.channel, { ts: root.ts, thread_ts: root.ts, user: 'UBOB', text: question })
  fake.addMessage(root.channel, {
    ts: `${Number(seconds) + 1}.${micros}`,
    thread_ts: root.ts,
    user: 'UALICE',
    text: 'Run `rotate.sh staging`, it takes a minute.',
  })
}

/** Alice's :bookmark: on the root of a thread (Bob's message): the capture trigger. */
export function bookmarkReaction(root: { channel: string; ts: string }, eventId: string) {
  return {
    token: 'legacy',
    team_id: TEAM,
    api_app_id: 'A1',
    type: 'event_callback',
    event_id: eventId,
    event_time: 1700000200,
    event: {
      type: 'reaction_added',
      user: 'UALICE',
      reaction: 'bookmark',
      item: { type: 'message', channel: root.channel, ts: root.ts },
      item_user: 'UBOB',
      event_ts: '1700000200.000100',
    },
  }
}

/** A new top-level message in a channel, at `at` (Slack's ts is the time it was posted). */
export function channelMessage(m: { channel: string; user: string; text: string; at: Date }, eventId: string) {
  const ts = `${Math.floor(m.at.getTime() / 1000)}.${String(m.at.getTime() % 1000).padStart(3, '0')}100`
  return {
    token: 'legacy',
    team_id: TEAM,
    api_app_id: 'A1',
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(m.at.getTime() / 1000),
    event: { type: 'message', channel: m.channel, channel_type: 'channel', user: m.user, text: m.text, ts, event_ts: ts },
  }
}

/** `/task <text>` from Alice in #general; its answer arrives in `fake.responses` under `id`. */
export function taskCommand(fake: FakeSlackApi, text: string, id: string): Record<string, string> {
  return {
    token: 'legacy',
    team_id: TEAM,
    team_domain: 'acme',
    channel_id: 'C1',
    channel_name: 'general',
    user_id: 'UALICE',
    user_name: 'alice',
    command: '/task',
    text,
    api_app_id: 'A1',
    is_enterprise_install: 'false',
    response_url: fake.responseUrl(id),
    trigger_id: `trig.${id}`,
  }
}

/** Slack's retry of a delivery it got no timely 200 for: the same bytes, numbered. */
export function retried(r: SignedRequest): SignedRequest {
  return { ...r, headers: { ...r.headers, 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } }
}

/** Beacon's "Saved to knowledge" confirmations in a thread. */
export function savedConfirmations(fake: FakeSlackApi, root: { channel: string; ts: string }) {
  return fake
    .callsOf('chat.postMessage')
    .filter((c) => c.params.channel === root.channel && c.params.thread_ts === root.ts && /Saved to knowledge/.test(String(c.params.text)))
}
