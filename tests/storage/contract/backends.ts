/**
 * Local scaffolding for the repository contract tests of issue 15b: each contract file runs its
 * cases on a fresh SQLite database and on a fresh PostgreSQL database of its own (created here,
 * dropped after the file). To be replaced by tests/support/postgres.ts (15a) once merged.
 * Under CI=true a PostgreSQL that does not answer fails the run; elsewhere those cases are skipped.
 */
import { randomBytes } from 'node:crypto'
import { drizzle } from 'drizzle-orm/node-postgres'
import pg from 'pg'
import { closeDb, openMemoryDb, type Db } from '../../../src/storage/db.ts'
import type { PgDb } from '../../../src/storage/pg/executor.ts'
import * as adoption from '../../../src/storage/pg/schema/adoption.ts'
import * as inbox from '../../../src/storage/pg/schema/inbox.ts'
import * as jobOutbox from '../../../src/storage/pg/schema/job-outbox.ts'
import * as jobs from '../../../src/storage/pg/schema/jobs.ts'
import * as recognition from '../../../src/storage/pg/schema/recognition.ts'
import * as slack from '../../../src/storage/pg/schema/slack-installations.ts'
import * as tasks from '../../../src/storage/pg/schema/tasks.ts'
import * as teams from '../../../src/storage/pg/schema/teams-references.ts'

const schema = { ...adoption, ...inbox, ...jobOutbox, ...jobs, ...recognition, ...slack, ...tasks, ...teams }
const ADMIN_URL = process.env.PG_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

export interface PgTestDb {
  db: PgDb
  /** A second pool on the same database: another "process" for concurrency tests. */
  other: PgDb
  url: string
  drop(): Promise<void>
}

export async function postgresAvailable(): Promise<boolean> {
  const c = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 2000 })
  try {
    await c.connect()
    await c.end()
    return true
  } catch (e) {
    if (process.env.CI === 'true') throw new Error(`PostgreSQL is required under CI=true and does not answer at ${ADMIN_URL}`, { cause: e })
    return false
  }
}

export async function freshPostgres(): Promise<PgTestDb> {
  const name = `beacon_test_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: ADMIN_URL })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  const url = ADMIN_URL.replace(/\/[^/]*$/, `/${name}`)
  const { generateDrizzleJson, generateMigration } = await import('drizzle-kit/api')
  const statements = await generateMigration(generateDrizzleJson({}), generateDrizzleJson(schema))
  const pools = [new pg.Pool({ connectionString: url, max: 4 }), new pg.Pool({ connectionString: url, max: 4 })]
  for (const s of statements) await pools[0]!.query(s)
  return {
    db: drizzle({ client: pools[0]! }),
    other: drizzle({ client: pools[1]! }),
    url,
    async drop() {
      await Promise.all(pools.map((p) => p.end()))
      const a = new pg.Client({ connectionString: ADMIN_URL })
      await a.connect()
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await a.end()
    },
  }
}

export function freshSqlite(): { db: Db; close(): void } {
  const db = openMemoryDb()
  return { db, close: () => closeDb(db) }
}
