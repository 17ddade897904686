/**
 * A local Slack Web API speaking the real wire format: `POST /api/<method>` with a form-encoded
 * (or JSON) body and `Authorization: Bearer <token>`, answering `{ ok, ... }` JSON, paginating with
 * `response_metadata.next_cursor`, and 429 + `Retry-After` when told to. It records every call.
 * `POST /response/<id>` stands in for response_url endpoints.
 * The built-in method answers live in fake-slack-methods.ts.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { answerMethod } from './fake-slack-methods.ts'

export interface ApiCall {
  method: string
  params: Record<string, unknown>
  token: string | undefined
  contentType: string | undefined
  at: number
  /** The caller died while the call was held open (`holdNext`): it was never answered. */
  abandoned?: true
}

export interface ResponseUrlCall {
  id: string
  body: Record<string, unknown>
  at: number
}

export interface FakeUser {
  id: string
  name?: string
  real_name?: string
  tz?: string
  is_bot?: boolean
  /** Workspace admin / owner flags, as users.info reports them. */
  is_admin?: boolean
  is_owner?: boolean
  deleted?: boolean
  /** `fields` (custom profile fields by id) is only answered by users.profile.get, as on Slack; `email` needs users:read.email. */
  profile?: { display_name?: string; real_name?: string; email?: string; fields?: Record<string, { value: string; alt?: string }> }
}

export interface FakeProfileField {
  id: string
  label: string
  type?: string
}

export interface FakeChannel {
  id: string
  name?: string
  is_private?: boolean
  is_im?: boolean
  is_mpim?: boolean
  user?: string
}

export interface FakeMessage {
  ts: string
  thread_ts?: string
  user?: string
  bot_id?: string
  subtype?: string
  text: string
  edited?: { user?: string; ts: string }
}

type Failure = { status?: number; retryAfter?: number; error?: string }

/** A call held open: the test knows it arrived, and decides when (if ever) it is answered. */
export interface Hold {
  /** Resolves when the held call arrived. */
  reached: Promise<void>
  /** Answer it now (normally). */
  release(): void
}
type Handler = (params: Record<string, unknown>, call: ApiCall) => Record<string, unknown> | Promise<Record<string, unknown>>

