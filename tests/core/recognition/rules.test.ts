import { afterEach, describe, expect, it } from 'vitest'
import { isoWeek, windowsFor } from '../../../src/core/recognition/index.ts'
import { harness, kudosRows, type Harness } from './support.ts'

let h: Harness
afterEach(async () => h?.close())

describe('allowance and caps', () => {
  it('a daily allowance per giver, counted in the giver’s own day; the refusal says how many are left and when it resets', async () => {
    // 22:30 UTC on Wed 5 Mar = 23:30 in Paris (Alice's zone): her day ends in 30 minutes.
    h = await harness({ dailyAllowance: 3, now: '2025-03-05T22:30:00Z' })
    for (const who of ['U_BOB', 'U_CAROL']) expect((await h.kudos(`<@${who}> for the help`)).replies[0]!.visibleTo).toBeUndefined()
    const twoMore = await h.kudos('<@U_DAN> <@U_ERIN> for the help')
    expect(twoMore.replies[0]!.visibleTo).toBe('U_ALICE')
    expect(twoMore.replies[0]!.text).toContain('You have 1 kudos left today, and this would give 2.')
    expect(twoMore.replies[0]!.text).toMatch(/resets in 1 h \(Thu 6 Mar, 00:00 Europe\/Paris\)/)
    expect(kudosRows(h.db)).toHaveLength(2)

    await h.kudos('<@U_DAN> for the help')
    const none = await h.kudos('<@U_ERIN> for the help')
    expect(none.replies[0]!.text).toContain('You’ve used all 3 of today’s kudos.')
    expect(kudosRows(h.db)).toHaveLength(3)

    // 23:05 UTC is already Thursday in Paris: a new day, though UTC still says Wednesday.
    h.clock.set('2025-03-05T23:05:00Z')
    expect((await h.kudos('<@U_ERIN> for the help')).replies[0]!.visibleTo).toBeUndefined()
    expect(kudosRows(h.db)).toHaveLength(4)
  })

  it('at most N kudos to the same person per giver per week (Monday to Sunday in the giver’s zone)', async () => {
    h = await harness({ weeklyPerReceiver: 2, dailyAllowance: 10, now: '2025-03-05T10:00:00Z' })
    await h.kudos('<@U_BOB> one')
    h.clock.set('2025-03-06T10:00:00Z')
    await h.kudos('<@U_BOB> two')
    const third = await h.kudos('<@U_BOB> three')
    expect(third.replies[0]!.text).toContain('You’ve already given **Bob** 2 kudos this week')
    expect(third.replies[0]!.text).toMatch(/resets in 4 days \(Mon 10 Mar, 00:00 Europe\/Paris\)/)
    // Someone else can still thank Bob, and Alice can still thank others.
    expect((await h.kudos('<@U_BOB> from carol', 'U_CAROL')).replies[0]!.visibleTo).toBeUndefined()
    expect((await h.kudos('<@U_DAN> three', 'U_ALICE')).replies[0]!.visibleTo).toBeUndefined()
    // A multi-person kudos that includes a capped receiver changes nothing at all.
    await h.kudos('<@U_ERIN> <@U_BOB> four')
    expect(kudosRows(h.db).filter((r) => r.receiver_id === 'U_ERIN')).toHaveLength(0)
    h.clock.set('2025-03-09T22:59:00Z') // Sun 23:59 Paris
    expect((await h.kudos('<@U_BOB> still sunday')).replies[0]!.visibleTo).toBe('U_ALICE')
    h.clock.set('2025-03-09T23:01:00Z') // Mon 00:01 Paris
    expect((await h.kudos('<@U_BOB> new week')).replies[0]!.visibleTo).toBeUndefined()
  })

  it('concurrent gives by one person cannot both slip under the allowance', async () => {
    h = await harness({ dailyAllowance: 2 })
    await Promise.all(['U_BOB', 'U_CAROL', 'U_DAN', 'U_ERIN'].map((id) => h.kudos(`<@${id}> for the help`)))
    expect(kudosRows(h.db)).toHaveLength(2)
  })

  it('windows and ISO weeks', () => {
    const w = windowsFor(new Date('2025-03-05T10:00:00Z'), 'Asia/Tokyo')
    expect(w.dayStart.toISOString()).toBe('2025-03-04T15:00:00.000Z')
    expect(w.weekStart.toISOString()).toBe('2025-03-02T15:00:00.000Z')
    expect(w.nextWeek.toISOString()).toBe('2025-03-09T15:00:00.000Z')
    expect(isoWeek(new Date('2025-03-05T10:00:00Z'))).toBe('2025-W10')
    expect(isoWeek(new Date('2024-12-30T10:00:00Z'))).toBe('2025-W01')
    expect(isoWeek(new Date('2021-01-03T10:00:00Z'))).toBe('2020-W53')
  })
})
