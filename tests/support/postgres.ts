/**
 * PostgreSQL for tests. Every test file gets a database of its own (`beacon_test_<random>`),
 * created on the server at PG_URL (default postgres://postgres@127.0.0.1:5432/postgres), migrated,
 * and dropped after the file. Tests inside the file share it and call `reset()` for a clean slate.
 *
 * Without a reachable server the tests skip (`describeWithPostgres`), except under CI=true, where
 * a missing PostgreSQL is an error: CI must never pass by skipping.
 *
 *   const describePg = describeWithPostgres()
 *   describePg('thing on postgres', () => {
 *     const pg = withPostgresDatabase()          // beforeAll: create + migrate; afterAll: drop
 *     beforeEach(() => pg.reset())
 *     it('…', async () => { const repos = postgresRepositories(pg.db) })
 *   })
 */
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { afterAll, beforeAll, describe } from 'vitest'
import { closePostgres, openPostgres, type PgDb } from '../../src/storage/pg/db.ts'

export const PG_ADMIN_URL = process.env.PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres'

const isCi = () => process.env.CI === 'true' || process.env.CI === '1'

let reachable: Promise<boolean> | undefined

/** True when the server at PG_URL answers within two seconds; asked once per test process. */
export function postgresReachable(): Promise<boolean> {
  reachable ??= (async () => {
    const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 2000 })
    client.on('error', () => {})
    try {
      await client.connect()
      await client.query('select 1')
      return true
    } catch {
      return false
    } finally {
      await client.end().catch(() => undefined)
    }
  })()
  return reachable
}

/** Why PostgreSQL tests cannot run here, or undefined when they can (always undefined under CI, so they fail instead). */
export async function postgresSkipReason(): Promise<string | undefined> {
  if (isCi() || (await postgresReachable())) return undefined
  return `no PostgreSQL answers at ${PG_ADMIN_URL} (set PG_URL)`
}

/** `describe`, or `describe.skip` when there is no PostgreSQL outside CI. Top-level await it. */
export async function describeWithPostgres(): Promise<typeof describe | typeof describe.skip> {
  return (await postgresSkipReason()) === undefined ? describe : describe.skip
}

/** The URL of database `name` on the test server. */
export function databaseUrl(name: string): string {
  const u = new URL(PG_ADMIN_URL)
  u.pathname = `/${name}`
  return u.toString()
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 5000 })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

/** An empty database of its own (not migrated); drop it with `dropTestDatabase`. */
export async function createTestDatabase(): Promise<{ name: string; url: string }> {
  const name = `beacon_test_${randomBytes(6).toString('hex')}`
  try {
    await admin((c) => c.query(`create database ${name}`))
  } catch (err) {
    throw new Error(`PostgreSQL tests need a server at ${PG_ADMIN_URL} (PG_URL) where the user may create databases: ${String(err)}`)
  }
  return { name, url: databaseUrl(name) }
}

export async function dropTestDatabase(name: string): Promise<void> {
  await admin((c) => c.query(`drop database if exists ${name} with (force)`))
}

export interface PostgresFixture {
  /** The migrated database's URL (for child processes). */
  readonly url: string
  /** A pool on it, opened before the first test. */
  readonly db: PgDb
  /** Empties every table (identities restart), keeping the schema. */
  reset(): Promise<void>
}

/** Registers beforeAll/afterAll in the calling describe: a fresh migrated database for the file. */
export function withPostgresDatabase(): PostgresFixture {
  let created: { name: string; url: string } | undefined
  let db: PgDb | undefined
  beforeAll(async () => {
    created = await createTestDatabase()
    db = await openPostgres(created.url, { max: 4 })
  })
  afterAll(async () => {
    if (db) await closePostgres(db)
    if (created) await dropTestDatabase(created.name)
  })
  return {
    get url() {
      if (!created) throw new Error('withPostgresDatabase: the database exists only inside tests (after beforeAll)')
      return created.url
    },
    get db() {
      if (!db) throw new Error('withPostgresDatabase: the database exists only inside tests (after beforeAll)')
      return db
    },
    async reset() {
      const pool = this.db.$client
      const { rows } = await pool.query<{ name: string }>("select quote_ident(tablename) as name from pg_tables where schemaname = 'public'")
      if (rows.length > 0) await pool.query(`truncate ${rows.map((r) => r.name).join(', ')} restart identity cascade`)
    },
  }
}
