/**
 * The PostgreSQL adoption bench bulk-loads its history above 1M events: the rows must be exactly
 * those recordMany writes for the same events (events, daily, weekly and first-week rollups, and
 * the indexes), or the bench measures a different database than Beacon's ingest builds.
 */
import { beforeEach, expect, it } from 'vitest'
import { events } from '../../bench/adoption-events.ts'
import { bulkLoadPg } from '../../bench/adoption-pg-bulk-load.ts'
import { lastCompleteWeeks } from '../../src/core/time/iso-weeks.ts'
import type { PgDb } from '../../src/storage/pg/db.ts'
import { PgActivityRepository } from '../../src/storage/pg/repositories/adoption-activity.ts'
import { describeWithPostgres, withPostgresDatabase } from '../support/postgres.ts'

const describePg = await describeWithPostgres()

/** Everything stored about the activity (event ids are the only thing allowed to differ). */
async function snapshot(db: PgDb) {
  const q = async (text: string) => (await db.$client.query(text)).rows
  return {
    events: await q(`select workspace_id, conversation_id, person_id, kind, target_person_id, thread_id, source_key, at, day
      from adoption_events order by at, person_id, conversation_id, kind, thread_id, target_person_id`),
    daily: await q('select * from adoption_daily order by workspace_id, day, person_id, conversation_id, kind'),
    weekly: await q('select * from adoption_weekly order by workspace_id, week, conversation_id, person_id, kind'),
    firstSeen: await q('select * from adoption_first_seen order by workspace_id, conversation_id, person_id'),
    indexes: await q("select indexdef from pg_indexes where tablename like 'adoption%' order by indexname"),
  }
}

describePg('bench bulk loader for adoption activity on PostgreSQL', () => {
  const pg = withPostgresDatabase()
  beforeEach(() => pg.reset())

  it('writes the same events, rollups and indexes as recordMany', async () => {
    // Three weeks ending on a Sunday, so events fall on both sides of week boundaries.
    const mondays = lastCompleteWeeks(new Date('2026-03-02T12:00:00Z'), 3)
    await new PgActivityRepository(pg.db).recordMany(events(3_000, mondays))
    const recorded = await snapshot(pg.db)
    await pg.reset()
    expect(await bulkLoadPg(pg.db, events(3_000, mondays), { batch: 700 })).toBe(3_000)
    const loaded = await snapshot(pg.db)

    expect(loaded.events).toHaveLength(3_000)
    expect(loaded.weekly.map((r) => r.week)).toContain(mondays[2])
    expect(loaded.firstSeen.length).toBeGreaterThan(0)
    expect(loaded).toEqual(recorded)
  })
})
