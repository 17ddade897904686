/**
 * Persist before ack, on Slack. Every receiver (HTTP and Socket Mode) hands deliveries to
 * `App.processEvent`; IntakeApp writes each one to the inbox there, before Bolt runs any listener,
 * so no ack (Bolt's automatic one for events, a listener's for commands and interactions) can
 * leave before the delivery is durable. After a restart the stored body goes through Bolt again,
 * with a no-op ack and `context.beaconInbox` telling listeners that this is a replay.
 */
import type { AuthorizeResult, AuthorizeSourceData, Logger as BoltLogger, ReceiverEvent } from '@slack/bolt'
import { App, AuthorizationError } from './bolt.ts'
import { z } from 'zod'
import type { DeliveryInbox, InboxRun } from '../../src/core/adapter-host.ts'
import { BeaconError } from '../../src/core/errors.ts'
import type { Logger } from '../../src/core/logger.ts'
import { authorizeSource, fromThisApp, isPlainMessage, type PlainMessageBody } from './message-path.ts'

/** The context key listeners read (Bolt merges a receiver event's customProperties into context). */
export const INBOX_CONTEXT_KEY = 'beaconInbox'

const str = z.string().min(1)
const deliveryShape = z.looseObject({
  type: z.string().optional(),
  event_id: str.optional(),
  command: str.optional(),
  trigger_id: str.optional(),
  team_id: z.string().optional(),
  team: z.looseObject({ id: z.string() }).nullish(),
  user: z.looseObject({ id: z.string() }).optional(),
  user_id: z.string().optional(),
  actions: z.array(z.looseObject({ action_ts: z.string().optional(), action_id: z.string().optional() })).optional(),
  view: z.looseObject({ id: z.string().optional(), hash: z.string().optional() }).optional(),
})

/**
 * The platform's id for a delivery, identical when Slack retries it; undefined for what Beacon
 * does not persist (a modal closed: nothing to do, and nothing lost if it is dropped).
 */
export function deliveryKey(body: unknown): string | undefined {
  // Most deliveries: an event with none of the other kinds' fields, for which the parse below can only
  // succeed with this key. Checked in place, so the body is not copied on the ack path.
  if (storableEvent(body)) return `event:${body.event_id}`
  const p = deliveryShape.safeParse(body)
  if (!p.success || !boltCanRoute(p.data)) return undefined
  const b = p.data
  if (b.type === 'event_callback' && b.event_id) return `event:${b.event_id}`
  if (b.command) return b.trigger_id ? `command:${b.trigger_id}` : undefined
  if (!b.type || b.type === 'view_closed' || b.type === 'url_verification') return undefined
  if (b.trigger_id) return `${b.type}:${b.trigger_id}`
  const team = b.team?.id ?? b.team_id ?? ''
  const a = b.actions?.[0]
  if (a?.action_ts) return `${b.type}:${team}:${b.user?.id ?? b.user_id ?? ''}:${a.action_id ?? ''}:${a.action_ts}`
  if (b.view?.id && b.view.hash) return `${b.type}:${b.view.id}:${b.view.hash}`
  return undefined
}

function storableEvent(b: unknown): b is { event_id: string } {
  if (typeof b !== 'object' || b === null) return false
  const r = b as Record<string, unknown>
  return (
    r.type === 'event_callback' &&
    typeof r.event_id === 'string' &&
    r.event_id !== '' &&
    r.event !== undefined &&
    (r.team_id === undefined || typeof r.team_id === 'string') &&
    OTHER_KINDS.every((k) => r[k] === undefined)
  )
}
const OTHER_KINDS = ['command', 'trigger_id', 'team', 'user', 'user_id', 'actions', 'view'] as const

/**
 * Whether Bolt can tell what kind of delivery this is (the tests of `getTypeAndConversation` in
 * @slack/bolt's helpers, which Bolt does not export). What it cannot type it drops unacked, so it
 * must not be stored either: nothing would ever run it, and Slack's retry would find a claim.
 */
