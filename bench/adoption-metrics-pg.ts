/**
 * Adoption metrics on PostgreSQL: the SQLite bench's organisation and events (adoption-events.ts:
 * 10,000 people, 1,000,000 events over five weeks in 50 channels) in a fresh database
 * `beacon_bench_<random>` on PG_URL, migrated by Beacon's migrations, loaded through
 * PgActivityRepository.recordMany (the ingest path's statement, 10,000 events each; above 1M in
 * bulk, adoption-pg-bulk-load.ts, over 100 weeks as on SQLite), then one week's team metrics as
 * `/beacon stats` computes them beside a bare SQL GROUP BY over the week's raw events (adoption-week.ts). The database is dropped at the end, also on error; skipped with one
 * line when PostgreSQL cannot be reached.
 *
 *   npm run bench -- adoption-pg      (PG_URL=postgres://postgres@127.0.0.1:5432/postgres  ADOPTION_PG_BENCH_EVENTS=1000000)
 *   ADOPTION_PG_BENCH_EVENTS=10000000 npm run bench -- adoption-pg   (bulk load, ADOPTION_PG_BENCH_WEEKS=100 by default)
 */
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { lastCompleteWeeks } from '../src/core/time/iso-weeks.ts'
import { closePostgres, openPostgres, type PgDb, redactUrl } from '../src/storage/pg/db.ts'
import { PgActivityRepository } from '../src/storage/pg/repositories/adoption-activity.ts'
import { PgAdoptionSettingsRepository } from '../src/storage/pg/repositories/adoption-settings.ts'
import { bulkLoadPg } from './adoption-pg-bulk-load.ts'
import { events, printLoad, recordInSlices, seedTeam } from './adoption-events.ts'
import { measureWeek } from './adoption-week.ts'
import { runIfMain } from './run-if-main.ts'

/** Above this many events the history is bulk-loaded in SQL, as on SQLite (recordMany does ~7,000 events/s). */
const BULK_ABOVE = 1_000_000

async function measure(db: PgDb, total: number, weeks: number): Promise<void> {
  const activity = new PgActivityRepository(db)
  const now = new Date()
  const mondays = lastCompleteWeeks(now, weeks)
  const { team, departments } = await seedTeam(new PgAdoptionSettingsRepository(db), now)

  const t = performance.now()
  const bulk = total > BULK_ABOVE
  // Slices of 100,000 as on SQLite: each recordMany is one transaction of ten statements.
  const written = bulk
    ? await bulkLoadPg(db, events(total, mondays))
    : await recordInSlices((b) => activity.recordMany(b), events(total, mondays), 100_000)
  const { rows } = await db.$client.query<{ n: string }>('select count(*) as n from adoption_daily')
  printLoad(bulk ? 'bulk load (unnest, not the ingest path)' : 'ingest (recordMany)', written, weeks, Number(rows[0]?.n), performance.now() - t)
  // What autovacuum would have done by the time anyone asks: the planner's statistics and the visibility map.
  const v = performance.now()
  await db.$client.query('VACUUM (ANALYZE) adoption_events, adoption_daily, adoption_weekly, adoption_first_seen')
  process.stdout.write(`vacuum analyze: ${((performance.now() - v) / 1000).toFixed(1)} s\n`)

  await measureWeek({
    on: ' on PostgreSQL',
    activity,
    team,
    departments,
    week: mondays[mondays.length - 1]!,
    total,
    weeks,
    query: async (sql, params) => {
      let i = 0
      const numbered = sql.replace(/\?/g, () => `$${++i}`)
      return (await db.$client.query(numbered, params)).rows
    },
  })
}

export async function main(): Promise<void> {
  const base = process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
  const total = Number(process.env.ADOPTION_PG_BENCH_EVENTS ?? 1_000_000)
  const weeks = Number(process.env.ADOPTION_PG_BENCH_WEEKS ?? (total > BULK_ABOVE ? 100 : 5))
  const admin = new pg.Client({ connectionString: base, connectionTimeoutMillis: 3000 })
  try {
    await admin.connect()
  } catch (err) {
    console.log(`adoption-pg: skipped, PostgreSQL unreachable at ${redactUrl(base)} (${err instanceof Error ? err.message : String(err)})`)
    return
  }
  const name = `beacon_bench_${randomBytes(6).toString('hex')}`
  let db: PgDb | undefined
  try {
    await admin.query(`CREATE DATABASE ${name}`)
    const url = new URL(base)
    url.pathname = `/${name}`
    db = await openPostgres(url.toString())
    await measure(db, total, weeks)
  } finally {
    if (db) await closePostgres(db)
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch((err: unknown) => console.error(`could not drop ${name}:`, err))
    await admin.end()
  }
}

runIfMain(import.meta.url, main)
