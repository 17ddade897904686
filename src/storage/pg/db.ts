import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { sql } from 'drizzle-orm'
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres'
import { migrate } from 'drizzle-orm/node-postgres/migrator'
import pg from 'pg'
import * as schema from './schema/index.ts'
import { PostgresOpenError } from './open-error.ts'

export type PgDb = NodePgDatabase<typeof schema> & { $client: pg.Pool }

const MIGRATIONS = resolve(dirname(fileURLToPath(import.meta.url)), 'migrations')

/**
 * The advisory lock every Beacon process takes around its migrations, so web and worker processes
 * starting together apply each migration once: the first runs them, the others wait, then find
 * nothing left to do. Any fixed 64-bit number works; this one spells "beacon" in ASCII.
 */
export const MIGRATION_LOCK = 0x626561636f6en

export interface OpenPostgresOptions {
  /** Apply pending migrations (default true). */
  migrate?: boolean
  /** Connections in the pool (default 10). */
  max?: number
  /** An idle connection broke (the server restarted…); the pool replaces it. Default: ignored. */
  onIdleError?: (err: Error) => void
}

/** Connects to PostgreSQL, checks the connection, and migrates under the advisory lock. */
export async function openPostgres(url: string, opts: OpenPostgresOptions = {}): Promise<PgDb> {
  const pool = new pg.Pool({ connectionString: url, max: opts.max ?? 10 })
  // Without a listener an idle client's error (server restart) would crash the process.
  pool.on('error', (err) => opts.onIdleError?.(err))
  const db = drizzle({ client: pool, schema }) as PgDb
  try {
    await pool.query('select 1')
    if (opts.migrate !== false) await migratePostgres(db)
  } catch (err) {
    await pool.end().catch(() => undefined)
    throw new PostgresOpenError(url, err)
  }
  return db
}

/**
 * Runs pending migrations on one connection that holds `MIGRATION_LOCK` for the whole run (a
 * session lock: it is released on unlock or when the connection dies, never left behind).
 */
export async function migratePostgres(db: PgDb): Promise<void> {
  const client = await db.$client.connect()
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK.toString()])
    try {
      await migrate(drizzle({ client }), { migrationsFolder: MIGRATIONS })
    } finally {
      await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK.toString()])
    }
  } finally {
    client.release()
  }
}

export async function closePostgres(db: PgDb): Promise<void> {
  if (!db.$client.ended) await db.$client.end()
}

/** SELECT 1, for readiness checks. */
export async function pingPostgres(db: PgDb): Promise<boolean> {
  try {
    const res = await db.execute(sql`select 1 as ok`)
    return res.rows.length === 1
  } catch {
    return false
  }
}

// Kept apart so the start-up error handling of an SQLite deployment does not load the pg driver.
export { PostgresOpenError, redactUrl } from './open-error.ts'
