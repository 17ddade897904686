/**
 * Where the ingest bench's Beacon keeps its data, and how many deliveries it processed: a SQLite
 * file (as `npm start` on its defaults) or PostgreSQL + Redis (as Beacon scales out).
 */
import { existsSync } from 'node:fs'
import Database from 'better-sqlite3'
import pg from 'pg'

/**
 * Beacon as it scales out: a database of its own on PG_URL and a queue prefix of its own on REDIS_URL
 * (both required, as Beacon requires Redis with PostgreSQL). `finish` counts the deliveries processed
 * and drops the database.
 */
export async function scaledOutStore(): Promise<{ env: Record<string, string>; backends(): Promise<number[]>; finish(): Promise<number> }> {
  const base = process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
  const redis = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
  const name = `beacon_bench_${Date.now().toString(36)}${process.pid}`
  const admin = new pg.Client({ connectionString: base })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  const url = new URL(base)
  url.pathname = `/${name}`
  return {
    env: { DATABASE_URL: url.toString(), REDIS_URL: redis, QUEUE_PREFIX: name },
    /** The server processes of Beacon's connections (same host): their CPU time is what Beacon costs PostgreSQL. */
    async backends() {
      const { rows } = await admin.query<{ pid: number }>('select pid from pg_stat_activity where datname = $1', [name])
      return rows.map((r) => r.pid)
    },
    async finish() {
      const db = new pg.Client({ connectionString: url.toString() })
      await db.connect()
      const { rows } = await db.query<{ n: string }>(`select count(*) as n from inbox where source = 'slack' and state = 'done'`)
      await db.end()
      // Commits Beacon made (an autocommit statement is one): what a delivery costs PostgreSQL, however busy the machine.
      const commits = Number((await admin.query('select xact_commit from pg_stat_database where datname = $1', [name])).rows[0]?.xact_commit)
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await admin.end()
      const processed = Number(rows[0]?.n ?? 0)
      console.log(`PostgreSQL commits in Beacon's database: ${commits} (${(commits / processed).toFixed(2)} per delivery)`)
      return processed
    },
  }
}

export function processedIn(file: string): number {
  if (!existsSync(file)) return 0
  const db = new Database(file, { readonly: true })
  try {
    return (db.prepare(`select count(*) as n from inbox where source = 'slack' and state = 'done'`).get() as { n: number }).n
  } finally {
    db.close()
  }
}
