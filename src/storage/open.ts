/**
 * The one place that picks the storage backend: DATABASE_URL (postgres://…) selects PostgreSQL,
 * otherwise the SQLite file at DATABASE_PATH. Everything else gets a `Storage` and uses its
 * repositories, so no other module names a backend.
 */
import { BeaconError } from '../core/errors.ts'
import { closeDb, type Db, openDb, pingDb } from './db.ts'
import { closePostgres, openPostgres, type PgDb, pingPostgres } from './pg/db.ts'
import { postgresRepositories, type Repositories, sqliteRepositories } from './repositories/index.ts'

interface StorageCommon {
  repos: Repositories
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
    const db = await openPostgres(settings.databaseUrl, opts.onIdleError ? { onIdleError: opts.onIdleError } : {})
    return {
      kind: 'postgres',
      db,
      repos: postgresRepositories(db),
      where: `PostgreSQL ${redacted(settings.databaseUrl)}`,
      ping: () => pingPostgres(db),
      close: () => closePostgres(db),
    }
  }
  return sqliteStorage(openDb(settings.databasePath), settings.databasePath)
}

/** An open SQLite database as a `Storage` (tests that build their own context). */
export function sqliteStorage(db: Db, where = 'SQLite'): SqliteStorage {
  return {
    kind: 'sqlite',
    db,
    repos: sqliteRepositories(db),
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

/**
 * The SQLite handle, for the stores not yet behind `Repositories` (inbox, job outbox and store,
 * Slack installations, Teams references: their PostgreSQL versions are the other half of issue 15).
 */
export function sqliteDbOf(storage: Storage): Db {
  if (storage.kind === 'sqlite') return storage.db
  throw new BeaconError('not_supported', 'this part of Beacon (inbox, job outbox, Slack installations or Teams references) has no PostgreSQL store yet')
}
