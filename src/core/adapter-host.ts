/**
 * What a chat adapter (adapters/slack, adapters/teams, adapters/shell) gets from the application,
 * and what it gives back. Adapters depend on this, never on src/app or src/storage: the composition
 * root (src/app/compose.ts) builds every store and service and hands them over through a host.
 */
import type { Dispatcher } from './dispatcher.ts'
import type { Logger } from './logger.ts'
import type { EffectLedger } from './once-turn.ts'
import type { ChatPlatform, Clock, ConversationRepository, JobQueue, PeopleRepository, WorkspaceRepository } from './ports.ts'

/** A store backed by SQLite answers at once, one backed by PostgreSQL later: callers await either. */
export type Awaitable<T> = T | Promise<T>

/** A running chat platform connection (Slack, Teams, shell). */
export interface Adapter {
  readonly platform: ChatPlatform
  /** Connect (Socket Mode, etc.). HTTP routes are mounted when the adapter is created. */
  start(): Promise<void>
  /** Stop taking new events; in-flight ones finish. */
  stop(): Promise<void>
}

/** The services every adapter may use. */
export interface AdapterHost {
  log: Logger
  clock: Clock
  dispatcher: Pick<Dispatcher, 'dispatch'>
  repos: { workspaces: WorkspaceRepository; people: PeopleRepository; conversations: ConversationRepository }
  /** A workspace removed the app: its jobs go with its data. */
  queue: Pick<JobQueue, 'purgeWorkspace'>
}

/** One processing of one stored delivery. */
export interface InboxRun {
  id: number
  /** True when a previous process accepted it and this one processes it again after restarting. */
  replay: boolean
  ledger: EffectLedger
}

/** Processes a stored body again after a restart (the adapter's normal path, without a live request). */
export type Replay = (body: unknown, run: InboxRun) => Promise<void>

/**
 * Persist, ack, then work (the application's inbox, src/app/inbox.ts): an adapter accepts what a
 * platform delivered before it acks, runs the work, and the inbox replays what a dead process left.
 */
export interface DeliveryInbox {
  /** The run to process it with, or 'duplicate'; throws BeaconError('unavailable') when it cannot be stored (then do not ack). */
  accept(key: string, body: unknown): Awaitable<InboxRun | 'duplicate'>
  /** Does the work of an accepted delivery and marks it done; a throw leaves it pending for a later try. */
  run(run: InboxRun, work: () => Promise<void>): Promise<void>
  /** Deletes the stored deliveries of a removed workspace (`keep`: the removal's own delivery). */
  forget(needle: string, belongs: (body: unknown) => boolean, keep?: number): Awaitable<number>
  /** Replays what earlier processes left, now and periodically. */
  start(): void
  /** Stop sweeping and wait for the work in hand. */
  stop(): Promise<void>
}

/** Opens the inbox of one adapter's deliveries ('slack', 'teams'); `replay` runs a stored body again. */
export type OpenInbox = (source: string, log: Logger, replay: Replay) => DeliveryInbox
