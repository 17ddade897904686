/**
 * Adoption metrics on PostgreSQL: the SQLite bench's organisation and events (adoption-events.ts:
 * 10,000 people, 1,000,000 events over five weeks in 50 channels) in a fresh database
 * `beacon_bench_<random>` on PG_URL, migrated by Beacon's migrations, loaded through
 * PgActivityRepository.recordMany (the ingest path's statement, 10,000 events each; above 1M in
 * bulk, adoption-pg-bulk-load.ts, over 100 weeks as on SQLite), then one week's team metrics as
 * `/beacon stats` computes them beside a bare SQL GROUP BY over the week's raw events (adoption-week.ts).
 * The database is dropped at the end, also on error; skipped with one line when PostgreSQL cannot be reached.
 * BENCH_PG_KEEP=1 keeps it (its name is printed; BENCH_PG_PREFIX names it, default beacon_bench);
 * BENCH_PG_REUSE=<that name> measures it again without loading (the 10M load takes minutes).
 *
 *   npm run bench -- adoption-pg      (PG_URL=postgres://postgres@127.0.0.1:5432/postgres  ADOPTION_PG_BENCH_EVENTS=1000000)
 *   ADOPTION_PG_BENCH_EVENTS=10000000 npm run bench -- adoption-pg   (bulk load, ADOPTION_PG_BENCH_WEEKS=100 by default)
 */
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { closePostgres, openPostgres, type PgDb, redactUrl } from '../src/storage/pg/db.ts'
import { PgActivityRepository } from '../src/storage/pg/repositories/adoption-activity.ts'
import { PgAdoptionSettingsRepository } from '../src/storage/pg/repositories/adoption-settings.ts'
import { bulkLoadPg } from './adoption-pg-bulk-load.ts'
import { adoptionBench } from './adoption-week.ts'
import { runIfMain } from './run-if-main.ts'

function measure(db: PgDb, reuse: boolean): Promise<void> {
  return adoptionBench({
    reuse,
    on: ' on PostgreSQL',
    env: 'ADOPTION_PG_BENCH',
    activity: new PgActivityRepository(db),
    settings: new PgAdoptionSettingsRepository(db),
    bulkLoad: (stream) => bulkLoadPg(db, stream),
    // What autovacuum would have done by the time anyone asks: the planner's statistics and the visibility map.
    async settle() {
      const t = performance.now()
      await db.$client.query('VACUUM (ANALYZE) adoption_events, adoption_daily, adoption_weekly, adoption_first_seen')
      process.stdout.write(`vacuum analyze: ${((performance.now() - t) / 1000).toFixed(1)} s\n`)
    },
    query: async (sql, params) => {
      let i = 0
      const numbered = sql.replace(/\?/g, () => `$${++i}`)
      return (await db.$client.query(numbered, params)).rows
    },
  })
}

export async function main(): Promise<void> {
  const base = process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
  const admin = new pg.Client({ connectionString: base, connectionTimeoutMillis: 3000 })
  try {
    await admin.connect()
  } catch (err) {
    console.log(`adoption-pg: skipped, PostgreSQL unreachable at ${redactUrl(base)} (${err instanceof Error ? err.message : String(err)})`)
    return
  }
  const reuse = process.env.BENCH_PG_REUSE
  const keep = reuse !== undefined || process.env.BENCH_PG_KEEP === '1'
  const name = reuse ?? `${process.env.BENCH_PG_PREFIX ?? 'beacon_bench'}_${randomBytes(6).toString('hex')}`
  let db: PgDb | undefined
  try {
    if (!reuse) await admin.query(`CREATE DATABASE ${name}`)
    const url = new URL(base)
    url.pathname = `/${name}`
    db = await openPostgres(url.toString())
    await measure(db, reuse !== undefined)
  } finally {
    if (db) await closePostgres(db)
    if (keep) console.log(`kept database ${name} (BENCH_PG_REUSE=${name} measures it again)`)
    else await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch((err: unknown) => console.error(`could not drop ${name}:`, err))
    await admin.end()
  }
}

runIfMain(import.meta.url, main)
