/**
 * What the repository contract files of this folder share: each defines its cases once as
 * `contract(make)` and runs them on a fresh SQLite database and on the PostgreSQL database of the
 * file (tests/support/postgres.ts: created, migrated and dropped per file; skipped without a server
 * unless CI=true). `secondProcess` opens another pool on the same database: for races, a second
 * process is another set of connections.
 */
import { afterAll } from 'vitest'
import { closeDb, openMemoryDb, type Db } from '../../../src/storage/db.ts'
import { closePostgres, openPostgres, type PgDb } from '../../../src/storage/pg/db.ts'

export function freshSqlite(): Db {
  const db = openMemoryDb()
  afterAll(() => closeDb(db))
  return db
}

const others = new Map<string, Promise<PgDb>>()

export function secondProcess(url: string): Promise<PgDb> {
  let p = others.get(url)
  if (!p) {
    p = openPostgres(url, { migrate: false, max: 4 })
    others.set(url, p)
  }
  return p
}

afterAll(async () => {
  for (const p of others.values()) await closePostgres(await p)
  others.clear()
})
