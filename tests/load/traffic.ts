/**
 * Mixed Slack traffic for the load and fault tests: a deterministic plan of signed deliveries
 * (messages, thread replies, reactions including the knowledge reaction, /kb and /task, and Slack
 * retries of earlier events with X-Slack-Retry-Num), sent open-loop at a steady rate to
 * POST /slack/events, plus what the plan should leave behind once Beacon has done its work.
 */
import type { FakeSlackApi } from '../support/fake-slack-api.ts'
import { post, signedForm, signedJson, type SignedRequest } from '../support/slack-signing.ts'
import { SIGNING_SECRET } from '../adapters/slack/harness.ts'
import type { Db } from '../../src/storage/db.ts'
import { seededRandom as prng } from '../../src/core/seeded-random.ts'

export type Kind = 'message' | 'reply' | 'reaction' | 'save' | 'kb' | 'task' | 'retry'

export interface Delivery {
  kind: Kind
  /** event_id for events, trigger_id for commands: the id the dispatcher claims. */
  id: string
  /** Built at send time, so the timestamp (and signature) is fresh, as Slack re-signs each retry. */
  build(): SignedRequest
  /** For commands: the response_url id their answer arrives on. */
  responseId?: string
}

export interface Plan {
  /** Unique to this plan: in every task title and message it sends. */
  tag: string
  deliveries: Delivery[]
  /** Distinct ids the dispatcher must claim exactly once. */
  ids: Set<string>
  /** Thread roots (channel, ts) saved with the knowledge reaction. */
  savedThreads: { channel: string; ts: string }[]
  /** /task texts, one task each. */
  tasks: string[]
  /** Who ran each /task (same order as `tasks`). */
  taskCreators: string[]
  /** response_url ids of every command. */
  commandResponses: string[]
}

export const USERS = ['U1', 'U2', 'U3', 'U4', 'U5'] as const
export const CHANNELS = ['C1', 'C2', 'C3'] as const

/** Users, public channels and `threads` saveable threads (root + 3 replies) in the fake Web API. */
export function seedWorkspace(fake: FakeSlackApi, threads: number, tag = 'load'): { channel: string; ts: string }[] {
  for (const id of USERS) fake.users.set(id, { id, name: id.toLowerCase(), real_name: `Person ${id}`, tz: 'UTC', profile: { display_name: `Person ${id}`, real_name: `Person ${id}` } })
  for (const id of CHANNELS) fake.channels.set(id, { id, name: `chan-${id.toLowerCase()}`, is_private: false })
  fake.storePosts = false
  const roots: { channel: string; ts: string }[] = []
  for (let i = 0; i < threads; i++) {
    const channel = CHANNELS[i % CHANNELS.length]!
    const ts = `1690000${String(i).padStart(3, '0')}.000100`
    fake.addMessage(channel, { ts, thread_ts: ts, user: USERS[i % USERS.length]!, text: `How do we handle ${tag} topic ${i}?` })
    for (let r = 1; r <= 3; r++) {
      fake.addMessage(channel, { ts: ts.replace('000100', `00010${r}`), thread_ts: ts, user: USERS[(i + r) % USERS.length]!, text: `Answer ${r} about ${tag} topic ${i}: use runbook ${i}-${r}` })
    }
    roots.push({ channel, ts })
  }
  return roots
}

let run = 0

/**
 * `total` deliveries: ~40% messages, 15% replies, 10% plain reactions, 10% knowledge reactions
 * (some threads saved twice, by two people), 10% /kb, 7% /task and ~8% Slack retries of an earlier
 * event (same body, same event_id, X-Slack-Retry-Num: 1..3).
 */
