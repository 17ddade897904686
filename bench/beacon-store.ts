/**
 * Where the ingest bench's Beacon keeps its data, and how many deliveries it processed: a SQLite
 * file (as `npm start` on its defaults) or PostgreSQL + Redis (as Beacon scales out).
 */
import { existsSync } from 'node:fs'
import Database from 'better-sqlite3'
import { Redis } from 'ioredis'
import pg from 'pg'

/**
 * Beacon as it scales out: a database of its own on PG_URL and a queue prefix of its own on REDIS_URL
 * (both required, as Beacon requires Redis with PostgreSQL), and a second database for the bare Bolt + pg floor.
 */
export interface ScaledOutStore {
  env: Record<string, string>
  /** The server processes of Beacon's connections (same host): their CPU time is what Beacon costs PostgreSQL. */
  backends(): Promise<number[]>
  /** The database of the bare Bolt + pg floor (bench/bare-bolt-pg.mjs): its own, so its CPU is counted apart. */
  bareEnv: Record<string, string>
  bareBackends(): Promise<number[]>
  /** Counts the deliveries Beacon processed, drops both databases and Beacon's keys in Redis. */
  finish(): Promise<number>
}

export async function scaledOutStore(): Promise<ScaledOutStore> {
  const base = process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
  const redis = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
  const name = `beacon_bench_${Date.now().toString(36)}${process.pid}`
  const admin = new pg.Client({ connectionString: base })
  await admin.connect()
  const bare = `${name}_bare`
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.query(`CREATE DATABASE ${bare}`)
  const urlOf = (db: string) => Object.assign(new URL(base), { pathname: `/${db}` }).toString()
  const url = new URL(urlOf(name))
  const pidsIn = async (db: string) =>
    (await admin.query<{ pid: number }>('select pid from pg_stat_activity where datname = $1', [db])).rows.map((r) => r.pid)
  return {
    env: { DATABASE_URL: url.toString(), REDIS_URL: redis, QUEUE_PREFIX: name },
    backends: () => pidsIn(name),
    bareEnv: { DATABASE_URL: urlOf(bare) },
    bareBackends: () => pidsIn(bare),
    async finish() {
      const db = new pg.Client({ connectionString: url.toString() })
      await db.connect()
      const { rows } = await db.query<{ n: string }>(`select count(*) as n from inbox where source = 'slack' and state = 'done'`)
      await db.end()
      // Commits Beacon made (an autocommit statement is one): what a delivery costs PostgreSQL, however busy the machine.
      const commitsIn = async (db: string) =>
        Number((await admin.query('select xact_commit from pg_stat_database where datname = $1', [db])).rows[0]?.xact_commit)
      const commits = await commitsIn(name)
      const bareCommits = await commitsIn(bare)
      const bareDb = new pg.Client({ connectionString: urlOf(bare) })
      await bareDb.connect()
      const stored = Number(
        (await bareDb.query<{ n: string }>('select count(*) as n from deliveries').catch(() => ({ rows: [{ n: '0' }] }))).rows[0]?.n,
      )
      await bareDb.end()
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await admin.query(`DROP DATABASE IF EXISTS ${bare} WITH (FORCE)`)
      await admin.end()
      await dropKeys(redis, `${name}:*`)
      const processed = Number(rows[0]?.n ?? 0)
      console.log(
        `PostgreSQL commits in Beacon's database: ${commits} (${(commits / processed).toFixed(2)} per delivery); ` +
          `bare Bolt + pg: ${bareCommits} (${(bareCommits / Math.max(1, stored)).toFixed(2)} per delivery)`,
      )
      return processed
    },
  }
}

/** The bench's queue (its repeatable jobs, their schedules and metadata): Redis here keeps them until deleted. */
async function dropKeys(url: string, pattern: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 })
  try {
    await redis.connect()
    for await (const keys of redis.scanStream({ match: pattern, count: 500 }) as AsyncIterable<string[]>) if (keys.length) await redis.unlink(...keys)
  } finally {
    redis.disconnect()
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
