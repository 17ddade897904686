/**
 * The short path for plain Events API message events, most of what Slack sends. Bolt's processEvent
 * builds per-request helpers (say, sayStream, setStatus, a pooled client, the context, the global
 * middleware chain) that Beacon never uses for a message: a fifth of its CPU per message event went
 * there and into the garbage they leave (bench/slack-ack.ts). IntakeApp (intake.ts) takes this path
 * after the inbox accept and the ack, live and on replay alike, and keeps Bolt's semantics by doing
 * what Bolt does for such a body: the same authorize call with the same source (buildSource in
 * @slack/bolt's App.js), then Bolt's ignoreSelf rules, then Beacon's event listener; an error goes to
 * Bolt's error handler (app.error). Anything else (other events, org-wide installs, workflow
 * function payloads) keeps going through Bolt.
 */
import type { AuthorizeResult, AuthorizeSourceData } from '@slack/bolt'

/** The message event bodies this path handles (everything else: Bolt). */
export interface PlainMessageBody {
  type: 'event_callback'
  team_id?: unknown
  enterprise_id?: unknown
  event: { type: 'message'; user?: unknown; subtype?: unknown; bot_id?: unknown; channel?: unknown }
  authorizations?: unknown
  [k: string]: unknown
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** The first entry of `authorizations`, which Bolt prefers over the top-level team and enterprise. */
function firstAuthorization(body: Record<string, unknown>): Record<string, unknown> | undefined {
  const a = body.authorizations
  return Array.isArray(a) && isRecord(a[0]) ? a[0] : undefined
}

/** No `authorizations`, or one Bolt reads without tripping (its first entry an object, or none). */
function readableAuthorizations(a: unknown): boolean {
  return a === undefined || (Array.isArray(a) && (a[0] === undefined || isRecord(a[0])))
}

/**
 * An Events API `message` event of a workspace install, outside a workflow function: what Bolt would
 * route to Beacon's event listener after authorize and ignoreSelf, and nothing else.
 */
export function isPlainMessage(body: unknown): body is PlainMessageBody {
  if (!isRecord(body) || body.type !== 'event_callback' || body.function_data !== undefined) return false
  const event = body.event
  if (!isRecord(event) || event.type !== 'message' || !readableAuthorizations(body.authorizations)) return false
  // Org-wide installs authorize against the enterprise: left to Bolt.
  const first = firstAuthorization(body)
  if (first) return !first.is_enterprise_install
  return body.is_enterprise_install === undefined || body.is_enterprise_install === false
}

/** What Bolt's buildSource gives authorize for this body (team and enterprise from authorizations first). */
export function authorizeSource(body: PlainMessageBody): AuthorizeSourceData<false> {
  const first = firstAuthorization(body)
  const teamId = first && first.team_id !== null ? first.team_id : body.team_id
  const enterpriseId = first ? (first.enterprise_id ?? undefined) : body.enterprise_id
  const e = body.event
  const userId = typeof e.user === 'string' ? e.user : isRecord(e.user) ? e.user.id : undefined
  return {
    isEnterpriseInstall: false,
    teamId: teamId as string | undefined,
    enterpriseId: enterpriseId as string | undefined,
    userId: userId as string | undefined,
    conversationId: typeof e.channel === 'string' ? e.channel : isRecord(e.channel) ? (e.channel.id as string | undefined) : undefined,
  } as AuthorizeSourceData<false>
}

/**
 * Bolt's ignoreSelf (middleware/builtin.js) for a message event: the app's own bot_message, or
 * anything its bot user did. Beacon's translation drops other bots' posts itself.
 */
export function fromThisApp(event: PlainMessageBody['event'], auth: Pick<AuthorizeResult, 'botId' | 'botUserId'>): boolean {
  if (event.subtype === 'bot_message' && event.bot_id === auth.botId) return true
  return auth.botUserId !== undefined && event.user === auth.botUserId
}