export function planTraffic(fake: FakeSlackApi, roots: { channel: string; ts: string }[], total: number, seed = 7, only?: Kind[], team = 'T1'): Plan {
  const rnd = prng(seed)
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!
  const tag = `r${++run}-${seed}`
  const deliveries: Delivery[] = []
  const ids = new Set<string>()
  const events: { id: string; body: Record<string, unknown> }[] = []
  const saved = new Map<string, { channel: string; ts: string }>()
  const tasks: string[] = []
  const taskCreators: string[] = []
  const commandResponses: string[] = []
  let n = 0
  let saveCursor = 0

  const event = (kind: Kind, e: Record<string, unknown>) => {
    const id = `Ev${tag}x${++n}`
    const body = { token: 't', team_id: team, api_app_id: 'A1', type: 'event_callback', event_id: id, event_time: Math.floor(Date.now() / 1000), event: e }
    events.push({ id, body })
    ids.add(id)
    deliveries.push({ kind, id, build: () => signedJson(SIGNING_SECRET, body) })
  }
  const command = (kind: 'kb' | 'task', text: string, user: string = pick(USERS)) => {
    const id = `${tag}c${++n}`
    ids.add(id)
    commandResponses.push(id)
    const fields = {
      token: 't', team_id: team, team_domain: 'acme', channel_id: pick(CHANNELS), channel_name: 'general', user_id: user, user_name: 'someone',
      command: `/${kind}`, text, api_app_id: 'A1', is_enterprise_install: 'false', response_url: fake.responseUrl(id), trigger_id: id,
    }
    deliveries.push({ kind, id, responseId: id, build: () => signedForm(SIGNING_SECRET, fields) })
  }

  while (deliveries.length < total) {
    const r = rnd()
    const kind: Kind = r < 0.4 ? 'message' : r < 0.55 ? 'reply' : r < 0.65 ? 'reaction' : r < 0.75 ? 'save' : r < 0.85 ? 'kb' : r < 0.92 ? 'task' : 'retry'
    if (only && !only.includes(kind)) continue
    const ts = `${1_710_000_000 + n}.${String(Math.floor(rnd() * 999999)).padStart(6, '0')}`
    if (r < 0.4) {
      event('message', { type: 'message', channel: pick(CHANNELS), channel_type: 'channel', user: pick(USERS), text: `status update ${n} from the ${tag} run`, ts })
    } else if (r < 0.55) {
      const root = pick(roots)
      event('reply', { type: 'message', channel: root.channel, channel_type: 'channel', user: pick(USERS), text: `follow-up ${n}`, ts, thread_ts: root.ts })
    } else if (r < 0.65) {
      const root = pick(roots)
      event('reaction', { type: 'reaction_added', user: pick(USERS), reaction: pick(['thumbsup', 'eyes', 'tada']), item_user: 'U1', item: { type: 'message', channel: root.channel, ts: root.ts }, event_ts: ts })
    } else if (r < 0.75) {
      // Walk through the threads, sometimes saving the previous one again (a second person).
      const again = (saveCursor > 0 && rnd() < 0.3) || saveCursor >= roots.length
      const root = roots[(again ? saveCursor - 1 : saveCursor++) % roots.length]!
      saved.set(`${root.channel}:${root.ts}`, root)
      event('save', { type: 'reaction_added', user: pick(USERS), reaction: 'bookmark', item_user: 'U1', item: { type: 'message', channel: root.channel, ts: root.ts }, event_ts: ts })
    } else if (r < 0.85) {
      command('kb', pick(['runbook', 'topic', 'handle', 'nothing-matches-this', 'in:#chan-c1 answer', '"quoted phrase']))
    } else if (r < 0.92) {
      const text = `load task ${tag} number ${n}${rnd() < 0.5 ? ' <@U2>' : ''}`
      const user = pick(USERS)
      tasks.push(text)
      taskCreators.push(user)
      command('task', text, user)
    } else if (events.length > 0) {
      const e = pick(events)
      const retry = 1 + Math.floor(rnd() * 3)
      deliveries.push({ kind: 'retry', id: e.id, build: () => signedJson(SIGNING_SECRET, e.body, { extraHeaders: { 'x-slack-retry-num': String(retry), 'x-slack-retry-reason': 'http_timeout' } }) })
    }
  }
  return { tag, deliveries, ids, savedThreads: [...saved.values()], tasks, taskCreators, commandResponses }
}

