/**
 * The fake Slack Web API's built-in method answers (fake-slack-api.ts serves them): each reads and
 * writes the fake workspace's data and answers like Slack does, errors included.
 */
import type { ApiCall, FakeChannel, FakeMessage, FakeProfileField, FakeUser } from './fake-slack-api.ts'

/** The fake workspace the methods answer from. */
export interface FakeWorkspace {
  readonly users: Map<string, FakeUser>
  readonly channels: Map<string, FakeChannel>
  readonly members: Map<string, string[]>
  readonly messages: Map<string, FakeMessage[]>
  readonly profileFields: FakeProfileField[]
  readonly auth: { team_id: string; team: string; user_id: string; bot_id: string; url: string }
  readonly pageSize: number
  readonly storePosts: boolean
  addMessage(channel: string, m: FakeMessage): void
  nextTs(): string
}

function page<T>(items: T[], params: Record<string, unknown>, pageSize: number): { items: T[]; next: string } {
  const offset = Number(params.cursor ?? 0) || 0
  const size = Math.min(Number(params.limit ?? pageSize) || pageSize, pageSize)
  const next = offset + size < items.length ? String(offset + size) : ''
  return { items: items.slice(offset, offset + size), next }
}

export function answerMethod(w: FakeWorkspace, method: string, p: Record<string, unknown>, call: ApiCall): Record<string, unknown> {
  const channel = String(p.channel ?? '')
  switch (method) {
    case 'auth.test':
      return { ok: true, ...w.auth }
    case 'users.info': {
      const u = w.users.get(String(p.user))
      if (!u) return { ok: false, error: 'user_not_found' }
      const { fields: _custom, ...profile } = u.profile ?? {}
      return { ok: true, user: { ...u, ...(u.profile ? { profile } : {}) } }
    }
    case 'users.lookupByEmail': {
      // Slack compares the address case-insensitively and answers users_not_found otherwise.
      const email = String(p.email ?? '').toLowerCase()
      const u = [...w.users.values()].find((x) => x.profile?.email?.toLowerCase() === email)
      return u ? { ok: true, user: u } : { ok: false, error: 'users_not_found' }
    }
    case 'users.profile.get': {
      const u = w.users.get(String(p.user))
      // Slack sends `fields: []` (not {}) for a profile without custom fields.
      return u ? { ok: true, profile: { ...u.profile, fields: u.profile?.fields ?? [] } } : { ok: false, error: 'user_not_found' }
    }
    case 'team.profile.get':
      return {
        ok: true,
        profile: { fields: w.profileFields.map((f, i) => ({ ordering: i, hint: '', type: 'text', is_hidden: false, ...f })), sections: [] },
      }
    case 'conversations.info': {
      const c = w.channels.get(channel)
      return c ? { ok: true, channel: c } : { ok: false, error: 'channel_not_found' }
    }
    case 'conversations.members': {
      const { items, next } = page(w.members.get(channel) ?? [], p, w.pageSize)
      return { ok: true, members: items, response_metadata: { next_cursor: next } }
    }
    case 'conversations.open':
      return { ok: true, channel: { id: `D${String(p.users)}` } }
    case 'conversations.replies': {
      const all = w.messages.get(channel) ?? []
      const target = all.find((m) => m.ts === p.ts)
      if (!target) return { ok: false, error: 'thread_not_found' }
      // Like Slack: a reply's ts returns just that reply; a root's ts returns the thread, root on every page.
      if (target.thread_ts && target.thread_ts !== target.ts) return { ok: true, messages: [target], has_more: false }
      const replies = all.filter((m) => m.thread_ts === target.ts && m.ts !== target.ts)
      const { items, next } = page(replies, p, w.pageSize)
      return { ok: true, messages: [target, ...items], has_more: next !== '', response_metadata: { next_cursor: next } }
    }
    case 'chat.postMessage': {
      const ts = w.nextTs()
      if (w.storePosts) {
        w.addMessage(channel, {
          ts,
          user: w.auth.user_id,
          bot_id: w.auth.bot_id,
          text: String(p.text ?? ''),
          ...(p.thread_ts ? { thread_ts: String(p.thread_ts) } : {}),
        })
      }
      return { ok: true, channel, ts, message: { ts, text: p.text, ...(p.thread_ts ? { thread_ts: p.thread_ts } : {}) } }
    }
    case 'chat.postEphemeral':
      return { ok: true, message_ts: w.nextTs() }
    case 'chat.update':
      return { ok: true, channel, ts: p.ts, text: p.text }
    case 'chat.getPermalink':
      return { ok: true, channel, permalink: `https://acme.slack.com/archives/${channel}/p${String(p.message_ts).replace('.', '')}` }
    case 'views.open':
    case 'views.publish':
      return { ok: true, view: { id: `V${call.at}`, ...(typeof p.view === 'object' ? p.view : {}) } }
    default:
      return { ok: false, error: 'unknown_method' }
  }
}
