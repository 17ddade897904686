/** `beacon demo seed`: a realistic organisation in which the four patterns are found, seeded idempotently. */
import { afterEach, expect, it } from 'vitest'
import { seedDemo } from '../../../src/core/adoption/demo.ts'
import { adoptionHarness, type AdoptionHarness } from './support.ts'

let h: AdoptionHarness
afterEach(() => h.close())

it('seeds hundreds of people whose teams show decline, one department, silent leaders and a one-person team', async () => {
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
})
