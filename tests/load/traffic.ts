/**
 * Mixed Slack traffic for the load and fault tests: a deterministic plan of signed deliveries
 * (messages, thread replies, reactions including the knowledge reaction, /kb and /task, the
 * create_task and save_to_knowledge message shortcuts, and Slack retries of earlier deliveries of
 * every kind with X-Slack-Retry-Num), sent open-loop at a steady rate to POST /slack/events, plus
 * what the plan should leave behind once Beacon has done its work. Sending: traffic-send.ts;
 * counting what the plan left: traffic-outcome.ts.
 *
 * Exactly once is counted per delivery: each distinct id has one observable effect (an activity
 * row for an event, a response_url answer for a command or a save shortcut, a views.open for a
 * create_task shortcut), and `outcome().effectsPerId` counts them, so an event or a command
 * processed twice shows up as a 2.
 */
import type { FakeSlackApi } from '../support/fake-slack-api.ts'
import { signedForm, signedInteraction, signedJson, type SignedRequest } from '../support/slack-signing.ts'
import { SIGNING_SECRET } from '../adapters/slack/harness.ts'
import { seededRandom as prng } from '../../src/core/seeded-random.ts'

export type Kind = 'message' | 'reply' | 'reaction' | 'save' | 'kb' | 'task' | 'shortcut' | 'retry'

/** The one thing a delivery leaves behind, counted per distinct id. */
export type Effect =
  /** An adoption activity row (events): who, where, what kind, when (the event's own time). */
  | { kind: 'activity'; activity: 'message' | 'reply' | 'reaction'; conversation: string; person: string; atMs: number }
  /** An answer on the command's or shortcut's response_url. */
  | { kind: 'response'; responseId: string }
  /** A modal opened with the shortcut's trigger_id. */
  | { kind: 'modal'; triggerId: string }

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
  /** Distinct ids that must be claimed (stored in the inbox, or claimed by the dispatcher) exactly once. */
  ids: Set<string>
  /** What each distinct id must leave behind exactly once. */
  effects: Map<string, Effect>
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
  for (const id of USERS)
    fake.users.set(id, {
      id,
      name: id.toLowerCase(),
      real_name: `Person ${id}`,
      tz: 'UTC',
      profile: { display_name: `Person ${id}`, real_name: `Person ${id}` },
    })
  for (const id of CHANNELS) fake.channels.set(id, { id, name: `chan-${id.toLowerCase()}`, is_private: false })
  fake.storePosts = false
  const roots: { channel: string; ts: string }[] = []
  for (let i = 0; i < threads; i++) {
    const channel = CHANNELS[i % CHANNELS.length]!
    const ts = `1690000${String(i).padStart(3, '0')}.000100`
    fake.addMessage(channel, { ts, thread_ts: ts, user: USERS[i % USERS.length]!, text: `How do we handle ${tag} topic ${i}?` })
    for (let r = 1; r <= 3; r++) {
      fake.addMessage(channel, {
        ts: ts.replace('000100', `00010${r}`),
        thread_ts: ts,
        user: USERS[(i + r) % USERS.length]!,
        text: `Answer ${r} about ${tag} topic ${i}: use runbook ${i}-${r}`,
      })
    }
    roots.push({ channel, ts })
  }
  return roots
}

let run = 0

/**
 * `total` deliveries: ~36% messages, 15% replies, 10% plain reactions, 10% knowledge reactions
 * (some threads saved twice, by two people), 8% /kb, 7% /task, 5% message shortcuts (create_task
 * or save_to_knowledge) and ~9% Slack retries of an earlier delivery of any kind (same body, same
 * event_id or trigger_id, X-Slack-Retry-Num: 1..3).
 */
