/**
 * The core's edges. Implementations live in adapters/ (chat platforms), src/storage (repositories)
 * and src/jobs (queues); tests use fakes of the same interfaces.
 */
import type { ZodType } from 'zod'
import type { ChatMessage, Conversation, ConversationRef, MessageRef, Person, PersonRef, Platform, Workspace, WorkspaceId } from './model.ts'
import type { Card, Form, Outbound } from './outbound.ts'
import type { ThreadId } from './thread-id.ts'

export interface PlatformCapabilities {
  /** People can react to any message and Beacon hears it (Slack yes; Teams only on the bot's own messages). */
  reactions: boolean
  /** Messages only one person sees, in place (Slack). */
  ephemeral: boolean
  /** Forms in a modal / dialog. */
  modals: boolean
  /** A personal home surface (Slack App Home). */
  home: boolean
}

export type PostTarget = { conversation: ConversationRef; threadId?: ThreadId } | { dmTo: PersonRef }

export interface ChatPlatform {
  readonly name: Platform
  readonly caps: PlatformCapabilities
  post(target: PostTarget, m: Outbound): Promise<MessageRef>
  update(ref: MessageRef, m: Outbound): Promise<void>
  /** Root first, then every reply, following every page. */
  fetchThread(thread: ThreadId): Promise<ChatMessage[]>
  /** The thread a message belongs to (Slack reaction events do not say). */
  threadOf(conversation: ConversationRef, messageId: string): Promise<ThreadId>
  isMember(workspace: WorkspaceId, personId: string, conversationId: string): Promise<boolean>
  getPerson(workspace: WorkspaceId, personId: string): Promise<Person | undefined>
  getConversation(workspace: WorkspaceId, conversationId: string): Promise<Conversation | undefined>
  permalink(ref: MessageRef): Promise<string | undefined>
  /**
   * Whether the person administers or owns the workspace, and their email (for BEACON_ADMINS), as
   * the platform says; undefined when it does not know the person. Absent where the platform has no
   * such notion Beacon can read (Teams: admins come from BEACON_ADMINS only). Throws when the
   * platform cannot be asked; the role resolver (src/core/people/roles.ts) caches the answer.
   */
  workspaceStanding?(workspace: WorkspaceId, personId: string): Promise<WorkspaceStanding | undefined>
  /**
   * The active account with this verified email, for matching one person across an organisation's
   * workspaces (src/core/org/identity.ts); undefined when none (Slack: users.lookupByEmail; Teams:
   * the rosters of the teams Beacon is in). Absent where the platform cannot look people up by email.
   */
  findPersonByEmail?(workspace: WorkspaceId, email: string): Promise<string | undefined>
  /** Only where caps.home. */
  publishHome?(workspace: WorkspaceId, personId: string, card: Card): Promise<void>
}

export interface WorkspaceStanding {
  admin: boolean
  email?: string
}

/** Finds the platform that serves a workspace. */
export interface PlatformDirectory {
  forWorkspace(workspace: WorkspaceId): ChatPlatform
  register(platform: ChatPlatform): void
}

/**
 * The answer channel of one inbound event: where a reply goes, and what the platform lets Beacon
 * do in response (open a form only while a trigger is fresh, replace the card a button was on).
 */
export interface Turn {
  /** Reply where the person acted; `visibleTo` makes it private where the platform can. */
  reply(m: Outbound): Promise<void>
  /** Open a form; only when the platform has modals and the event allows one. */
  openForm?(form: Form): Promise<void>
  /** Replace the message whose button was clicked. */
  replaceSource?(m: Outbound): Promise<void>
  /** Refuse a form submission, keeping the form open with a message per field. */
  rejectForm?(errors: Record<string, string>): Promise<void>
}

export interface Clock {
  now(): Date
}

export const systemClock: Clock = { now: () => new Date() }

// ---------------------------------------------------------------- jobs

export interface JobDefinition<T> {
  name: string
  schema: ZodType<T>
  /** Total tries including the first (default 5). */
  attempts?: number
  /** First retry delay; doubles each time (default 1000 ms). */
  backoffMs?: number
}

