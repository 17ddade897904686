import type { Dispatcher } from '../core/dispatcher.ts'
import type { Logger } from '../core/logger.ts'
import type { Clock, JobQueue, PlatformDirectory } from '../core/ports.ts'
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

// Moved to the core (adapters depend on the core, not on the app); re-exported for existing imports.
export type { Adapter } from '../core/adapter-host.ts'
