/**
 * A local Bot Connector (the Bot Framework's `serviceUrl`) speaking its REST v3 wire format:
 *   POST {serviceUrl}v3/conversations                                   create a conversation (DMs)
 *   POST {serviceUrl}v3/conversations/{id}/activities[/{replyToId}]    send / reply
 *   PUT  {serviceUrl}v3/conversations/{id}/activities/{activityId}     update
 *   GET  {serviceUrl}v3/conversations/{id}/members/{memberId}          one member (404 when not one)
 *   GET  {serviceUrl}v3/conversations/{id}/pagedmembers?pageSize=&continuationToken=   the roster, paged
 *   GET  {serviceUrl}v3/teams/{teamId}                                   team details (aadGroupId)
 * Conversation ids arrive percent-encoded (`19%3Aabc%40thread.tacv2%3Bmessageid%3D123`) and are
 * recorded decoded. Every call is recorded with its Authorization header.
 *
 * Like Teams it can refuse: 403 `BotNotInConversationRoster` for conversations the bot was removed
 * from and people who never installed it, and, given `enforce`, 429 with Retry-After once a
 * conversation or tenant goes over its limits (on the clock the test controls). `failures` injects
 * one-off answers (412, 429, 502…) for the next matching calls.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Hold } from './fake-slack-api.ts'

export interface ConnectorCall {
  method: string
  kind: 'send' | 'reply' | 'update' | 'delete' | 'createConversation' | 'member' | 'members' | 'pagedMembers' | 'team' | 'unknown'
  /** The HTTP status the fake answered. */
  status?: number
  /** Decoded conversation id, e.g. "19:abc@thread.tacv2;messageid=123". */
  conversationId?: string
  activityId?: string
  memberId?: string
  body: Record<string, unknown> | undefined
  authorization: string | undefined
  rawPath: string
}

export interface FakeMember {
  id: string
  name: string
  aadObjectId?: string
  userPrincipalName?: string
}

export interface RateWindow {
  limit: number
  ms: number
}

export interface ConnectorOptions {
  /** Time for rate enforcement (a test's virtual clock); Date.now by default. */
  clock?: { now(): number }
  /** Answer 429 + Retry-After when a conversation or a tenant goes over these windows. */
  enforce?: { conversation: RateWindow[]; tenant: RateWindow[] }
}

export interface InjectedFailure {
  status: number
  code?: string
  retryAfter?: string
  /** Only calls of this kind (default: any message call). */
  kind?: ConnectorCall['kind']
  /** How many matching calls get it (default 1). */
  times?: number
}

export interface FakeBotConnector {
  /** Ends with "/", as Teams' serviceUrls do. */
  serviceUrl: string
  calls: ConnectorCall[]
  /** Members per decoded conversation id (without ";messageid="). */
  members: Map<string, FakeMember[]>
  /** Team details by team id (GET v3/teams/{id}). */
  teams: Map<string, { id: string; name: string; aadGroupId: string }>
  /** Conversations the bot is no longer in: every call there is 403 BotNotInConversationRoster. */
  notInRoster: Set<string>
  /** "29:" / AAD ids of people who never installed the app: creating a 1:1 chat with them is refused. */
  notInstalledFor: Set<string>
  failures: InjectedFailure[]
  /** 429s answered because a limit was exceeded. */
  throttled: ConnectorCall[]
  /** Calls that sent or updated a message. */
  messages(): ConnectorCall[]
  /** Resolves once `n` message calls were recorded (replies can outlive the HTTP answer). */
  waitForMessages(n: number, timeoutMs?: number): Promise<ConnectorCall[]>
  /**
   * The next message call of this kind is held open without an answer until `release()` (a
   * deterministic point to kill Beacon at); it is recorded in `calls` only once answered.
   */
  holdNext(kind: 'send' | 'reply' | 'update'): Hold
  close(): Promise<void>
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  const chunks: Buffer[] = []
  for await (const c of req) chunks.push(c as Buffer)
  if (chunks.length === 0) return undefined
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>
  } catch {
    return undefined
  }
}