export interface JobContext {
  jobId: string
  /** 1 for the first try. */
  attempt: number
}

export type JobHandler<T> = (data: T, ctx: JobContext) => Promise<void>

export interface EnqueueOptions {
  delayMs?: number
  runAt?: Date
  /** Enqueueing again with the same key while the job exists (waiting, delayed or done) does nothing. */
  dedupeKey?: string
  attempts?: number
  backoffMs?: number
}

export interface ScheduleOptions {
  /** IANA zone the cron expression is read in (default UTC). */
  timezone?: string
  /** Distinguishes several schedules of one job (default: the job name). */
  key?: string
}

export interface JobQueue {
  /** Declare how a job runs. All definitions are registered before start(). */
  register<T>(def: JobDefinition<T>, handler: JobHandler<T>): void
  /** Validates `data` against the definition's schema; throws BeaconError('job_invalid') if it does not fit. */
  enqueue<T>(def: JobDefinition<T>, data: T, opts?: EnqueueOptions): Promise<{ id: string; deduped: boolean }>
  /**
   * The synchronous write of `enqueue`, for use inside a repository's transaction on the same
   * SQLite database (a transactional outbox): the job exists exactly when that transaction commits,
   * so a change and its follow-up jobs can never be split by a crash or a failing queue. Same
   * validation and dedupe as `enqueue`; the runner or relay is woken once the transaction is over.
   */
  stage<T>(def: JobDefinition<T>, data: T, opts?: EnqueueOptions): void
  /** Remove a waiting or delayed job by its dedupe key; true when one was removed. */
  cancel(def: JobDefinition<unknown>, dedupeKey: string): Promise<boolean>
  /** A repeatable job; scheduling the same key again replaces the cron. */
  schedule<T>(def: JobDefinition<T>, cron: string, data: T, opts?: ScheduleOptions): Promise<void>
  unschedule(def: JobDefinition<unknown>, key?: string): Promise<void>
  /**
   * Forget every job whose payload belongs to this workspace (app uninstalled): waiting, delayed,
   * finished and not yet relayed. A job already running finishes (or fails) on its own. Returns how
   * many were removed.
   */
  purgeWorkspace(workspace: WorkspaceId): Promise<number>
  /** Names of registered jobs, for `beacon jobs run`. */
  names(): string[]
  /** Run a registered job right now with the given data (operators' `beacon jobs run <name>`). */
  runNow(name: string, data?: unknown): Promise<void>
  start(): Promise<void>
  /** Stop taking jobs, let running ones finish, release connections. */
  close(): Promise<void>
  /** True when the queue's backing store answers (for /readyz). */
  ping(): Promise<boolean>
}

// ---------------------------------------------------------------- repositories

export interface WorkspaceRepository {
  upsert(w: Workspace): Promise<void>
  get(id: WorkspaceId): Promise<Workspace | undefined>
  /** Every workspace Beacon knows (for `beacon org list`). */
  list(): Promise<Workspace[]>
  /** Forget a workspace and everything scoped by it (app uninstalled). */
  remove(id: WorkspaceId): Promise<void>
}

export interface PeopleRepository {
  upsert(p: Person): Promise<void>
  get(workspace: WorkspaceId, id: string): Promise<Person | undefined>
  /** Find by display name, case-insensitive (for "@name" in the shell and Teams text). */
  findByName(workspace: WorkspaceId, name: string): Promise<Person | undefined>
  /** person id → department, for the people of a workspace whose stored profile names one. */
  departments(workspace: WorkspaceId): Promise<Map<string, string>>
}

export interface ConversationRepository {
  upsert(c: Conversation): Promise<void>
  get(workspace: WorkspaceId, id: string): Promise<Conversation | undefined>
}

export interface ProcessedEventRepository {
  /** Records the event; true the first time, false for every retry of the same event. */
  claim(workspace: WorkspaceId, eventId: string, at: Date): Promise<boolean>
  /** Forget claims older than the cutoff (retries stop after minutes). */
  purgeBefore(cutoff: Date): Promise<number>
}
