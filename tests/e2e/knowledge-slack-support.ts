/**
 * Shared by the knowledge-slack*.test.ts files: the fake workspace (people, channels, thread A) and
 * the ways a test talks to Beacon like Slack does — signed events, slash commands, the shortcut — and
 * reads what people see.
 */
import { expect } from 'vitest'
import { FakeSlackApi, type ResponseUrlCall } from '../support/fake-slack-api.ts'
import { post, signedForm, signedInteraction, signedJson } from '../support/slack-signing.ts'
import { envelope, SIGNING_SECRET, startHarness, type Harness } from '../adapters/slack/harness.ts'
import { failedJobs, jobsIdle, settled } from './knowledge-support.ts'
import { waitFor } from '../support/wait.ts'
import { TestClock } from '../support/test-clock.ts'

// ---------------------------------------------------------------- the workspace

export const USERS = {
  U1: 'Ada Lovelace',
  U2: 'Grace Hopper',
  U3: 'Linus Torvalds',
  U4: 'Margaret Hamilton',
  U5: 'Ken Thompson',
  U6: 'Dennis Ritchie',
} as const

export function seed(fake: FakeSlackApi): void {
  for (const [id, name] of Object.entries(USERS))
    fake.users.set(id, {
      id,
      name: name.split(' ')[0]!.toLowerCase(),
      real_name: name,
      tz: 'Europe/Paris',
      profile: { display_name: name, real_name: name },
    })
  fake.channels.set('C1', { id: 'C1', name: 'general', is_private: false })
  fake.channels.set('C2', { id: 'C2', name: 'help-desk', is_private: false })
  fake.channels.set('C3', { id: 'C3', name: 'random', is_private: false })
  fake.channels.set('G1', { id: 'G1', name: 'secret-ops', is_private: true })
  fake.members.set('G1', ['U1', 'U2'])
  fake.storePosts = true
}

/** Thread A in #general: a root and four replies, so conversations.replies takes two pages of two. */
export const A = '1700000100.000100'
export function seedThreadA(fake: FakeSlackApi): void {
  fake.addMessage('C1', { ts: A, thread_ts: A, user: 'U1', text: 'How do we rotate the staging kubeconfig credentials? #ops' })
  fake.addMessage('C1', {
    ts: '1700000100.000200',
    thread_ts: A,
    user: 'U2',
    text: 'Run the rotate script from the ops repo, then restart the pods.',
  })
  fake.addMessage('C1', { ts: '1700000100.000300', thread_ts: A, user: 'U3', text: '<@U2> which repo exactly?' })
  fake.addMessage('C1', {
    ts: '1700000100.000400',
    thread_ts: A,
    user: 'U2',
    text: 'The platform-tools repo, see <https://wiki.example.com/rotate|the runbook>.',
  })
  fake.addMessage('C1', { ts: '1700000100.000500', thread_ts: A, user: 'U1', text: 'Credentials expire every ninety days, so calendar it.' })
}

/** Thread B in #general: Ken asks where the VPN bundle is. */
export const B = '1700000200.000100'
export function seedThreadB(fake: FakeSlackApi): void {
  fake.addMessage('C1', { ts: B, thread_ts: B, user: 'U5', text: 'Where is the VPN certificate bundle?' })
  fake.addMessage('C1', { ts: '1700000200.000200', thread_ts: B, user: 'U1', text: 'In the IT portal under downloads #vpn' })
  fake.addMessage('C1', { ts: '1700000200.000300', thread_ts: B, user: 'U2', text: 'And rename it to corp.ovpn' })
}

/** Thread C in #random, saved with the message shortcut on Margaret's reply. */
export const C = '1700000300.000100'
export const lunchReply = {
  type: 'message',
  user: 'U4',
  ts: '1700000300.000200',
  thread_ts: C,
  text: 'Post in the lunch sheet by 11, the papaya salad is popular',
}
export function seedThreadC(fake: FakeSlackApi): void {
  fake.addMessage('C3', { ts: C, thread_ts: C, user: 'U3', text: 'What is the lunch_order process (Fridays)?' })
  fake.addMessage('C3', lunchReply)
  fake.addMessage('C3', { ts: '1700000300.000300', thread_ts: C, user: 'U5', text: 'Budget is 15 per person' })
  fake.addMessage('C3', { ts: '1700000300.000400', thread_ts: C, user: 'U3', text: 'Thanks both!' })
}

export const threadId = (channel: string, ts: string, team = 'T1') => `slack:${team}:${channel}:${ts}`
export const permalink = (channel: string, ts: string) => `https://acme.slack.com/archives/${channel}/p${ts.replace('.', '')}`

// ---------------------------------------------------------------- one Beacon per test file

/** Beacon composed as `npm start` would, on the fake workspace, with a short refresh debounce. */
export async function startKnowledgeSlack(): Promise<Slack> {
  const fake = await new FakeSlackApi().start()
  seed(fake)
  seedThreadA(fake)
  const clock = TestClock.followingWallClock()
  const h = await startHarness({ compose: true, fake, env: { KNOWLEDGE_REFRESH_DEBOUNCE_MS: '300' }, composeOptions: { clock } })
  return { h, fake, clock }
}

export async function stopKnowledgeSlack(s: Slack | undefined): Promise<void> {
  const failed = s ? failedJobs(s.h.ctx.db) : []
  await s?.h.close()
  // A job that failed for good is a bug somewhere even if every visible effect looked right.
  expect(failed).toEqual([])
}

