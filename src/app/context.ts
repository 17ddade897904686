import type { Dispatcher } from '../core/dispatcher.ts'
import type { Logger } from '../core/logger.ts'
import type { ChatPlatform, Clock, JobQueue, PlatformDirectory } from '../core/ports.ts'
import type { Db } from '../storage/db.ts'
import type { Storage } from '../storage/open.ts'
import type { Repositories } from '../storage/repositories/index.ts'
import type { Config } from './config.ts'

/** Everything an adapter or job processor may use, built once by the composition root. */
export interface BeaconContext {
  config: Config
  log: Logger
  /** The chosen backend (storage/open.ts); use `repos` for data. */
  storage: Storage
  /** The SQLite handle for the stores not yet behind `repos`; throws on PostgreSQL. */
  readonly db: Db
  repos: Repositories
  queue: JobQueue
  platforms: PlatformDirectory
  dispatcher: Dispatcher
  clock: Clock
}

/** A running chat platform connection (Slack, Teams, shell). */
export interface Adapter {
  readonly platform: ChatPlatform
  /** Connect (Socket Mode, etc.). HTTP routes are mounted when the adapter is created. */
  start(): Promise<void>
  /** Stop taking new events; in-flight ones finish. */
  stop(): Promise<void>
}