/** Form values holding JSON (blocks, view, …) are decoded so tests can assert on structure. */
function decodeValue(v: string): unknown {
  if (/^[[{]/.test(v)) {
    try {
      return JSON.parse(v) as unknown
    } catch {
      return v
    }
  }
  return v
}

export class FakeSlackApi {
  readonly calls: ApiCall[] = []
  readonly responses: ResponseUrlCall[] = []
  readonly users = new Map<string, FakeUser>()
  readonly channels = new Map<string, FakeChannel>()
  readonly members = new Map<string, string[]>()
  /** channel → messages (roots and replies). */
  readonly messages = new Map<string, FakeMessage[]>()
  /** The team's custom profile fields (team.profile.get). */
  profileFields: FakeProfileField[] = []
  auth = { team_id: 'T1', team: 'Acme', user_id: 'UBOT', bot_id: 'BBOT', url: 'https://acme.slack.com/' }
  /** Items per page for conversations.replies / members, so pagination is exercised. */
  pageSize = 2
  /**
   * Like Slack, keep what the bot posts with chat.postMessage (as the bot user, with bot_id), so
   * later conversations.replies return the bot's own messages too. Off by default.
   */
  storePosts = false
  private readonly failures = new Map<string, Failure[]>()
  private readonly delays = new Map<string, number>()
  private readonly holds = new Map<string, { arrived(): void; gone(): void; released: Promise<void> }[]>()
  private readonly handlers = new Map<string, Handler>()
  private server: Server | undefined
  private tsCounter = 1_700_000_000
  url = ''

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.route(req, res).catch((err: unknown) => {
        res.writeHead(500).end(String(err))
      })
    })
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve))
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
    return this
  }

  async stop(): Promise<void> {
    const s = this.server
    if (!s) return
    s.closeAllConnections()
    await new Promise<void>((resolve) => s.close(() => resolve()))
  }

  get apiUrl(): string {
    return `${this.url}/api/`
  }

  responseUrl(id: string): string {
    return `${this.url}/response/${id}`
  }

  /** The next `times` calls of `method` fail this way (429 with Retry-After, 5xx, or ok:false). */
  failNext(method: string, f: Failure, times = 1): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), ...Array.from({ length: times }, () => f)])
  }

  /**
   * The next call of `method` (or the next POST to response_url `response:<id>`) is held open
   * without an answer until `release()`: a deterministic point to kill a process at. A held
   * response_url POST is recorded in `responses` only once released (it was never answered); a
   * held API call is in `calls` from its arrival, marked `abandoned` if its caller died meanwhile.
   */
  holdNext(
    method: string,
  ): Hold & { /** The caller's connection closed while held (it died): release after this to leave it unanswered. */ callerGone: Promise<void> } {
    let arrived!: () => void
    let gone!: () => void
    let release!: () => void
    const reached = new Promise<void>((r) => (arrived = r))
    const callerGone = new Promise<void>((r) => (gone = r))
    const released = new Promise<void>((r) => (release = r))
    this.holds.set(method, [...(this.holds.get(method) ?? []), { arrived, gone, released }])
    return { reached, release, callerGone }
  }

  private async held(key: string, req: IncomingMessage): Promise<void> {
    const h = this.holds.get(key)?.shift()
    if (!h) return
    req.socket.once('close', h.gone)
    h.arrived()
    await h.released
  }

  delay(method: string, ms: number): void {
    this.delays.set(method, ms)
  }

  on(method: string, h: Handler): void {
    this.handlers.set(method, h)
  }

  callsOf(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method)
  }

  addMessage(channel: string, m: FakeMessage): void {
    this.messages.set(channel, [...(this.messages.get(channel) ?? []), m])
  }

  /** Change a stored message's text the way an edit does (sets `edited`); returns the new message. */
  editMessage(channel: string, ts: string, text: string): FakeMessage {
    const list = this.messages.get(channel) ?? []
    const i = list.findIndex((m) => m.ts === ts)
    if (i < 0) throw new Error(`no message ${ts} in ${channel}`)
    const edited = { ...list[i]!, text, edited: { ...(list[i]!.user ? { user: list[i]!.user } : {}), ts: this.nextTs() } }
    list[i] = edited
    return edited
  }

  /** Remove a stored message (a delete); returns what it was. */
  deleteMessage(channel: string, ts: string): FakeMessage {
    const list = this.messages.get(channel) ?? []
    const i = list.findIndex((m) => m.ts === ts)
    if (i < 0) throw new Error(`no message ${ts} in ${channel}`)
    return list.splice(i, 1)[0]!
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const raw = Buffer.concat(chunks).toString('utf8')
    const url = new URL(req.url ?? '/', 'http://fake')
    const contentType = req.headers['content-type']
    const params: Record<string, unknown> = contentType?.startsWith('application/json')
      ? (JSON.parse(raw || '{}') as Record<string, unknown>)
      : Object.fromEntries([...new URLSearchParams(raw)].map(([k, v]) => [k, decodeValue(v)]))

    const response = /^\/response\/(.+)$/.exec(url.pathname)
    if (response && req.method === 'POST') {
      await this.held(`response:${response[1]!}`, req)
      if (req.socket.destroyed) return // the caller died while it was held: never answered
      this.responses.push({ id: response[1]!, body: params, at: Date.now() })
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok')
      return
    }
    const api = /^\/api\/(.+)$/.exec(url.pathname)
    if (!api || req.method !== 'POST') {
      res.writeHead(404).end()
      return
    }
    const method = api[1]!
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1]
    const token = bearer ?? (typeof params.token === 'string' ? params.token : undefined)
    const call: ApiCall = { method, params, token, contentType, at: Date.now() }
    this.calls.push(call)
    await this.held(method, req)
    if (req.socket.destroyed) {
      call.abandoned = true
      return
    }

    const wait = this.delays.get(method)
    if (wait) await new Promise((r) => setTimeout(r, wait))
    const failure = this.failures.get(method)?.shift()
    if (failure?.retryAfter !== undefined || failure?.status) {
      const headers: Record<string, string> = { 'content-type': 'application/json' }
      if (failure.retryAfter !== undefined) headers['retry-after'] = String(failure.retryAfter)
      res.writeHead(failure.status ?? 429, headers).end(JSON.stringify({ ok: false, error: 'ratelimited' }))
      return
    }
    const body = failure?.error
      ? { ok: false, error: failure.error }
      : !token && method !== 'oauth.v2.access'
        ? { ok: false, error: 'not_authed' }
        : await this.answer(method, params, call)
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body))
  }

  /** A fresh message ts, increasing like Slack's. */
  nextTs(): string {
    this.tsCounter += 1
    return `${this.tsCounter}.000100`
  }

  private async answer(method: string, p: Record<string, unknown>, call: ApiCall): Promise<Record<string, unknown>> {
    const custom = this.handlers.get(method)
    return custom ? custom(p, call) : answerMethod(this, method, p, call)
  }
}
