/**
 * Adoption metrics at scale on SQLite (the measurement: adoption-week.ts): 10,000 people and
 * 1,000,000 activity events (five weeks, 50 channels) in a SQLite file through recordMany — or
 * 10,000,000 over two years (100 weeks, a week as busy as the 1M case's 200k/5), loaded in bulk
 * (adoption-bulk-load.ts) — then one week of team metrics (active/posting people, WAU/MAU, lifecycle,
 * half-of-contributions, cross-department links) computed the way `/beacon stats` does, beside a bare
 * SQL GROUP BY over the same week's raw events. PostgreSQL: adoption-metrics-pg.ts.
 *
 *   npm run bench -- adoption          (ADOPTION_BENCH_EVENTS=200000 for a quicker run)
 *   ADOPTION_BENCH_EVENTS=10000000 npm run bench -- adoption   (bulk load, ADOPTION_BENCH_WEEKS=100 by default)
 *
 * ADOPTION_BENCH_DB=<file> keeps the database there instead of in a temporary folder: a run that finds
 * events in it measures them again without loading (the 10M load takes many minutes; load once, then
 * measure each version of the code on the same file, under the bench lock). Delete the file when done.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { closeDb, openDb } from '../src/storage/db.ts'
import { SqliteActivityRepository } from '../src/storage/repositories/adoption-activity.ts'
import { SqliteAdoptionSettingsRepository } from '../src/storage/repositories/adoption-settings.ts'
import { bulkLoad } from './adoption-bulk-load.ts'
import { adoptionBench } from './adoption-week.ts'
import { runIfMain } from './run-if-main.ts'

export async function main(): Promise<void> {
  const kept = process.env.ADOPTION_BENCH_DB
  const dir = kept ? undefined : mkdtempSync(join(tmpdir(), 'beacon-bench-adoption-'))
  const db = openDb(kept ?? join(dir!, 'bench.db'))
  const hasEvents = db.$client.prepare('select 1 from adoption_events limit 1').get() !== undefined
  // Written once a load finished: a load that died midway (indexes dropped, rollups missing) is never measured.
  const marker = kept && `${kept}.loaded`
  const reuse = Boolean(marker && existsSync(marker))
  if (hasEvents && !reuse) {
    closeDb(db)
    throw new Error(`${kept} holds events from a load that did not finish: delete it and run again`)
  }
  try {
    await adoptionBench({
      reuse,
      on: '',
      env: 'ADOPTION_BENCH',
      activity: new SqliteActivityRepository(db),
      settings: new SqliteAdoptionSettingsRepository(db),
      bulkLoad: async (stream) => {
        const n = bulkLoad(db, stream, (line) => process.stdout.write(line))
        if (marker) writeFileSync(marker, `${n} events\n`)
        return n
      },
      query: async (sql, params) => db.$client.prepare(sql).all(...params) as Record<string, unknown>[],
    })
  } finally {
    closeDb(db)
    if (dir) rmSync(dir, { recursive: true, force: true })
    else process.stdout.write(`kept ${kept} (ADOPTION_BENCH_DB=${kept} measures it again without loading)\n`)
  }
}

runIfMain(import.meta.url, main)