function boltCanRoute(b: Record<string, unknown>): boolean {
  const type = b.type
  return (
    b.event !== undefined ||
    b.command !== undefined ||
    b.name !== undefined ||
    b.actions !== undefined ||
    (typeof type === 'string' &&
      ['block_suggestion', 'dialog_submission', 'shortcut', 'message_action', 'view_submission', 'view_closed'].includes(type))
  )
}

/** The team a stored delivery came from (events and commands: team_id; interactions: team.id). */
export function deliveryTeam(body: unknown): string | undefined {
  const p = deliveryShape.safeParse(body)
  return p.success ? (p.data.team?.id ?? p.data.team_id) : undefined
}

/** Raised instead of acking: HTTP answers 503 (Slack retries), Socket Mode leaves the envelope un-acked (redelivered). */
export class NotAcceptedError extends BeaconError {
  constructor(reason: string, cause?: unknown) {
    super('unavailable', `slack delivery not accepted: ${reason}`, cause === undefined ? {} : { cause })
  }
}

const BUSY_REPLY = { response_type: 'ephemeral', text: 'Beacon is busy right now and nothing was changed. Please try again in a moment.' }

export interface IntakeOptions {
  inbox: DeliveryInbox
  log: Logger
  /** False while shutting down: deliveries are then refused un-acked, so Slack sends them again. */
  accepting(): boolean
}

/** Beacon's listener for a message event (listen-events.ts), given what Bolt's context would hold. */
export type MessageListener = (body: PlainMessageBody, context: Record<string, unknown>) => Promise<void>

/** What an acked delivery carries from its receiver event into Bolt's context. */
type Acked = Partial<Pick<ReceiverEvent, 'retryNum' | 'retryReason' | 'customProperties'>>

/** The two steps of Bolt's processEvent the message path runs itself, so they stay Bolt's (App.js of @slack/bolt 5). */
interface BoltSteps {
  authorize(source: AuthorizeSourceData<false>, body: unknown): Promise<AuthorizeResult>
  handleError(args: { error: Error; logger: BoltLogger; body: unknown; context: Record<string, unknown> }): Promise<void>
}

export class IntakeApp extends App {
  private intake: IntakeOptions | undefined
  private onMessage: MessageListener | undefined

  /** Turns the inbox on; until then deliveries go straight to Bolt (as before). */
  useInbox(o: IntakeOptions): void {
    this.intake = o
  }

  /** Stored message events go to `listener` without Bolt's per-request helpers (message-path.ts). */
  useMessageListener(listener: MessageListener): void {
    const bolt = this as unknown as Partial<Record<keyof BoltSteps, unknown>>
    // Bolt's own steps, not its public API: a Bolt that no longer has them keeps every event on Bolt's path.
    if (typeof bolt.authorize !== 'function' || typeof bolt.handleError !== 'function') {
      this.intake?.log.warn({}, 'this @slack/bolt has no authorize/handleError; message events take Bolt’s full path')
      return
    }
    this.onMessage = listener
  }

