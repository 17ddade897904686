/** Weekly metrics computed from rollups, and the privacy rules applied to what is shown. */
import { afterEach, describe, expect, it } from 'vitest'
import { loadConfig } from '../../../src/app/config.ts'
import { halfOf } from '../../../src/core/adoption/index.ts'
import { adoptionHarness, crowd, historyEvents, people, WS, type AdoptionHarness } from './support.ts'

let h: AdoptionHarness
afterEach(() => h?.close())

describe('weekly metrics', () => {
  it('halfOf: the fewest people making half of the contributions', () => {
    expect(halfOf([10, 1, 1, 1])).toBe(1)
    expect(halfOf([3, 3, 3, 3])).toBe(2)
    expect(halfOf([])).toBe(0)
  })

  it('active, posting, WAU/MAU, lifecycle, kinds and cross-department links', async () => {
    h = await adoptionHarness()
    const s = h.feature.context.settings
    await s.syncTeam(WS, 'Platform', ['C1'], ['a1'], h.clock.now())
    const A = people('a', 6)
    const B = people('b', 4)
    await s.replaceDepartments([
      ...A.map((p) => ({ workspace: WS, personId: p, department: 'Eng' })),
      ...B.map((p) => ({ workspace: WS, personId: p, department: 'Sales' })),
    ])
    // 12 weeks: A active throughout; b1,b2 in week 9 (of 0..11), b1..b4 in week 11; b3 also in week 1.
    const weeks = Array.from({ length: 12 }, () => crowd(A, 2))
    weeks[1] = new Map([...weeks[1]!, ['b3', 1]])
    weeks[9] = new Map([...weeks[9]!, ['b1', 1], ['b2', 1]])
    weeks[11] = new Map([...weeks[11]!, ...crowd(B, 1)])
    const a = h.feature.context.activity
    await a.recordMany(historyEvents(weeks))
    const last = weeks.length - 1
    const mondays = (await h.feature.reports(WS))[0]!.weeks.map((w) => w.weekStart)
    const at = new Date(`${mondays[last]}T12:00:00Z`)
    // Last week: b2 replies to a1's thread (cross-department), a2 gives b4 kudos, a1 saves knowledge.
    await a.record({ workspace: WS, conversationId: 'C1', personId: 'a1', kind: 'message', at, threadId: 't-1' })
    await a.record({ workspace: WS, conversationId: 'C1', personId: 'b2', kind: 'reply', at, threadId: 't-1' })
    await a.record({ workspace: WS, conversationId: 'C1', personId: 'a2', kind: 'kudos_given', at, targetPersonId: 'b4' })
    await a.record({ workspace: WS, conversationId: 'C1', personId: 'b4', kind: 'kudos_received', at })
    await a.record({ workspace: WS, conversationId: 'C1', personId: 'a1', kind: 'knowledge_saved', at })
    const [r] = await h.feature.reports(WS)
    const m = r!.weeks[last]!.metrics!
    expect(m).toMatchObject({
      activePeople: 10,
      postingPeople: 10,
      monthlyActive: 10,
      wauMau: 1,
      knowledgeSaved: 1,
      kudosGiven: 1,
      kudosReceived: 1,
      contributions: 20,
      // b4 is new; b1, b2 (seen in week 9) and b3 (week 1) are back after a break; A is returning.
      newPeople: 1,
      returningPeople: 6,
      resurrectedPeople: 3,
      dormantPeople: 0,
      halfContributors: 4,
      // b2 replied to a1's thread (Sales → Eng) and a2 thanked b4 (Eng → Sales).
      crossDepartmentLinks: 2,
    })
  })
})

describe('privacy', () => {
  it('hides a team that never had 5 active people, and weeks below 5 in a shown team: 4 hidden, 5 shown', async () => {
    h = await adoptionHarness({ roles: { isAdmin: async () => true } })
    const s = h.feature.context.settings
    await s.syncTeam(WS, 'Tiny', ['C9'], [], h.clock.now())
    await s.syncTeam(WS, 'Big', ['C1'], [], h.clock.now())
    await h.feature.context.activity.recordMany(
      historyEvents(
        Array.from({ length: 12 }, () => crowd(people('t', 4))),
        { channel: 'C9' },
      ),
    )
    const big = Array.from({ length: 12 }, () => crowd(people('p', 5)))
    big[11] = crowd(people('p', 4))
    await h.feature.context.activity.recordMany(historyEvents(big))
    const reports = await h.feature.reports(WS)
    const tiny = reports.find((r) => r.team.name === 'Tiny')!
    expect(tiny.hidden).toBe('small')
    expect(tiny.weeks.every((w) => w.metrics === undefined)).toBe(true)
    const bigR = reports.find((r) => r.team.name === 'Big')!
    expect(bigR.hidden).toBeUndefined()
    expect(bigR.weeks[10]!.metrics?.activePeople).toBe(5)
    expect(bigR.weeks[11]!.metrics).toBeUndefined()
    const stats = await h.command('stats')
    expect(stats.replies[0]!.text).toMatch(/Tiny\*\* — fewer than 5 active people; not shown/)
  })

  it('a team inside another is hidden when the difference is a small group (no subtraction)', async () => {
    h = await adoptionHarness()
    const s = h.feature.context.settings
    await s.syncTeam(WS, 'Division', ['C1', 'C2'], [], h.clock.now())
    await s.syncTeam(WS, 'Squad', ['C1'], [], h.clock.now())
    await h.feature.context.activity.recordMany(
      historyEvents(
        Array.from({ length: 12 }, () => crowd(people('p', 10))),
        { channel: 'C1' },
      ),
    )
    await h.feature.context.activity.recordMany(
      historyEvents(
        Array.from({ length: 12 }, () => crowd(people('q', 2))),
        { channel: 'C2' },
      ),
    )
    const reports = await h.feature.reports(WS)
    expect(reports.find((r) => r.team.name === 'Squad')!.hidden).toBe('subtraction')
    expect(reports.find((r) => r.team.name === 'Division')!.hidden).toBeUndefined()
  })

  it('the threshold can be raised but never lowered below 5', () => {
    expect(loadConfig({}).adoption.minGroupSize).toBe(5)
    expect(loadConfig({ ADOPTION_MIN_GROUP_SIZE: '5' }).adoption.minGroupSize).toBe(5)
    expect(loadConfig({ ADOPTION_MIN_GROUP_SIZE: '6' }).adoption.minGroupSize).toBe(6)
    expect(() => loadConfig({ ADOPTION_MIN_GROUP_SIZE: '4' })).toThrow(/ADOPTION_MIN_GROUP_SIZE/)
  })
})
