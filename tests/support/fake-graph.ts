/**
 * A local Microsoft Graph and Azure AD token endpoint:
 *   POST {loginUrl}/{tenant}/oauth2/v2.0/token        client credentials → access token
 *   GET  {graphUrl}teams/{g}/channels/{c}/messages/{m}             a channel message
 *   GET  {graphUrl}teams/{g}/channels/{c}/messages/{m}/replies     replies, paged with @odata.nextLink
 *   GET  {graphUrl}chats/{chat}/messages/{m}                       a chat message
 *   GET  {graphUrl}teams/{g}/channels/{c}/allMembers                a channel's own members, paged
 * Graph answers 401 unless the bearer token is one it issued; every request is recorded. Like
 * Graph it can refuse: 403 for teams whose owner did not consent to ChannelMessage.Read.Group
 * (`forbidden`), 404 with Graph's error body for unknown ids, and, given `limitPerChannel`, 429
 * with Retry-After once a channel gets more than that many requests in a second of `clock`.
 */
import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface GraphMessageFixture {
  id: string
  replyToId?: string | null
  messageType?: string
  createdDateTime: string
  lastEditedDateTime?: string | null
  deletedDateTime?: string | null
  from: { user?: { id: string; displayName: string } | null; application?: { id: string; displayName: string } | null }
  body: { contentType: 'html' | 'text'; content: string }
  attachments?: { id: string; contentType: string; contentUrl?: string; name?: string }[]
  webUrl?: string
}

export interface TokenRequest {
  tenant: string
  clientId: string | null
  scope: string | null
  grantType: string | null
}

export interface FakeGraph {
  /** Azure AD authority root (MICROSOFT_LOGIN_URL). */
  loginUrl: string
  /** Graph base ending in "/" (GRAPH_API_URL). */
  graphUrl: string
  tokenRequests: TokenRequest[]
  requests: { path: string; authorized: boolean }[]
  /** Messages by "groupId/channelId/rootId" (root first, replies after) or "chat/chatId/messageId". */
  threads: Map<string, GraphMessageFixture[]>
  /** A channel's own members (AAD object ids) by "groupId/channelId"; unknown channels answer 404. */
  channelMembers: Map<string, string[]>
  /** Group ids (Graph team ids) whose channel messages answer 403: no RSC consent. */
  forbidden: Set<string>
  /** Requests answered 429 because a channel went over its limit. */
  throttled: string[]
  pageSize: number
  close(): Promise<void>
}

export interface FakeGraphOptions {
  clientId?: string
  clientSecret?: string
  clock?: { now(): number }
  /** Graph's 4 requests per second per channel, enforced when set. */
  limitPerChannel?: number
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const c of req) chunks.push(c as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(JSON.stringify(body))
}

/** Graph's answer when the app lacks the permission (the RSC grant was not consented). */
const FORBIDDEN_BODY = {
  error: {
    code: 'Forbidden',
    message:
      "Missing role permissions on the request. API requires one of 'ChannelMessage.Read.All, ChannelMessage.Read.Group'. Roles on the request ''.",
    innerError: { date: '2025-01-10T10:00:00', 'request-id': 'fake', 'client-request-id': 'fake' },
  },
}
const NOT_FOUND_BODY = { error: { code: 'NotFound', message: 'Resource not found.', innerError: { 'request-id': 'fake' } } }

