/**
 * The SQLite adoption bench bulk-loads its history above 1M events, with the indexes dropped and
 * the journal switched for the load: the file it leaves must be the one recordMany builds for the
 * same events (events, daily, weekly and first-week rollups, every index, back in WAL), or the bench
 * measures a different database than Beacon's ingest builds.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, expect, it } from 'vitest'
import { bulkLoad } from '../../bench/adoption-bulk-load.ts'
import { events } from '../../bench/adoption-events.ts'
import { lastCompleteWeeks } from '../../src/core/time/iso-weeks.ts'
import { closeDb, type Db, openDb } from '../../src/storage/db.ts'
import { SqliteActivityRepository } from '../../src/storage/repositories/adoption-activity.ts'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

function fileDb(): Db {
  const dir = mkdtempSync(join(tmpdir(), 'beacon-bulk-load-'))
  dirs.push(dir)
  return openDb(join(dir, 'bench.db'))
}

/** Everything stored about the activity (event ids are the only thing allowed to differ). */
function snapshot(db: Db) {
  const q = (sql: string) => db.$client.prepare(sql).all()
  return {
    events: q(`select workspace_id, conversation_id, person_id, kind, target_person_id, thread_id, source_key, at, day
      from adoption_events order by at, person_id, conversation_id, kind, thread_id, target_person_id`),
    daily: q('select * from adoption_daily order by workspace_id, day, person_id, conversation_id, kind'),
    weekly: q('select * from adoption_weekly order by workspace_id, week, conversation_id, person_id, kind'),
    firstSeen: q('select * from adoption_first_seen order by workspace_id, conversation_id, person_id'),
    indexes: q("select name, sql from sqlite_schema where type = 'index' and tbl_name like 'adoption%' order by name"),
    journal: db.$client.pragma('journal_mode', { simple: true }),
  }
}

it('writes the same events, rollups and indexes as recordMany, and leaves the file in WAL', async () => {
  // Three weeks ending on a Sunday, so events fall on both sides of week boundaries.
  const mondays = lastCompleteWeeks(new Date('2026-03-02T12:00:00Z'), 3)
  const recordedDb = fileDb()
  await new SqliteActivityRepository(recordedDb).recordMany(events(3_000, mondays))
  const recorded = snapshot(recordedDb)
  closeDb(recordedDb)

  const loadedDb = fileDb()
  expect(bulkLoad(loadedDb, events(3_000, mondays))).toBe(3_000)
  const loaded = snapshot(loadedDb)
  closeDb(loadedDb)

  expect(loaded.events).toHaveLength(3_000)
  expect(loaded.weekly.length).toBeGreaterThan(0)
  expect(loaded.firstSeen.length).toBeGreaterThan(0)
  expect(loaded.indexes.map((i) => (i as { name: string }).name)).toContain('adoption_events_links')
  expect(loaded.journal).toBe('wal')
  expect(loaded).toEqual(recorded)
})
