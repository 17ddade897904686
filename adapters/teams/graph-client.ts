/**
 * Microsoft Graph, only for what the Bot Framework cannot give: the whole content of a channel
 * thread (root + every reply) when someone saves it. App-only token of the thread's tenant; the RSC
 * permission ChannelMessage.Read.Group (granted per team at install) authorises the reads.
 */
import { z } from 'zod'
import { BeaconError } from '../../src/core/errors.ts'
import type { Attachment } from '../../src/core/model.ts'
import type { AppTokenClient } from './auth.ts'
import { capMessage, htmlToMarkdown } from './html-to-markdown.ts'
import { acquire, backoffMs, GRAPH_CHANNEL_LIMITS, realTimers, retryAfterMs, SlidingWindowLimiter, type Timers } from './rate-limiter.ts'

/** What the saver is told when Graph will not give the whole thread, and what would fix it. */
export const NEEDS_RSC_CONSENT =
  'Beacon isn’t allowed to read this team’s threads. ' +
  'A team owner can allow it by granting Beacon the permission “ChannelMessage.Read.Group” ' +
  '(Manage team → Apps → Beacon: accept the permissions, or re-add the app); after that, saving captures the whole thread.'
const NO_CREDENTIALS =
  'This Beacon runs without Microsoft app credentials, so it can’t read Teams threads. ' +
  'Its operator can set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD to capture whole threads.'
const NOT_FOUND = 'Microsoft Graph couldn’t find this thread for Beacon (it may have been deleted or moved, or the team isn’t one Beacon can read).'
const MAX_ATTEMPTS = 5

const identity = z.looseObject({ id: z.string().nullish(), displayName: z.string().nullish() }).nullish()

export const graphMessage = z.looseObject({
  id: z.string(),
  replyToId: z.string().nullish(),
  messageType: z.string().nullish(),
  createdDateTime: z.string(),
  lastEditedDateTime: z.string().nullish(),
  deletedDateTime: z.string().nullish(),
  webUrl: z.string().nullish(),
  from: z.looseObject({ user: identity, application: identity }).nullish(),
  body: z.looseObject({ contentType: z.string().nullish(), content: z.string().nullish() }),
  attachments: z
    .array(
      z.looseObject({ id: z.string().nullish(), contentType: z.string().nullish(), contentUrl: z.string().nullish(), name: z.string().nullish() }),
    )
    .nullish(),
})
export type GraphMessage = z.infer<typeof graphMessage>

const page = z.looseObject({ value: z.array(z.unknown()), '@odata.nextLink': z.string().nullish() })
/** aadUserConversationMember: `userId` is the AAD object id, Beacon's id for a Teams person. */
const channelMember = z.looseObject({ userId: z.string().nullish() })

/** A Graph message reduced to what the core needs; author ids are AAD object ids. */
export interface ThreadMessage {
  id: string
  authorId: string
  authorName: string
  isBot: boolean
  text: string
  at: Date
  editedAt?: Date
  attachments: Attachment[]
  webUrl?: string
}

export class GraphClient {
  private readonly base: URL
  private readonly perChannel = new SlidingWindowLimiter(GRAPH_CHANNEL_LIMITS)

  constructor(
    graphApiUrl: string,
    private readonly tokens: AppTokenClient | undefined,
    private readonly timers: Timers = realTimers,
  ) {
    this.base = new URL(graphApiUrl.endsWith('/') ? graphApiUrl : `${graphApiUrl}/`)
  }

  /** Root first, then every reply oldest first, following @odata.nextLink; deleted and system messages left out. */
  async channelThread(tenantId: string, groupId: string, channelId: string, rootId: string): Promise<ThreadMessage[]> {
    const path = `teams/${enc(groupId)}/channels/${enc(channelId)}/messages/${enc(rootId)}`
    const channel = `${groupId}/${channelId}`
    const root = graphMessage.parse(await this.get(tenantId, new URL(path, this.base), channel))
    const replies: GraphMessage[] = []
    let next: URL | undefined = new URL(`${path}/replies?$top=50`, this.base)
    for (let pages = 0; next && pages < 200; pages++) {
      const body = page.parse(await this.get(tenantId, next, channel))
      for (const raw of body.value) {
        const m = graphMessage.safeParse(raw)
        if (m.success) replies.push(m.data)
      }
      next = body['@odata.nextLink'] ? this.sameOrigin(body['@odata.nextLink']) : undefined
    }
    replies.sort((a, b) => Date.parse(a.createdDateTime) - Date.parse(b.createdDateTime))
    return [root, ...replies].filter(visible).map(toThreadMessage)
  }

  /** A message of a personal or group chat (chats have no threads: the message is the thread). */
  async chatMessage(tenantId: string, chatId: string, messageId: string): Promise<ThreadMessage[]> {
    const m = graphMessage.parse(await this.get(tenantId, new URL(`chats/${enc(chatId)}/messages/${enc(messageId)}`, this.base), chatId))
    return visible(m) ? [toThreadMessage(m)] : []
  }

