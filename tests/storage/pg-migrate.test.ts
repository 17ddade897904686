/**
 * Several processes starting at once on one empty PostgreSQL (web × N, worker × M after a deploy)
 * all run `openPostgres`: the advisory lock lets one apply the migrations and the others find
 * nothing left to do, so every start succeeds and each migration is recorded once.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { closePostgres, openPostgres } from '../../src/storage/pg/db.ts'
import { createTestDatabase, describeWithPostgres, dropTestDatabase } from '../support/postgres.ts'

const describePg = await describeWithPostgres()
const journal = JSON.parse(readFileSync(join(import.meta.dirname, '../../src/storage/pg/migrations/meta/_journal.json'), 'utf8')) as {
  entries: unknown[]
}

describePg('PostgreSQL migrations', () => {
  let database: { name: string; url: string }
  beforeAll(async () => {
    database = await createTestDatabase()
  })
  afterAll(() => dropTestDatabase(database.name))

  it('are applied once when eight processes start together on an empty database', async () => {
    const opened = await Promise.allSettled(Array.from({ length: 8 }, () => openPostgres(database.url, { max: 2 })))
    const failures = opened.filter((o) => o.status === 'rejected')
    expect(failures).toEqual([])
    const dbs = opened.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []))
    const { rows } = await dbs[0]!.$client.query<{ n: string }>('select count(*) as n from drizzle.__drizzle_migrations')
    expect(Number(rows[0]!.n)).toBe(journal.entries.length)
    const tables = await dbs[0]!.$client.query<{ tablename: string }>("select tablename from pg_tables where schemaname = 'public'")
    expect(tables.rows.map((r) => r.tablename)).toEqual(
      expect.arrayContaining(['workspaces', 'people', 'conversations', 'processed_events', 'knowledge_items']),
    )
    await Promise.all(dbs.map(closePostgres))
    // A later start applies nothing again.
    const again = await openPostgres(database.url, { max: 1 })
    const after = await again.$client.query<{ n: string }>('select count(*) as n from drizzle.__drizzle_migrations')
    expect(Number(after.rows[0]!.n)).toBe(journal.entries.length)
    await closePostgres(again)
  })

  it('names the server and hides the password when PostgreSQL cannot be reached', async () => {
    const err = await openPostgres('postgres://beacon:s3cret@127.0.0.1:1/beacon').catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'unavailable', name: 'PostgresOpenError' })
    expect(String((err as Error).message)).toContain('127.0.0.1:1')
    expect(String((err as Error).message)).not.toContain('s3cret')
  })
})
