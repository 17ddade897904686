import { existsSync, mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type Database from 'better-sqlite3'
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3'
import { migrate } from 'drizzle-orm/better-sqlite3/migrator'
import { BeaconError } from '../core/errors.ts'
import { requireCommonJs } from '../core/require-commonjs.ts'
import { KnowledgeIndexes } from './repositories/knowledge-index.ts'
import * as schema from './schema/index.ts'
import { flushGroupCommit } from './group-commit.ts'

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database }

const SqliteDatabase = requireCommonJs<typeof Database>('better-sqlite3')
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
  let client: Database.Database | undefined
  try {
    if (path !== ':memory:') ensureDir(dirname(resolve(path)))
    client = new SqliteDatabase(path)
    client.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? 5000}`)
    if (path !== ':memory:') client.pragma('journal_mode = WAL')
    client.pragma('synchronous = NORMAL')
    client.pragma('foreign_keys = ON')
  } catch (err) {
    client?.close()
    throw new DatabaseOpenError(path, err)
  }
  const db = drizzle({ client, schema }) as Db
  if (opts.migrate !== false) migrateDb(db)
  return db
}

/** The database file (or its folder) cannot be created, opened or written: a setup problem, not a bug. */
export class DatabaseOpenError extends BeaconError {
  constructor(
    readonly path: string,
    cause: unknown,
  ) {
    super('unavailable', `cannot open the database at ${path}: ${reason(cause)}`, { cause })
    this.name = 'DatabaseOpenError'
  }
}

function reason(err: unknown): string {
  const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : ''
  const known: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EROFS: 'the file system is read-only',
    ENOTDIR: 'a part of the path is a file, not a folder',
    ENOENT: 'the folder cannot be created there',
    SQLITE_CANTOPEN: 'not a file SQLite can open (is it a folder, or unwritable?)',
    SQLITE_READONLY: 'the file is read-only',
    SQLITE_NOTADB: 'the file is not a SQLite database',
  }
  return known[code] ?? (code.startsWith('SQLITE_IOERR') ? 'the file cannot be written' : err instanceof Error ? err.message : String(err))
}

/**
 * mkdir -p, one level at a time. Node's own `mkdirSync(p, { recursive: true })` loops forever
 * where mkdir answers ENOENT under an existing parent (anything under /proc), which hung start-up.
 */
export function ensureDir(dir: string): void {
  if (existsSync(dir)) return
  const parent = dirname(dir)
  if (parent !== dir) ensureDir(parent)
  try {
    mkdirSync(dir)
  } catch (err) {
    // Another process may have created it in between.
    if (!(typeof err === 'object' && err !== null && 'code' in err && err.code === 'EEXIST')) throw err
  }
}

/** Applies the migrations, then builds the knowledge indexes they cannot name (one per workspace, migration 0024). */
export function migrateDb(db: Db): void {
  migrate(db, { migrationsFolder: MIGRATIONS })
  new KnowledgeIndexes(db).ensureAll()
}

/** A migrated in-memory database: each call is a fresh, isolated one (tests). */
export function openMemoryDb(): Db {
  return openDb(':memory:')
}

export function closeDb(db: Db): void {
  if (!db.$client.open) return
  flushGroupCommit(db.$client) // writes already queued are committed, not dropped
  db.$client.close()
}

/** SELECT 1, for readiness checks. */
export function pingDb(db: Db): boolean {
  try {
    return db.$client.prepare('select 1 as ok').get() !== undefined
  } catch {
    return false
  }
}
