/**
 * The HTTP transport under botbuilder's Bot Connector client: every call to a serviceUrl goes
 * through Teams' limits (per conversation, per tenant), and 429/412/502/503/504 are retried here
 * with backoff honouring Retry-After, on injected timers. botbuilder's own pipeline would retry
 * with real sleeps and without any limiter; giving it a final answer (or a thrown error) that it
 * does not retry keeps one policy in one place.
 *
 * Failures surface as `ConnectorError` with the HTTP status and the Bot Framework error code
 * (`{"error":{"code":"BotNotInConversationRoster",…}}`), which TeamsPlatform turns into decisions.
 */
import type { ConfigurationBotFrameworkAuthentication } from 'botbuilder'
import type { Logger } from '../../src/core/logger.ts'
import {
  acquire,
  backoffMs,
  retryAfterMs,
  SlidingWindowLimiter,
  TEAMS_CONVERSATION_LIMITS,
  TEAMS_TENANT_LIMITS,
  type Timers,
} from './rate-limiter.ts'

type ConnectorClientOptions = NonNullable<ConstructorParameters<typeof ConfigurationBotFrameworkAuthentication>[4]>
type HttpClient = NonNullable<ConnectorClientOptions['httpClient']>
type WebResource = Parameters<HttpClient['sendRequest']>[0]
type CompatResponse = Awaited<ReturnType<HttpClient['sendRequest']>>

const RETRYABLE = new Set([412, 429, 502, 503, 504])
const MAX_ATTEMPTS = 6

export class ConnectorError extends Error {
  constructor(
    readonly statusCode: number,
    /** Bot Framework error code from the body, e.g. "BotNotInConversationRoster", "ConversationBlockedByUser". */
    readonly errorCode: string | undefined,
    message: string,
  ) {
    super(message)
    this.name = 'ConnectorError'
  }
}

export interface ConnectorTransportOptions {
  timers: Timers
  log: Logger
  /** Overridable for tests; Teams' published limits by default. */
  conversationLimits?: ConstructorParameters<typeof SlidingWindowLimiter>[0]
  tenantLimits?: ConstructorParameters<typeof SlidingWindowLimiter>[0]
}

export function connectorTransport(o: ConnectorTransportOptions): HttpClient {
  const perConversation = new SlidingWindowLimiter(o.conversationLimits ?? TEAMS_CONVERSATION_LIMITS)
  const perTenant = new SlidingWindowLimiter(o.tenantLimits ?? TEAMS_TENANT_LIMITS)
  return {
    async sendRequest(req: WebResource): Promise<CompatResponse> {
      const body = typeof req.body === 'string' ? req.body : req.body === undefined || req.body === null ? undefined : JSON.stringify(req.body)
      const conversation = conversationOf(req.url)
      const tenant = tenantOf(body)
      const slots: [SlidingWindowLimiter, string][] = [[perConversation, conversation ?? new URL(req.url).pathname]]
      if (tenant) slots.push([perTenant, tenant])
      for (let attempt = 1; ; attempt++) {
        const done = await acquire(o.timers, slots)
        let res: Response
        try {
          res = await fetch(req.url, {
            method: req.method,
            headers: req.headers.rawHeaders(),
            ...(body !== undefined ? { body } : {}),
            signal: AbortSignal.timeout(req.timeout || 30_000),
          })
        } finally {
          done()
        }
        const text = await res.text()
        if (res.ok) return compatResponse(req, res, text)
        const wait = retryAfterMs(res.headers.get('retry-after'), o.timers.now())
        if (RETRYABLE.has(res.status) && attempt < MAX_ATTEMPTS) {
          const delay = backoffMs(attempt, wait)
          // Teams throttles the conversation (or tenant), not this one call: hold the key for everyone.
          if (res.status === 429) for (const [l, k] of slots) l.pause(k, o.timers.now() + delay)
          o.log.warn({ status: res.status, attempt, delayMs: delay, conversation }, 'bot connector asked to retry; backing off')
          await o.timers.sleep(delay)
          continue
        }
        const code = errorCodeOf(text)
        throw new ConnectorError(
          res.status,
          code,
          `Bot Connector ${req.method} ${new URL(req.url).pathname} failed with HTTP ${res.status}${code ? ` (${code})` : ''}`,
        )
      }
    },
  }
}

/** "{serviceUrl}v3/conversations/{id}/…" → the conversation id without ";messageid=", decoded. */
export function conversationOf(url: string): string | undefined {
  const m = /\/v3\/conversations\/([^/?]+)/.exec(new URL(url).pathname)
  if (!m) return undefined
  return decodeURIComponent(m[1]!).split(';messageid=')[0]
}

function tenantOf(body: string | undefined): string | undefined {
  if (!body) return undefined
  try {
    const b = JSON.parse(body) as { tenantId?: unknown; conversation?: { tenantId?: unknown }; channelData?: { tenant?: { id?: unknown } } }
    const t = b.conversation?.tenantId ?? b.channelData?.tenant?.id ?? b.tenantId
    return typeof t === 'string' ? t : undefined
  } catch {
    return undefined
  }
}

function errorCodeOf(text: string): string | undefined {
  try {
    const b = JSON.parse(text) as { error?: { code?: unknown } }
    return typeof b.error?.code === 'string' ? b.error.code : undefined
  } catch {
    return undefined
  }
}

function compatResponse(request: WebResource, res: Response, bodyAsText: string): CompatResponse {
  const headers = request.headers.clone()
  for (const name of headers.headerNames()) headers.remove(name)
  res.headers.forEach((value, name) => {
    headers.set(name, value)
  })
  return { request, status: res.status, headers, bodyAsText } as CompatResponse
}
