/**
 * The nightly `impact.fold` folds the weeks reports show into first connections ahead of them, so a
 * dashboard request after a week ends reads no raw links (the costliest read of a report) and shows
 * the same figures it would have computed itself.
 */
import { afterEach, expect, it } from 'vitest'
import type { ActivityEvent } from '../../../src/core/adoption/types.ts'
import { foldPairsAhead } from '../../../src/core/impact/fold-ahead.ts'
import { createImpactFeature, type ImpactFeature } from '../../../src/core/impact/index.ts'
import { impactReports } from '../../../src/core/impact/reports.ts'
import { addDays, dayToDate, lastCompleteWeeks } from '../../../src/core/time/iso-weeks.ts'
import { SqliteImpactRepository, SqliteSponsorRepository } from '../../../src/storage/repositories/impact.ts'
import { adoptionHarness, people, WS, type AdoptionHarness } from '../adoption/support.ts'

const harnesses: AdoptionHarness[] = []
afterEach(() => Promise.all(harnesses.splice(0).map((h) => h.close())))

/** Twelve weeks in which one person of each department answers a thread of the other's, a new pair each week. */
async function world(): Promise<{ h: AdoptionHarness; impact: ImpactFeature; linkReads: () => number }> {
  const h = await adoptionHarness()
  harnesses.push(h)
  const a = h.feature.context
  const impact = createImpactFeature({ adoption: a, impact: new SqliteImpactRepository(h.db), sponsors: new SqliteSponsorRepository(h.db) })
  impact.registerJobs()
  await impact.scheduleJobs()
  const eng = people('e', 12)
  const sales = people('s', 12)
  await a.settings.syncTeam(WS, 'Big', ['C1'], ['UBOSS'], h.clock.now())
  await a.settings.addDepartments([
    ...eng.map((personId) => ({ workspace: WS, personId, department: 'Engineering' })),
    ...sales.map((personId) => ({ workspace: WS, personId, department: 'Sales' })),
  ])
  const events: ActivityEvent[] = []
  lastCompleteWeeks(h.clock.now(), 12).forEach((monday, i) => {
    const at = (hour: number) => new Date(dayToDate(addDays(monday, 1)).getTime() + hour * 3_600_000)
    // Everyone is active (the privacy minimum), and e_i answers s_i's thread: a new cross-department pair.
    for (const p of [...eng, ...sales]) events.push({ workspace: WS, conversationId: 'C1', personId: p, kind: 'message', at: at(9) })
    const threadId = `${WS}:C1:t${i}`
    events.push({ workspace: WS, conversationId: 'C1', personId: sales[i]!, kind: 'message', threadId, at: at(10) })
    events.push({ workspace: WS, conversationId: 'C1', personId: eng[i]!, kind: 'reply', threadId, at: at(11) })
  })
  await a.activity.recordMany(events)
  let reads = 0
  const channelLinks = a.activity.channelLinks.bind(a.activity)
  a.activity.channelLinks = (...args) => {
    reads++
    return channelLinks(...args)
  }
  return { h, impact, linkReads: () => reads }
}

async function report(w: Awaited<ReturnType<typeof world>>) {
  const teams = await w.h.feature.context.settings.teams(WS)
  return impactReports(w.impact.context, { workspace: WS, personId: 'UADMIN', admin: true, teams })
}

it('after the nightly fold a report reads no raw links, and its figures are the ones it would have computed', async () => {
  const ahead = await world()
  expect(ahead.h.queue.schedules.find((s) => s.name === 'impact.fold')?.cron).toBe('17 0 * * *')
  await ahead.h.queue.runNow('impact.fold')
  const foldReads = ahead.linkReads()
  expect(foldReads).toBeGreaterThan(0)
  const withFold = await report(ahead)
  expect(ahead.linkReads()).toBe(foldReads)

  const onRequest = await world()
  const without = await report(onRequest)
  expect(onRequest.linkReads()).toBeGreaterThan(0)

  const figures = (rs: typeof withFold) =>
    rs.map((r) => [r.team.name, r.current?.newCrossDepartmentConnections, r.previous?.newCrossDepartmentConnections])
  expect(figures(withFold)).toEqual(figures(without))
  // Four weeks, a new pair each: the month shows 4, and so does the month before.
  expect(figures(withFold)).toContainEqual(['Big', 4, 4])
})

it('also folds a linked workspace without teams of its own, which reports ask whether a pair met there first', async () => {
  const w = await world()
  const TEAMS = 'teams:tenant-1'
  const org = { linkedWith: async (ws: string) => (ws === WS ? [TEAMS] : [WS]), counterpart: async () => ({}), accountIn: async () => undefined }
  const ctx = { ...w.impact.context, adoption: { ...w.impact.context.adoption, org } }
  const lastWeek = lastCompleteWeeks(w.h.clock.now(), 1)[0]!
  expect(await foldPairsAhead(ctx)).toBe(2)
  expect(await ctx.impact.pairWeekDone(TEAMS, lastWeek)).toBe(true)
  expect(await ctx.impact.pairWeekDone(WS, lastWeek)).toBe(true)
})
