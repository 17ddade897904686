/**
 * `beacon demo seed`: a realistic organisation in which the four patterns are found, seeded
 * idempotently, and its impact history (src/core/impact/demo.ts) with first connections made on tasks.
 */
import { afterEach, expect, it } from 'vitest'
import { demoMembers, seedDemo } from '../../../src/core/adoption/demo.ts'
import { seedImpactDemo } from '../../../src/core/impact/demo.ts'
import { lastCompleteWeeks } from '../../../src/core/time/iso-weeks.ts'
import { SqliteImpactRepository } from '../../../src/storage/repositories/impact.ts'
import { adoptionHarness, type AdoptionHarness } from './support.ts'

let h: AdoptionHarness
afterEach(() => h.close())

it('seeds people whose teams show decline, one department, silent leaders, a one-person team, and tasks across departments', async () => {
  h = await adoptionHarness()
  const c = h.feature.context
  const deps = { workspace: 'shell:local', activity: c.activity, settings: c.settings, people: c.people, now: h.clock.now() }
  const s = await seedDemo(deps)
  expect(s.people).toBeGreaterThanOrEqual(300)
  expect(s.events).toBeGreaterThan(5000)
  expect((await seedDemo(deps)).events).toBe(0)
  const reports = await h.feature.reports('shell:local')
  const codes = Object.fromEntries(reports.map((r) => [r.team.name, r.hidden ?? r.diagnoses.map((d) => d.code).join(',')]))
  expect(codes['Launch Squad']).toContain('decline_after_launch')
  expect(codes['Engineering Guild']).toContain('single_department')
  expect(codes['Customer Success']).toContain('silent_leaders')
  expect(codes['Data Platform']).toContain('one_person_team')
  expect(codes.Marketing).toBe('')
  expect(codes.Operations).toBe('')
  expect(codes['Finance Circle']).toBe('small')

  // Impact: people who worked on a task with someone of another department for the first time. Before
  // any report folds the week's replies and kudos in, the pairs stored are the tasks' alone.
  const impact = new SqliteImpactRepository(h.db)
  const seedImpact = () => seedImpactDemo({ workspace: 'shell:local', impact, settings: c.settings, now: h.clock.now() })
  await seedImpact()
  const departments = await c.settings.departments('shell:local')
  const mondays = lastCompleteWeeks(h.clock.now(), 12)
  /** Per week, the pairs first connected in the team's channels. */
  const taskPairs = async (team: string) => {
    const t = (await c.settings.teamByName('shell:local', team))!
    return Promise.all(mondays.map((m) => impact.newPairs('shell:local', t.channels, m)))
  }
  const ops = await taskPairs('Operations')
  // Every week shows some, more as Operations climbs.
  expect(ops.every((ps) => ps.length > 0)).toBe(true)
  expect(ops.at(-1)!.length).toBeGreaterThan(ops[0]!.length)
  const members = new Set(
    demoMembers()
      .get('Operations')!
      .map((m) => m.id),
  )
  for (const p of ops.flat()) {
    expect(members.has(p.a) && members.has(p.b), `${p.a}–${p.b} work in Operations`).toBe(true)
    expect(departments.get(p.a)).not.toBe(departments.get(p.b))
  }
  expect((await taskPairs('Finance Circle')).flat()).toEqual([])
  await seedImpact()
  expect(await taskPairs('Operations')).toEqual(ops)
})