  /**
   * Everyone who may read a channel (AAD object ids), direct and indirect (a shared channel's
   * members through other teams), every page. Needs the RSC permission ChannelMember.Read.Group.
   */
  async channelMembers(tenantId: string, groupId: string, channelId: string): Promise<Set<string>> {
    const out = new Set<string>()
    let next: URL | undefined = new URL(`teams/${enc(groupId)}/channels/${enc(channelId)}/allMembers?$top=999`, this.base)
    for (let pages = 0; next && pages < 100; pages++) {
      const body = page.parse(await this.get(tenantId, next, `${groupId}/${channelId}`))
      for (const raw of body.value) {
        const m = channelMember.safeParse(raw)
        if (m.success && m.data.userId) out.add(m.data.userId)
      }
      next = body['@odata.nextLink'] ? this.sameOrigin(body['@odata.nextLink']) : undefined
    }
    return out
  }

  /** nextLink is absolute; the bearer token must never be sent anywhere but Graph. */
  private sameOrigin(link: string): URL {
    const u = new URL(link, this.base)
    if (u.origin !== this.base.origin) throw new BeaconError('platform_error', `Graph paging link points outside ${this.base.origin}`)
    return u
  }

  /** One GET within Graph's per-channel limit; 429/503/504 are retried after Retry-After (or a backoff). */
  private async get(tenantId: string, url: URL, channel: string): Promise<unknown> {
    if (!this.tokens)
      throw new BeaconError('not_supported', 'reading Teams threads needs MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD', {
        userMessage: NO_CREDENTIALS,
      })
    const scope = `${this.base.origin}/.default`
    for (let attempt = 1; ; attempt++) {
      const done = await acquire(this.timers, [[this.perChannel, channel]])
      let res: Response
      try {
        res = await fetch(url, {
          headers: { authorization: `Bearer ${await this.tokens.token(tenantId, scope)}`, accept: 'application/json' },
          signal: AbortSignal.timeout(15_000),
        })
      } finally {
        done()
      }
      if (res.ok) return res.json()
      const code = await graphErrorCode(res)
      if (res.status === 404) throw new BeaconError('not_found', `Graph ${url.pathname} not found (${code ?? 'no code'})`, { userMessage: NOT_FOUND })
      if (res.status === 403)
        throw new BeaconError('forbidden', `Graph refused ${url.pathname} (${code ?? 'no code'}): is ChannelMessage.Read.Group granted?`, {
          userMessage: NEEDS_RSC_CONSENT,
        })
      const retryable = res.status === 429 || res.status === 503 || res.status === 504
      if (retryable && attempt < MAX_ATTEMPTS) {
        const delay = backoffMs(attempt, retryAfterMs(res.headers.get('retry-after'), this.timers.now()))
        if (res.status === 429) this.perChannel.pause(channel, this.timers.now() + delay)
        await this.timers.sleep(delay)
        continue
      }
      if (res.status === 429)
        throw new BeaconError('rate_limited', `Graph throttled ${url.pathname}; retry after ${res.headers.get('retry-after') ?? '?'} s`)
      throw new BeaconError('platform_error', `Graph ${url.pathname} failed with HTTP ${res.status}`)
    }
  }
}

/** Graph error bodies look like {"error":{"code":"Forbidden","message":"…"}}. */
async function graphErrorCode(res: Response): Promise<string | undefined> {
  const body = (await res.json().catch(() => undefined)) as { error?: { code?: unknown } } | undefined
  return typeof body?.error?.code === 'string' ? body.error.code : undefined
}

const enc = encodeURIComponent

function visible(m: GraphMessage): boolean {
  return !m.deletedDateTime && (m.messageType ?? 'message') === 'message'
}

function toThreadMessage(m: GraphMessage): ThreadMessage {
  const who = m.from?.user ?? m.from?.application
  const content = m.body.content ?? ''
  const text = m.body.contentType === 'html' ? capMessage(content, htmlToMarkdown) : capMessage(content, (c) => c.trim())
  // Files are attachments of type "reference" with a SharePoint URL; cards and quotes have none.
  const attachments = (m.attachments ?? [])
    .filter((a) => a.contentUrl && /^https?:/i.test(a.contentUrl))
    .map((a) => ({ name: a.name || 'attachment', url: a.contentUrl! }))
  return {
    id: m.id,
    authorId: who?.id ?? 'unknown',
    authorName: who?.displayName ?? 'Unknown',
    isBot: !m.from?.user && Boolean(m.from?.application),
    text,
    at: new Date(m.createdDateTime),
    ...(m.lastEditedDateTime ? { editedAt: new Date(m.lastEditedDateTime) } : {}),
    attachments,
    ...(m.webUrl ? { webUrl: m.webUrl } : {}),
  }
}
