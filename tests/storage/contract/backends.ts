/**
 * Runs one repository contract on every storage backend: SQLite (a fresh in-memory database per
 * test) and PostgreSQL (a database of its own for the file, emptied before each test; skipped
 * without a server outside CI, see tests/support/postgres.ts).
 *
 *   contract('people', (fresh) => {
 *     it('…', async () => { const { repos } = await fresh() })
 *   })
 */
import { afterAll, describe } from 'vitest'
import { closeDb, openMemoryDb, type Db } from '../../../src/storage/db.ts'
import { closePostgres, openPostgres, type PgDb } from '../../../src/storage/pg/db.ts'
import { postgresRepositories } from '../../../src/storage/pg/repositories/index.ts'
import { type Repositories, sqliteRepositories } from '../../../src/storage/repositories/index.ts'
import { describeWithPostgres, withPostgresDatabase } from '../../support/postgres.ts'

export interface BackendUnderTest {
  kind: 'sqlite' | 'postgres'
  repos: Repositories
}

export type Fresh = () => Promise<BackendUnderTest>

const describePg = await describeWithPostgres()

export function contract(name: string, body: (fresh: Fresh) => void): void {
  describe(`${name} [sqlite]`, () => {
    const open: ReturnType<typeof openMemoryDb>[] = []
    body(async () => {
      for (const db of open.splice(0)) closeDb(db)
      const db = openMemoryDb()
      open.push(db)
      return { kind: 'sqlite', repos: sqliteRepositories(db) }
    })
  })
  describePg(`${name} [postgres]`, () => {
    const pg = withPostgresDatabase()
    body(async () => {
      await pg.reset()
      return { kind: 'postgres', repos: postgresRepositories(pg.db) }
    })
  })
}

// ---------------------------------------------------------------- single stores (15b's files)

/** A fresh in-memory SQLite database, closed after the file. */
export function freshSqlite(): Db {
  const db = openMemoryDb()
  afterAll(() => closeDb(db))
  return db
}

const others = new Map<string, Promise<PgDb>>()

/** Another pool on the same PostgreSQL database: for races, a second process is another set of connections. */
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
