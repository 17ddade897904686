/**
 * The one place that picks the storage backend: DATABASE_URL (postgres://…) selects PostgreSQL,
 * otherwise the SQLite file at DATABASE_PATH. Everything else gets a `Storage` and uses its
 * repositories, so no other module names a backend.
 */
import type { TeamsReferenceRepository } from '../core/adapter-stores.ts'
import { BeaconError } from '../core/errors.ts'
import { JobOutbox, type OutboxStore } from '../jobs/outbox.ts'
import { closeDb, type Db, openDb, pingDb } from './db.ts'
import type { PgDb } from './pg/db.ts'
import { type InboxStore, SqliteInbox } from './repositories/inbox.ts'
import { type Repositories, sqliteRepositories } from './repositories/index.ts'
import { type SlackInstallationRepository, SqliteSlackInstallationRepository } from './repositories/slack-installations.ts'
import { SqliteTeamsReferenceRepository } from './repositories/teams-references.ts'

interface StorageCommon {
  repos: Repositories
  /** The adapters' delivery inbox (src/app/inbox.ts). */
  inbox: InboxStore
  /** Slack OAuth installations (sealed secrets). */
  slackInstallations: SlackInstallationRepository
  /** Teams conversation references, users and teams. */
  teamsReferences: TeamsReferenceRepository
  /** The BullMQ queue's outbox ("persist before ack, relay after"). */
  jobOutbox: OutboxStore
  /** Where the data lives, for messages (a PostgreSQL password is never included). */
  readonly where: string
  ping(): Promise<boolean>
  close(): Promise<void>
}
export interface SqliteStorage extends StorageCommon {
  kind: 'sqlite'
  db: Db
}
export interface PostgresStorage extends StorageCommon {
  kind: 'postgres'
  db: PgDb
}
export type Storage = SqliteStorage | PostgresStorage

export interface StorageSettings {
  databasePath: string
  databaseUrl?: string
}

/** Opens and migrates the configured backend (several processes may do this at once on either). */
export async function openStorage(settings: StorageSettings, opts: { onIdleError?: (err: Error) => void } = {}): Promise<Storage> {
  if (settings.databaseUrl) {
    // The driver and the PostgreSQL stores load only here: an SQLite deployment never pays for them (idle RSS, issue 16).
    const { openPostgresStorage } = await import('./pg/storage.ts')
    return openPostgresStorage(settings.databaseUrl, `PostgreSQL ${redacted(settings.databaseUrl)}`, opts)
  }
  return sqliteStorage(openDb(settings.databasePath), settings.databasePath)
}

/** An open SQLite database as a `Storage` (tests that build their own context). */
export function sqliteStorage(db: Db, where = 'SQLite'): SqliteStorage {
  return {
    kind: 'sqlite',
    db,
    repos: sqliteRepositories(db),
    inbox: new SqliteInbox(db),
    slackInstallations: new SqliteSlackInstallationRepository(db),
    teamsReferences: new SqliteTeamsReferenceRepository(db),
    jobOutbox: new JobOutbox(db),
    where,
    ping: async () => pingDb(db),
    close: async () => closeDb(db),
  }
}

function redacted(url: string): string {
  const u = new URL(url)
  if (u.password) u.password = '***'
  return `${u.host}${u.pathname}`
}

/** The SQLite handle (tests that inspect the file); every store of either backend is on `Storage`. */
export function sqliteDbOf(storage: Storage): Db {
  if (storage.kind === 'sqlite') return storage.db
  throw new BeaconError('not_supported', 'this storage is PostgreSQL: use its stores, not a SQLite handle')
}