const ROSTER_403 = { error: { code: 'BotNotInConversationRoster', message: 'The bot is not part of the conversation roster.' } }

export async function startFakeBotConnector(prefix = '/amer/', opts: ConnectorOptions = {}): Promise<FakeBotConnector> {
  const calls: ConnectorCall[] = []
  const members = new Map<string, FakeMember[]>()
  const teams = new Map<string, { id: string; name: string; aadGroupId: string }>()
  const notInRoster = new Set<string>()
  const notInstalledFor = new Set<string>()
  const failures: InjectedFailure[] = []
  const throttled: ConnectorCall[] = []
  const clock = opts.clock ?? { now: () => Date.now() }
  const hits = new Map<string, number[]>()
  let seq = 1000
  const waiters: (() => void)[] = []
  const isMessage = (c: ConnectorCall) => c.kind === 'send' || c.kind === 'reply' || c.kind === 'update'

  /** Records a hit for each key; the Retry-After (s) when one of them is over a window, else undefined. */
  function overLimit(keys: [string, RateWindow[]][]): number | undefined {
    const now = clock.now()
    let retry: number | undefined
    for (const [key, windows] of keys) {
      const list = hits.get(key) ?? []
      list.push(now)
      hits.set(key, list)
      for (const w of windows) {
        const n = list.filter((t) => t > now - w.ms).length
        if (n > w.limit) retry = Math.max(retry ?? 0, Math.ceil(w.ms / 1000))
      }
    }
    return retry
  }
  const holds = new Map<string, { arrived(): void; released: Promise<void> }[]>()

  const server: Server = createServer(async (req, res) => {
    const body = await readJson(req)
    const url = new URL(req.url ?? '/', 'http://x')
    const rawPath = url.pathname
    const rest = rawPath.startsWith(prefix) ? rawPath.slice(prefix.length) : rawPath.replace(/^\//, '')
    // Split on "/" before decoding: the encoded id may itself contain "%2F".
    const parts = rest.split('/').map((p) => decodeURIComponent(p))
    const call: ConnectorCall = { method: req.method ?? 'GET', kind: 'unknown', body, authorization: req.headers.authorization, rawPath }
    calls.push(call)
    const answer = (status: number, b: unknown, headers: Record<string, string> = {}) => {
      call.status = status
      if (status < 300 && isMessage(call)) for (const w of waiters.splice(0)) w()
      res.writeHead(status, { 'content-type': 'application/json', ...headers })
      res.end(JSON.stringify(b))
    }
    const [v3, conversations, convId, sub, subId] = parts
    if (v3 === 'v3' && conversations === 'teams' && convId && req.method === 'GET') {
      call.kind = 'team'
      const team = teams.get(convId)
      return team ? answer(200, team) : answer(404, { error: { code: 'NotFound', message: 'Team not found' } })
    }
    if (v3 !== 'v3' || conversations !== 'conversations') return answer(404, { error: { code: 'NotFound' } })
    const base = convId ? convId.split(';messageid=')[0]! : ''
    if (!convId) call.kind = 'createConversation'
    else if (sub === 'activities') call.kind = req.method === 'PUT' ? 'update' : req.method === 'DELETE' ? 'delete' : subId ? 'reply' : 'send'
    else if (sub === 'pagedmembers') call.kind = 'pagedMembers'
    else if (sub === 'members') call.kind = subId ? 'member' : 'members'
    if (convId) call.conversationId = convId
    if (sub === 'activities' && subId) call.activityId = subId

    // Teams' throttling: per conversation (every call) and per tenant (calls that name one).
    if (opts.enforce) {
      const tenant = (body?.conversation as { tenantId?: string } | undefined)?.tenantId ?? (body?.tenantId as string | undefined)
      const keys: [string, RateWindow[]][] = [[`c ${base || 'create'}`, opts.enforce.conversation]]
      if (tenant) keys.push([`t ${tenant}`, opts.enforce.tenant])
      const retry = overLimit(keys)
      if (retry !== undefined) {
        throttled.push(call)
        return answer(429, { error: { code: 'Throttled', message: 'Too many requests' } }, { 'retry-after': String(retry) })
      }
    }
    const injected = failures.find((f) => (f.kind ? f.kind === call.kind : isMessage(call) || call.kind === 'createConversation'))
    if (injected) {
      if ((injected.times ?? 1) <= 1) failures.splice(failures.indexOf(injected), 1)
      else injected.times = (injected.times ?? 1) - 1
      return answer(
        injected.status,
        { error: { code: injected.code ?? 'ServiceError', message: 'injected by the test' } },
        injected.retryAfter ? { 'retry-after': injected.retryAfter } : {},
      )
    }

    if (!convId) {
      if (req.method !== 'POST') return answer(405, {})
      const who = ((body?.members as { id?: string }[] | undefined) ?? []).map((m) => m.id ?? '')
      if (who.some((id) => notInstalledFor.has(id))) return answer(403, ROSTER_403)
      return answer(201, { id: `a:dm-${++seq}`, activityId: String(++seq) })
    }
    if (notInRoster.has(base)) return answer(403, ROSTER_403)
    if (sub === 'activities') {
      const hold = holds.get(call.kind)?.shift()
      if (hold) {
        calls.splice(calls.indexOf(call), 1)
        hold.arrived()
        await hold.released
        if (req.socket.destroyed) return // the caller died while it was held: never answered
        calls.push(call)
      }
      return answer(req.method === 'DELETE' ? 200 : 201, { id: req.method === 'PUT' ? subId : String(++seq) })
    }
    if (sub === 'pagedmembers') {
      const list = members.get(base) ?? []
      const size = Math.max(1, Number(url.searchParams.get('pageSize') ?? '100'))
      const from = Number(url.searchParams.get('continuationToken') ?? '0')
      const page = list.slice(from, from + size).map((m) => ({ ...m, objectId: m.aadObjectId }))
      return answer(200, { members: page, ...(from + size < list.length ? { continuationToken: String(from + size) } : {}) })
    }
    if (sub === 'members') {
      const list = members.get(base) ?? []
      if (!subId) return answer(200, list)
      call.memberId = subId
      // Teams accepts either the "29:" id or the AAD object id here.
      const m = list.find((x) => x.id === subId || x.aadObjectId === subId)
      return m ? answer(200, m) : answer(404, { error: { code: 'MemberNotFoundInConversation', message: 'The member is not in the conversation' } })
    }
    return answer(404, { error: { code: 'NotFound' } })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as AddressInfo
  const delivered = (c: ConnectorCall) => isMessage(c) && (c.status === undefined || c.status < 300)

  return {
    serviceUrl: `http://127.0.0.1:${port}${prefix}`,
    calls,
    members,
    teams,
    notInRoster,
    notInstalledFor,
    failures,
    throttled,
    messages: () => calls.filter(delivered),
    async waitForMessages(n, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs
      while (calls.filter(delivered).length < n) {
        if (Date.now() > deadline) throw new Error(`expected ${n} connector messages, got ${calls.filter(delivered).length}`)
        await new Promise<void>((r) => {
          waiters.push(r)
          setTimeout(r, 50)
        })
      }
      return calls.filter(delivered)
    },
    holdNext(kind) {
      let arrived!: () => void
      let release!: () => void
      const reached = new Promise<void>((r) => (arrived = r))
      const released = new Promise<void>((r) => (release = r))
      holds.set(kind, [...(holds.get(kind) ?? []), { arrived, released }])
      return { reached, release }
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections()
        server.close(() => r())
      }),
  }
}
