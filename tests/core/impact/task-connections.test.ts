/**
 * "Worked on a task with someone of another department for the first time": the people of a task
 * (creator ↔ each assignee, assignees with each other) are a connection in the week the task was
 * made, or closed for whoever was assigned since; a pair counts once, in its earliest week, and only
 * across departments; an opted-out person is never paired. The figure is a team's count, never a name.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { TaskFact } from '../../../src/core/domain-events.ts'
import { departmentsOf } from '../../../src/core/adoption/reports.ts'
import { createImpactFeature, type ImpactFeature } from '../../../src/core/impact/index.ts'
import { impactReply } from '../../../src/core/impact/render.ts'
import { impactReports } from '../../../src/core/impact/reports.ts'
import { periodValue } from '../../../src/core/impact/value.ts'
import { addDays, dayToDate, lastCompleteWeeks } from '../../../src/core/time/iso-weeks.ts'
import { SqliteImpactRepository, SqliteSponsorRepository } from '../../../src/storage/repositories/impact.ts'
import { adoptionHarness, crowd, historyEvents, people, WS, type AdoptionHarness } from '../adoption/support.ts'

let h: AdoptionHarness
let impact: ImpactFeature
afterEach(() => h?.close())

const DEPARTMENTS = { p1: 'Engineering', p2: 'Sales', p3: 'Sales', p4: 'Engineering', p5: 'Sales' } as const

async function setup(): Promise<string[]> {
  h = await adoptionHarness()
  impact = createImpactFeature({ adoption: h.feature.context, impact: new SqliteImpactRepository(h.db), sponsors: new SqliteSponsorRepository(h.db) })
  const a = h.feature.context
  await a.settings.syncTeam(WS, 'Big', ['C1'], ['UBOSS'], h.clock.now())
  await a.activity.recordMany(historyEvents(Array.from({ length: 12 }, () => crowd(people('p', 10)))))
  await a.settings.addDepartments(Object.entries(DEPARTMENTS).map(([personId, department]) => ({ workspace: WS, personId, department })))
  return lastCompleteWeeks(h.clock.now(), 4)
}

const task = (id: number, creatorId: string, assignees: string[], over: Partial<TaskFact> = {}): TaskFact => ({
  id,
  workspace: WS,
  number: id,
  title: 'confidential task title',
  creatorId,
  conversationId: 'C1',
  assignees: assignees.map((personId) => ({ personId, displayName: personId })),
  ...over,
})
const wednesday = (monday: string) => new Date(dayToDate(addDays(monday, 2)).getTime() + 10 * 3_600_000)
const created = (t: TaskFact) => impact.events.subscribes['task.created']!.handle({ task: t })
const done = (t: TaskFact) => impact.events.subscribes['task.done']!.handle({ task: t })

describe('task connections across departments', () => {
  it('counts creator↔assignee and co-assignee pairs of different departments once, in their first week', async () => {
    const [w1, w2, w3, w4] = await setup()
    const departments = await departmentsOf(h.feature.context, WS)
    const week = async (monday: string) => (await periodValue(impact.context, WS, ['C1'], [monday], departments)).newCrossDepartmentConnections

    // Week 1: Engineering p1 gives a task to Sales p2 and p3: two new pairs across departments (p2–p3 is one department).
    await created(task(1, 'p1', ['p2', 'p3'], { createdAt: wednesday(w1!) }))
    // Reported twice (a retried event): still the same pairs.
    await created(task(1, 'p1', ['p2', 'p3'], { createdAt: wednesday(w1!) }))
    // Week 2: p2 and p1 again (not new), p4 (Engineering) with p2 is new; p1–p4 is one department.
    await created(task(2, 'p2', ['p1', 'p4'], { createdAt: wednesday(w2!) }))
    // Week 3: task 1 closed, p4 assigned since: p4–p3 is new, p4–p1 same department, p4–p2 known.
    await done(task(1, 'p1', ['p2', 'p3', 'p4'], { createdAt: wednesday(w1!), closedAt: wednesday(w3!) }))
    // Week 4: an opted-out person is never paired; a task without a conversation has no team.
    await h.feature.context.settings.optOut(WS, 'p5', h.clock.now())
    await created(task(3, 'p1', ['p5'], { createdAt: wednesday(w4!) }))
    await created(task(4, 'p1', ['p6'], { createdAt: wednesday(w4!), conversationId: undefined }))

    expect([await week(w1!), await week(w2!), await week(w3!), await week(w4!)]).toEqual([2, 1, 1, 0])
    const month = await periodValue(impact.context, WS, ['C1'], [w1!, w2!, w3!, w4!], departments)
    expect(month.newCrossDepartmentConnections).toBe(4)
    // Another team's channel does not get them.
    expect((await periodValue(impact.context, WS, ['C2'], [w1!, w2!, w3!, w4!], departments)).newCrossDepartmentConnections).toBe(0)

    // The manager's report says how many, never who.
    const viewer = { workspace: WS, personId: 'UBOSS', admin: false, teams: await h.feature.context.settings.teams(WS) }
    const reply = impactReply(await impactReports(impact.context, viewer), 5, { personId: 'UBOSS', prefix: '/' })
    expect(reply.text).toMatch(/New connections across departments: \*\*4\*\*/)
    expect(reply.text).not.toMatch(/\bp\d\b|Engineering|Sales|confidential/)
  })

  it('a pair first seen in the previous month is not new in this one, even in the first report ever made', async () => {
    await setup()
    // The previous month is weeks 0–3 of these, this month weeks 4–7.
    const weeks = lastCompleteWeeks(h.clock.now(), 8)
    // Kudos from Engineering p1 to Sales p2 in the previous month's first week and again in this month's last.
    const kudos = (monday: string) => ({
      workspace: WS,
      conversationId: 'C1',
      personId: 'p1',
      kind: 'kudos_given' as const,
      targetPersonId: 'p2',
      at: wednesday(monday),
    })
    await h.feature.context.activity.recordMany([kudos(weeks[0]!), kudos(weeks[7]!)])

    // No report has folded any week into the pairs yet: this one folds both months, oldest week first.
    const viewer = { workspace: WS, personId: 'UBOSS', admin: false, teams: await h.feature.context.settings.teams(WS) }
    const [report] = await impactReports(impact.context, viewer)
    expect(report?.previous?.newCrossDepartmentConnections).toBe(1)
    expect(report?.current?.newCrossDepartmentConnections).toBe(0)
  })
})