  override async processEvent(event: ReceiverEvent): Promise<void> {
    const o = this.intake
    if (!o) return super.processEvent(event)
    if (!o.accepting()) throw new NotAcceptedError('shutting down')
    const key = deliveryKey(event.body)
    if (!key) return super.processEvent(event)
    let run: InboxRun | 'duplicate'
    try {
      run = await o.inbox.accept(key, event.body)
    } catch (err) {
      o.log.warn({ err, key }, 'could not store a slack delivery; refused un-acked')
      // A slash command is not retried by Slack: the person hears at once that nothing happened.
      if (typeof event.body.command === 'string') return event.ack(BUSY_REPLY)
      throw new NotAcceptedError('inbox unavailable', err)
    }
    if (run === 'duplicate') {
      o.log.info({ key, retryNum: event.retryNum }, 'duplicate slack delivery acked and ignored')
      return event.ack()
    }
    const accepted = run
    if (event.body.type !== 'event_callback') {
      const customProperties = { ...event.customProperties, [INBOX_CONTEXT_KEY]: accepted }
      return o.inbox.run(accepted, () => super.processEvent({ ...event, customProperties }))
    }
    // An Events API delivery expects no answer, so once stored it is acked at once: a body Bolt then
    // chokes on (it types events without validating them) is the inbox's to retry, not Slack's.
    await event.ack()
    // Slack has its answer. The work goes on without this call waiting for it: the receiver holds the
    // request and response (and Bolt's helpers for them) until processEvent returns, which kept them
    // alive through the work and its batched inbox finish, and every scavenge copied them (GC was a
    // quarter of the CPU per message). stop() still waits for the work, through the inbox.
    const { body, retryNum, retryReason, customProperties } = event
    const acked = { retryNum, retryReason, customProperties }
    const work = isPlainMessage(body) ? () => this.handleMessage(body, accepted, acked) : () => this.throughBolt(body, accepted, acked)
    o.inbox.run(accepted, work).catch((err: unknown) => o.log.error({ err, key }, 'slack delivery left pending after a failure'))
  }

  /** The same path for a body accepted by an earlier process; its ack went long ago. */
  async replay(body: unknown, run: InboxRun): Promise<void> {
    if (isPlainMessage(body)) return this.handleMessage(body, run)
    await this.throughBolt(body as ReceiverEvent['body'], run)
  }

  /** Bolt's whole path for a delivery already acked (live or replayed): its ack is a no-op. */
  private throughBolt(body: ReceiverEvent['body'], run: InboxRun, acked: Acked = {}): Promise<void> {
    const customProperties = { ...acked.customProperties, [INBOX_CONTEXT_KEY]: run }
    return super.processEvent({ body, ack: async () => undefined, retryNum: acked.retryNum, retryReason: acked.retryReason, customProperties })
  }

  /** What Bolt's processEvent does for a stored message event, without the helpers nobody uses (message-path.ts). */
  private async handleMessage(body: PlainMessageBody, run: InboxRun, acked: Acked = {}): Promise<void> {
    if (!this.onMessage) return this.throughBolt(body, run, acked)
    const bolt = this as unknown as BoltSteps
    const source = authorizeSource(body)
    let auth: AuthorizeResult
    try {
      auth = await bolt.authorize(source, body)
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error), { cause: error })
      this.logger.warn('Authorization of incoming event did not succeed. No listeners will be called.')
      const authError = new AuthorizationError(`Authorization of incoming event did not succeed. ${e.message}`, e)
      return bolt.handleError({ error: authError, logger: this.logger, body, context: { isEnterpriseInstall: false } })
    }
    // As Bolt builds it: what authorize left out comes from the body, then the receiver's custom properties.
    const context: Record<string, unknown> = {
      ...auth,
      userId: auth.userId ?? source.userId,
      teamId: auth.teamId ?? source.teamId,
      enterpriseId: auth.enterpriseId ?? source.enterpriseId,
      ...acked.customProperties,
      [INBOX_CONTEXT_KEY]: run,
      isEnterpriseInstall: false,
      retryNum: acked.retryNum,
      retryReason: acked.retryReason,
    }
    if (fromThisApp(body.event, auth)) return
    try {
      await this.onMessage!(body, context)
    } catch (error) {
      return bolt.handleError({ error: error as Error, logger: this.logger, body, context })
    }
  }
}

/** The inbox run a listener is part of, if any (Bolt's context is untyped). */
export function inboxRunOf(context: Record<string, unknown>): InboxRun | undefined {
  const r = context[INBOX_CONTEXT_KEY] as InboxRun | undefined
  return r && typeof r.id === 'number' ? r : undefined
}
