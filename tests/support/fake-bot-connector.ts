/**
 * A local Bot Connector (the Bot Framework's `serviceUrl`) speaking its REST v3 wire format:
 *   POST {serviceUrl}v3/conversations                                   create a conversation (DMs)
 *   POST {serviceUrl}v3/conversations/{id}/activities[/{replyToId}]    send / reply
 *   PUT  {serviceUrl}v3/conversations/{id}/activities/{activityId}     update
 *   GET  {serviceUrl}v3/conversations/{id}/members/{memberId}          one member (404 when not one)
 * Conversation ids arrive percent-encoded (`19%3Aabc%40thread.tacv2%3Bmessageid%3D123`) and are
 * recorded decoded. Every call is recorded with its Authorization header.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Hold } from './fake-slack-api.ts'

export interface ConnectorCall {
  method: string
  kind: 'send' | 'reply' | 'update' | 'delete' | 'createConversation' | 'member' | 'members' | 'unknown'
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

export interface FakeBotConnector {
  /** Ends with "/", as Teams' serviceUrls do. */
  serviceUrl: string
  calls: ConnectorCall[]
  /** Members per decoded conversation id (without ";messageid="). */
  members: Map<string, FakeMember[]>
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

const send = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(JSON.stringify(body))
}

export async function startFakeBotConnector(prefix = '/amer/'): Promise<FakeBotConnector> {
  const calls: ConnectorCall[] = []
  const members = new Map<string, FakeMember[]>()
  let seq = 1000
  const waiters: (() => void)[] = []
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
    const [v3, conversations, convId, sub, subId] = parts
    if (v3 !== 'v3' || conversations !== 'conversations') return send(res, 404, { error: { code: 'NotFound' } })
    if (convId === undefined || convId === '') {
      if (req.method !== 'POST') return send(res, 405, {})
      call.kind = 'createConversation'
      const id = `a:dm-${++seq}`
      return send(res, 201, { id, activityId: String(++seq) })
    }
    call.conversationId = convId
    if (sub === 'activities') {
      if (subId) call.activityId = subId
      call.kind = req.method === 'PUT' ? 'update' : req.method === 'DELETE' ? 'delete' : subId ? 'reply' : 'send'
      const hold = holds.get(call.kind)?.shift()
      if (hold) {
        calls.splice(calls.indexOf(call), 1)
        hold.arrived()
        await hold.released
        if (req.socket.destroyed) return // the caller died while it was held: never answered
        calls.push(call)
      }
      for (const w of waiters.splice(0)) w()
      return send(res, req.method === 'DELETE' ? 200 : 201, { id: req.method === 'PUT' ? subId : String(++seq) })
    }
    if (sub === 'members') {
      const list = members.get(convId.split(';messageid=')[0]!) ?? []
      if (!subId) {
        call.kind = 'members'
        return send(res, 200, list)
      }
      call.kind = 'member'
      call.memberId = subId
      // Teams accepts either the "29:" id or the AAD object id here.
      const m = list.find((x) => x.id === subId || x.aadObjectId === subId)
      return m ? send(res, 200, m) : send(res, 404, { error: { code: 'MemberNotFoundInConversation', message: 'The member is not in the conversation' } })
    }
    return send(res, 404, { error: { code: 'NotFound' } })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as AddressInfo
  const isMessage = (c: ConnectorCall) => c.kind === 'send' || c.kind === 'reply' || c.kind === 'update'

  return {
    serviceUrl: `http://127.0.0.1:${port}${prefix}`,
    calls,
    members,
    messages: () => calls.filter(isMessage),
    async waitForMessages(n, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs
      while (calls.filter(isMessage).length < n) {
        if (Date.now() > deadline) throw new Error(`expected ${n} connector messages, got ${calls.filter(isMessage).length}`)
        await new Promise<void>((r) => {
          waiters.push(r)
          setTimeout(r, 50)
        })
      }
      return calls.filter(isMessage)
    },
    holdNext(kind) {
      let arrived!: () => void
      let release!: () => void
      const reached = new Promise<void>((r) => (arrived = r))
      const released = new Promise<void>((r) => (release = r))
      holds.set(kind, [...(holds.get(kind) ?? []), { arrived, released }])
      return { reached, release }
    },
    close: () => new Promise<void>((r) => {
      server.closeAllConnections()
      server.close(() => r())
    }),
  }
}
