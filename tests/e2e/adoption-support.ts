/** Shared by the adoption end-to-end tests: a fixed clock and a team whose managers went quiet. */
import type { Db } from '../../src/storage/db.ts'
import { SqliteActivityRepository } from '../../src/storage/repositories/adoption-activity.ts'
import { SqliteAdoptionSettingsRepository } from '../../src/storage/repositories/adoption-settings.ts'
import { crowd, historyEvents, people } from '../core/adoption/support.ts'
import { TestClock } from '../support/test-clock.ts'

/** Wednesday 10:00 UTC: inside working hours in UTC and Paris. The 12 weeks before it are the history. */
export const NOW = '2025-06-18T10:00:00.000Z'
export const WEEK = '2025-W24'
/** Stands still at NOW. */
export const clock = TestClock.at(NOW)

/** Team "Platform" on `channel`: 12 active people every week, its manager silent for the last 3 weeks. */
export async function seedSilentTeam(db: Db, workspace: string, channel: string, manager: string): Promise<void> {
  const settings = new SqliteAdoptionSettingsRepository(db)
  await settings.syncTeam(workspace, 'Platform', [channel], [manager], new Date(NOW))
  const team = people('p', 12)
  const weeks = Array.from({ length: 12 }, (_, i) => (i < 9 ? crowd([...team, manager]) : crowd(team)))
  const events = historyEvents(weeks, { channel, now: NOW }).map((e) => ({ ...e, workspace }))
  await new SqliteActivityRepository(db).recordMany(events)
}