export function planTraffic(fake: FakeSlackApi, roots: { channel: string; ts: string }[], total: number, seed = 7, only?: Kind[], team = 'T1'): Plan {
  const rnd = prng(seed)
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!
  const tag = `r${++run}-${seed}`
  const deliveries: Delivery[] = []
  const ids = new Set<string>()
  const effects = new Map<string, Effect>()
  /** Every distinct delivery so far, for retries: Slack re-sends the same request with retry headers. */
  const sent: { id: string; kind: Kind; build: (o?: { extraHeaders?: Record<string, string> }) => SignedRequest }[] = []
  // Event times in the past week, one second apart and a separate range per plan (several plans may
  // run against one Beacon): each event's activity row is told apart by its time.
  const base = Math.floor(Date.now() / 1000) - 7 * 86_400 + run * 20_000
  const saved = new Map<string, { channel: string; ts: string }>()
  const tasks: string[] = []
  const taskCreators: string[] = []
  const commandResponses: string[] = []
  let n = 0
  let saveCursor = 0

  const distinct = (
    kind: Kind,
    id: string,
    effect: Effect,
    build: (o?: { extraHeaders?: Record<string, string> }) => SignedRequest,
    responseId?: string,
  ) => {
    ids.add(id)
    effects.set(id, effect)
    sent.push({ id, kind, build })
    deliveries.push({ kind, id, build: () => build(), ...(responseId ? { responseId } : {}) })
  }
  const event = (kind: Kind, e: Record<string, unknown>, activity: Effect & { kind: 'activity' }) => {
    const id = `Ev${tag}x${n}`
    const body = {
      token: 't',
      team_id: team,
      api_app_id: 'A1',
      type: 'event_callback',
      event_id: id,
      event_time: Math.floor(activity.atMs / 1000),
      event: e,
    }
    distinct(kind, id, activity, (o) => signedJson(SIGNING_SECRET, body, o))
  }
  const command = (kind: 'kb' | 'task', text: string, user: string = pick(USERS)) => {
    const id = `${tag}c${++n}`
    commandResponses.push(id)
    const fields = {
      token: 't',
      team_id: team,
      team_domain: 'acme',
      channel_id: pick(CHANNELS),
      channel_name: 'general',
      user_id: user,
      user_name: 'someone',
      command: `/${kind}`,
      text,
      api_app_id: 'A1',
      is_enterprise_install: 'false',
      response_url: fake.responseUrl(id),
      trigger_id: id,
    }
    distinct(kind, id, { kind: 'response', responseId: id }, (o) => signedForm(SIGNING_SECRET, fields, o), id)
  }
  const shortcut = (callbackId: 'create_task' | 'save_to_knowledge', root: { channel: string; ts: string }, user: string) => {
    const id = `${tag}s${++n}`
    const payload = {
      type: 'message_action',
      callback_id: callbackId,
      trigger_id: id,
      action_ts: `${base + n}.000001`,
      team: { id: team, domain: 'acme' },
      user: { id: user, username: user.toLowerCase(), team_id: team },
      channel: { id: root.channel, name: 'general' },
      message: { type: 'message', ts: root.ts, thread_ts: root.ts, user: 'U1', text: `Root of ${root.ts}` },
      message_ts: root.ts,
      response_url: fake.responseUrl(id),
    }
    const effect: Effect = callbackId === 'create_task' ? { kind: 'modal', triggerId: id } : { kind: 'response', responseId: id }
    distinct('shortcut', id, effect, (o) => signedInteraction(SIGNING_SECRET, payload, o), callbackId === 'save_to_knowledge' ? id : undefined)
  }

  /** Walks through the threads, sometimes saving the previous one again (a second person). */
  const nextToSave = () => {
    const again = (saveCursor > 0 && rnd() < 0.3) || saveCursor >= roots.length
    const root = roots[(again ? saveCursor - 1 : saveCursor++) % roots.length]!
    saved.set(`${root.channel}:${root.ts}`, root)
    return root
  }

  while (deliveries.length < total) {
    const r = rnd()
    const kind: Kind =
      r < 0.36
        ? 'message'
        : r < 0.51
          ? 'reply'
          : r < 0.61
            ? 'reaction'
            : r < 0.71
              ? 'save'
              : r < 0.79
                ? 'kb'
                : r < 0.86
                  ? 'task'
                  : r < 0.91
                    ? 'shortcut'
                    : 'retry'
    if (only && !only.includes(kind)) continue
    ++n
    // A message's time is its ts; a reaction's is the envelope's event_time: both base + n seconds.
    const ms = Math.floor(rnd() * 999) * 1000
    const ts = `${base + n}.${String(ms + 1).padStart(6, '0')}`
    const atMs = (base + n) * 1000 + Math.floor(ms / 1000)
    const user = pick(USERS)
    if (kind === 'message') {
      const channel = pick(CHANNELS)
      event(
        'message',
        { type: 'message', channel, channel_type: 'channel', user, text: `status update ${n} from the ${tag} run`, ts },
        { kind: 'activity', activity: 'message', conversation: channel, person: user, atMs },
      )
    } else if (kind === 'reply') {
      const root = pick(roots)
      event(
        'reply',
        { type: 'message', channel: root.channel, channel_type: 'channel', user, text: `follow-up ${n}`, ts, thread_ts: root.ts },
        { kind: 'activity', activity: 'reply', conversation: root.channel, person: user, atMs },
      )
    } else if (kind === 'reaction') {
      const root = pick(roots)
      event(
        'reaction',
        {
          type: 'reaction_added',
          user,
          reaction: pick(['thumbsup', 'eyes', 'tada']),
          item_user: 'U1',
          item: { type: 'message', channel: root.channel, ts: root.ts },
          event_ts: ts,
        },
        { kind: 'activity', activity: 'reaction', conversation: root.channel, person: user, atMs: (base + n) * 1000 },
      )
    } else if (kind === 'save') {
      const root = nextToSave()
      event(
        'save',
        {
          type: 'reaction_added',
          user,
          reaction: 'bookmark',
          item_user: 'U1',
          item: { type: 'message', channel: root.channel, ts: root.ts },
          event_ts: ts,
        },
        { kind: 'activity', activity: 'reaction', conversation: root.channel, person: user, atMs: (base + n) * 1000 },
      )
    } else if (kind === 'shortcut') {
      if (rnd() < 0.5) shortcut('create_task', pick(roots), user)
      else shortcut('save_to_knowledge', nextToSave(), user)
    } else if (kind === 'kb') {
      command('kb', pick(['runbook', 'topic', 'handle', 'nothing-matches-this', 'in:#chan-c1 answer', '"quoted phrase']))
    } else if (kind === 'task') {
      const text = `load task ${tag} number ${n}${rnd() < 0.5 ? ' <@U2>' : ''}`
      tasks.push(text)
      taskCreators.push(user)
      command('task', text, user)
    } else if (sent.length > 0) {
      const d = pick(sent)
      const headers = { 'x-slack-retry-num': String(1 + Math.floor(rnd() * 3)), 'x-slack-retry-reason': 'http_timeout' }
      deliveries.push({ kind: 'retry', id: d.id, build: () => d.build({ extraHeaders: headers }) })
    }
  }
  return { tag, deliveries, ids, effects, savedThreads: [...saved.values()], tasks, taskCreators, commandResponses }
}