/**
 * Threads A, B and C saved as people save them: Linus reacts on a reply of A first (so he is its
 * first saver), Ken saves A too, Ada saves B, Margaret uses the shortcut on C.
 */
export async function saveSeedThreads(s: Slack): Promise<void> {
  seedThreadB(s.fake)
  seedThreadC(s.fake)
  await sendEvent(s, reaction(s, 'U3', 'C1', '1700000100.000300'))
  await waitFor(() => confirmations(s, 'C1', A).length === 1, 'thread A saved')
  await sendEvent(s, reaction(s, 'U5', 'C1', '1700000100.000200'))
  await sendEvent(s, reaction(s, 'U1', 'C1', B))
  expect((await shortcut(s, 'U4', { id: 'C3', name: 'random' }, lunchReply).send()).status).toBe(200)
  await waitFor(() => confirmations(s, 'C1', B).length === 1 && confirmations(s, 'C3', C).length === 1, 'threads B and C saved')
  await quiet(s)
}

// ---------------------------------------------------------------- talking to Beacon like Slack does

export interface Slack {
  h: Harness
  fake: FakeSlackApi
  clock: TestClock
}

let seq = 0
/** A response_url id no other request in this process has used. */
export const nextResponseId = () => `resp-${++seq}`

export async function sendEvent(s: Slack, body: Record<string, unknown>, retryNum?: number): Promise<void> {
  const extraHeaders: Record<string, string> = retryNum ? { 'x-slack-retry-num': String(retryNum), 'x-slack-retry-reason': 'http_timeout' } : {}
  const r = await post(s.h.eventsUrl, signedJson(SIGNING_SECRET, body, { extraHeaders }))
  expect(r.status).toBe(200)
  expect(r.ms).toBeLessThan(3000)
}

export function event(s: Slack, e: Record<string, unknown>, team = 'T1'): Record<string, unknown> {
  return envelope(e, { team_id: team, event_time: Math.floor(s.clock.now().getTime() / 1000) })
}

export const reaction = (s: Slack, user: string, channel: string, ts: string, name = 'bookmark', team = 'T1') =>
  event(
    s,
    { type: 'reaction_added', user, reaction: name, item_user: 'U1', item: { type: 'message', channel, ts }, event_ts: `${Date.now() / 1000}` },
    team,
  )

export interface Answer {
  body: Record<string, unknown>
  /** Fallback text plus every block, flattened: what the person reads. */
  all: string
}

export function readable(call: ResponseUrlCall | { body: Record<string, unknown> }): Answer {
  return { body: call.body, all: `${String(call.body.text ?? '')}\n${JSON.stringify(call.body.blocks ?? [])}` }
}

export async function command(
  s: Slack,
  cmd: string,
  text: string,
  user = 'U1',
  channel = { id: 'C1', name: 'general' },
  team = 'T1',
): Promise<Answer> {
  const id = nextResponseId()
  const r = await post(
    s.h.eventsUrl,
    signedForm(SIGNING_SECRET, {
      token: 't',
      team_id: team,
      team_domain: 'acme',
      channel_id: channel.id,
      channel_name: channel.name,
      user_id: user,
      user_name: user.toLowerCase(),
      command: cmd,
      text,
      api_app_id: 'A1',
      is_enterprise_install: 'false',
      response_url: s.fake.responseUrl(id),
      trigger_id: `trig.${id}`,
    }),
  )
  expect(r.status).toBe(200)
  expect(r.ms).toBeLessThan(3000)
  return readable(await waitFor(() => s.fake.responses.find((x) => x.id === id), `the answer to ${cmd} ${text.slice(0, 40)}`))
}

export const kb = (s: Slack, text: string, user = 'U1', channel = { id: 'C1', name: 'general' }, team = 'T1') =>
  command(s, '/kb', text, user, channel, team)

export function shortcut(s: Slack, user: string, channel: { id: string; name: string }, message: Record<string, unknown>) {
  const id = nextResponseId()
  const payload = {
    type: 'message_action',
    callback_id: 'save_to_knowledge',
    trigger_id: `trig.${id}`,
    action_ts: `${Date.now() / 1000}`,
    team: { id: 'T1', domain: 'acme' },
    user: { id: user, username: user.toLowerCase(), team_id: 'T1' },
    channel,
    message,
    message_ts: message.ts,
    response_url: s.fake.responseUrl(id),
  }
  return { id, send: () => post(s.h.eventsUrl, signedInteraction(SIGNING_SECRET, payload)) }
}

/** "Saved to knowledge" messages Beacon posted in a thread. */
export function confirmations(s: Slack, channel: string, root: string) {
  return s.fake
    .callsOf('chat.postMessage')
    .filter((c) => c.params.channel === channel && c.params.thread_ts === root && String(c.params.text).includes('Saved to knowledge'))
}

/** Resolves once Beacon stops calling Slack and the job table is idle. */
export async function quiet(s: Slack): Promise<void> {
  await jobsIdle(s.h.ctx.db)
  await settled(() => s.fake.calls.length)
}

export function resultTitles(a: Answer): string[] {
  // Each hit is a section "<permalink|title>\nsnippet"; the intro section has no link.
  const blocks = (a.body.blocks ?? []) as { type: string; text?: { text: string } }[]
  return blocks.flatMap((b) => (b.type === 'section' && b.text ? [...b.text.text.matchAll(/^<[^|]+\|([^>]+)>/g)].map((m) => m[1]!) : []))
}
