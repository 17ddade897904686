/**
 * Kudos day windows in zones whose midnight does not exist (issue 22): on 6 Sept 2026 Santiago's
 * clocks go from Sat 23:59:59 to Sun 01:00. Saturday must end exactly where Sunday starts — the
 * reset time the refusal names is never in the past, and no kudos counts against both days.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { SqlitePeopleRepository } from '../../../src/storage/repositories/people.ts'
import { harness, kudosRows, PEOPLE, type Harness } from './support.ts'

let h: Harness
afterEach(async () => h?.close())

describe('a day whose midnight is skipped', () => {
  it.each([
    [
      'America/Santiago',
      '2026-09-06T03:30:00Z',
      '2026-09-06T03:50:00Z',
      '2026-09-06T04:10:00Z',
      /resets in 1 h \(Sun 6 Sept?, 01:00 America\/Santiago\)/,
    ],
    // Havana: Sat 7 Mar 2026 23:30 CST; clocks jump from midnight to 01:00 CDT on Sunday.
    ['America/Havana', '2026-03-08T04:30:00Z', '2026-03-08T04:50:00Z', '2026-03-08T05:10:00Z', /resets in 1 h \(Sun 8 Mar, 01:00 America\/Havana\)/],
  ])('%s: Saturday 23:30 refuses until Sunday 01:00, which counts afresh', async (zone, sat2330, sat2350, sun0110, resets) => {
    h = await harness({ dailyAllowance: 1, now: sat2330 })
    await new SqlitePeopleRepository(h.db).upsert({ ...PEOPLE[0]!, timezone: zone })
    expect((await h.kudos('<@U_BOB> for the late fix')).replies[0]!.visibleTo).toBeUndefined()
    const refused = await h.kudos('<@U_CAROL> for the review')
    expect(refused.replies[0]!.text).toMatch(resets)
    h.clock.set(sat2350)
    expect((await h.kudos('<@U_CAROL> for the review')).replies[0]!.visibleTo).toBe('U_ALICE') // still Saturday
    h.clock.set(sun0110)
    // Sunday: Saturday's kudos does not count again.
    expect((await h.kudos('<@U_CAROL> for the review')).replies[0]!.visibleTo).toBeUndefined()
    expect(kudosRows(h.db)).toHaveLength(2)
  })
})