export async function startFakeGraph(opts: FakeGraphOptions = {}): Promise<FakeGraph> {
  const forbidden = new Set<string>()
  const throttled: string[] = []
  const clock = opts.clock ?? { now: () => Date.now() }
  const perChannel = new Map<string, number[]>()
  const tokens = new Set<string>()
  const tokenRequests: TokenRequest[] = []
  const requests: { path: string; authorized: boolean }[] = []
  const threads = new Map<string, GraphMessageFixture[]>()
  const channelMembers = new Map<string, string[]>()
  const state = { pageSize: 2 }
  let base = ''

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    const token = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(url.pathname)
    if (token && req.method === 'POST') {
      const form = new URLSearchParams(await readBody(req))
      tokenRequests.push({
        tenant: decodeURIComponent(token[1]!),
        clientId: form.get('client_id'),
        scope: form.get('scope'),
        grantType: form.get('grant_type'),
      })
      if ((opts.clientId && form.get('client_id') !== opts.clientId) || (opts.clientSecret && form.get('client_secret') !== opts.clientSecret)) {
        return json(res, 401, { error: 'invalid_client' })
      }
      const t = `fake-token-${randomUUID()}`
      tokens.add(t)
      return json(res, 200, { token_type: 'Bearer', expires_in: 3599, access_token: t })
    }
    const authorized = tokens.has((req.headers.authorization ?? '').replace(/^Bearer /, ''))
    requests.push({ path: url.pathname + url.search, authorized })
    if (!authorized) return json(res, 401, { error: { code: 'InvalidAuthenticationToken' } })
    const parts = url.pathname
      .replace(/^\/v1\.0\//, '')
      .split('/')
      .map(decodeURIComponent)
    if (parts[0] === 'teams' && parts[2] === 'channels' && parts[4] === 'messages') {
      if (opts.limitPerChannel) {
        const key = `${parts[1]}/${parts[3]}`
        const now = clock.now()
        const hits = [...(perChannel.get(key) ?? []).filter((t) => t > now - 1000), now]
        perChannel.set(key, hits)
        if (hits.length > opts.limitPerChannel) {
          throttled.push(url.pathname)
          res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' })
          return res.end(JSON.stringify({ error: { code: 'TooManyRequests', message: 'Too many requests.' } }))
        }
      }
      if (forbidden.has(parts[1]!)) return json(res, 403, FORBIDDEN_BODY)
      const thread = threads.get(`${parts[1]}/${parts[3]}/${parts[5]}`)
      if (!thread) return json(res, 404, NOT_FOUND_BODY)
      if (parts[6] !== 'replies') return json(res, 200, thread[0])
      const replies = thread.slice(1)
      const skip = Number(url.searchParams.get('$skiptoken') ?? '0')
      const page = replies.slice(skip, skip + state.pageSize)
      const next = skip + state.pageSize < replies.length ? `${base}${url.pathname}?$skiptoken=${skip + state.pageSize}` : undefined
      return json(res, 200, { '@odata.context': 'fake', value: page, ...(next ? { '@odata.nextLink': next } : {}) })
    }
    if (parts[0] === 'teams' && parts[2] === 'channels' && parts[4] === 'allMembers') {
      const all = channelMembers.get(`${parts[1]}/${parts[3]}`)
      if (!all) return json(res, 404, { error: { code: 'NotFound' } })
      const skip = Number(url.searchParams.get('$skiptoken') ?? '0')
      const value = all.slice(skip, skip + state.pageSize).map((userId) => ({
        '@odata.type': '#microsoft.graph.aadUserConversationMember',
        id: `membership-${userId}`,
        roles: [],
        displayName: userId,
        userId,
        tenantId: 'fake-tenant',
      }))
      const next = skip + state.pageSize < all.length ? `${base}${url.pathname}?$skiptoken=${skip + state.pageSize}` : undefined
      return json(res, 200, { '@odata.context': 'fake', value, ...(next ? { '@odata.nextLink': next } : {}) })
    }
    if (parts[0] === 'chats' && parts[2] === 'messages') {
      const m = threads.get(`chat/${parts[1]}/${parts[3]}`)?.[0]
      return m ? json(res, 200, m) : json(res, 404, NOT_FOUND_BODY)
    }
    return json(res, 404, NOT_FOUND_BODY)
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    loginUrl: base,
    graphUrl: `${base}/v1.0/`,
    tokenRequests,
    requests,
    threads,
    channelMembers,
    forbidden,
    throttled,
    get pageSize() {
      return state.pageSize
    },
    set pageSize(n: number) {
      state.pageSize = n
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  }
}