export interface SendResult {
  /** Ack latency (ms) per delivery, in send order. */
  latencies: number[]
  statuses: number[]
  /** rss samples (bytes) taken while sending. */
  rss: number[]
}

/** Open loop: delivery i leaves at start + i/rate s, whatever earlier answers do. */
export async function sendSteady(eventsUrl: string, deliveries: Delivery[], rate: number): Promise<SendResult> {
  const latencies: number[] = new Array<number>(deliveries.length).fill(NaN)
  const statuses: number[] = new Array<number>(deliveries.length).fill(0)
  const rss: number[] = []
  const sampler = setInterval(() => rss.push(process.memoryUsage().rss), 250)
  const pending: Promise<void>[] = []
  const start = performance.now()
  try {
    for (const [i, d] of deliveries.entries()) {
      const wait = start + (i * 1000) / rate - performance.now()
      if (wait > 0) await new Promise((r) => setTimeout(r, wait))
      pending.push(
        post(eventsUrl, d.build()).then(
          (r) => {
            latencies[i] = r.ms
            statuses[i] = r.status
          },
          () => {
            statuses[i] = -1 // connection refused / reset: counts as an error
          },
        ),
      )
    }
    await Promise.all(pending)
  } finally {
    clearInterval(sampler)
  }
  return { latencies, statuses, rss }
}

export const percentile = (xs: number[], p: number) => {
  const s = xs.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN
}

/** What the plan left in SQLite and in Slack, for the exactly-once assertions. */
export function outcome(db: Db, fake: FakeSlackApi, plan: Plan, team = 'T1') {
  const claimed = new Set(
    (db.$client.prepare('SELECT event_id FROM processed_events WHERE workspace_id = ?').all(`slack:${team}`) as { event_id: string }[]).map((r) => r.event_id),
  )
  const items = (root: { channel: string; ts: string }) =>
    (db.$client.prepare('SELECT count(*) AS n FROM knowledge_items WHERE thread_id = ?').get(`slack:${team}:${root.channel}:${root.ts}`) as { n: number }).n
  const confirmations = (root: { channel: string; ts: string }) =>
    fake.callsOf('chat.postMessage').filter((c) => c.params.channel === root.channel && c.params.thread_ts === root.ts && String(c.params.text).includes('Saved to knowledge')).length
  const taskTitles = (db.$client.prepare('SELECT title FROM tasks WHERE workspace_id = ?').all(`slack:${team}`) as { title: string }[]).map((r) => r.title)
  return {
    missingClaims: [...plan.ids].filter((id) => !claimed.has(id)),
    itemsPerSavedThread: plan.savedThreads.map(items),
    confirmationsPerSavedThread: plan.savedThreads.map(confirmations),
    /** How many tasks carry each planned command's marker (must be 1 each). */
    tasksPerCommand: plan.tasks.map((t) => {
      const marker = /(number \d+)/.exec(t)![1]!
      return taskTitles.filter((title) => title.includes(plan.tag) && new RegExp(`${marker}(?!\\d)`).test(title)).length
    }),
    /** Tasks this plan made, in all. */
    taskCount: taskTitles.filter((title) => title.includes(`load task ${plan.tag} `)).length,
    /** DMs to the assignee (U2) per task that names them and was made by someone else: 1 each. */
    assignmentDms: plan.tasks.flatMap((t, i) => {
      if (!t.includes('<@U2>') || plan.taskCreators[i] === 'U2') return []
      const marker = new RegExp(`${plan.tag} ${/(number \d+)/.exec(t)![1]!}(?!\\d)`)
      return [fake.callsOf('chat.postMessage').filter((c) => c.params.channel === 'DU2' && marker.test(JSON.stringify(c.params))).length]
    }),
    unansweredCommands: plan.commandResponses.filter((id) => !fake.responses.some((r) => r.id === id)),
  }
}
