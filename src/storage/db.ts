import { mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3'
import { migrate } from 'drizzle-orm/better-sqlite3/migrator'
import * as schema from './schema/index.ts'

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database }

const MIGRATIONS = resolve(dirname(fileURLToPath(import.meta.url)), 'migrations')

export interface OpenDbOptions {
  /** Apply pending migrations (default true). */
  migrate?: boolean
  /** How long a writer waits for a lock held by another connection before SQLITE_BUSY (ms). */
  busyTimeoutMs?: number
}

/**
 * Opens (creating if needed) the SQLite file with the settings Beacon relies on: WAL so readers
 * never block the writer, foreign keys enforced, and a busy timeout so a second process (worker,
 * CLI) waits for a lock instead of failing.
 */
export function openDb(path: string, opts: OpenDbOptions = {}): Db {
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true })
  const client = new Database(path)
  client.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? 5000}`)
  if (path !== ':memory:') client.pragma('journal_mode = WAL')
  client.pragma('synchronous = NORMAL')
  client.pragma('foreign_keys = ON')
  const db = drizzle({ client, schema }) as Db
  if (opts.migrate !== false) migrateDb(db)
  return db
}

export function migrateDb(db: Db): void {
  migrate(db, { migrationsFolder: MIGRATIONS })
}

/** A migrated in-memory database: each call is a fresh, isolated one (tests). */
export function openMemoryDb(): Db {
  return openDb(':memory:')
}

export function closeDb(db: Db): void {
  if (db.$client.open) db.$client.close()
}

/** SELECT 1, for readiness checks. */
export function pingDb(db: Db): boolean {
  try {
    return db.$client.prepare('select 1 as ok').get() !== undefined
  } catch {
    return false
  }
}
