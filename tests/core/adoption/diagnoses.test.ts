/**
 * Each diagnosis on a synthetic twelve-week history that shows its pattern, and never on a healthy
 * one. Histories go through the real pipeline: activity events → SQLite rollups → weekly metrics.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { DiagnosisCode } from '../../../src/core/adoption/index.ts'
import { adoptionHarness, crowd, historyEvents, people, WS, type AdoptionHarness } from './support.ts'

const ENG = people('eng', 10)
const SALES = people('sales', 6)
const OPS = people('ops', 6)
const EVERYONE = [...ENG, ...SALES, ...OPS]
const MANAGER = 'eng1'

let h: AdoptionHarness
afterEach(() => h.close())

async function diagnosesOf(
  weeks: Map<string, number>[],
  setup: (h: AdoptionHarness, teamId: number) => Promise<void> = async () => {},
): Promise<DiagnosisCode[]> {
  h = await adoptionHarness()
  const s = h.feature.context.settings
  const team = await s.syncTeam(WS, 'Platform', ['C1'], [MANAGER], h.clock.now())
  await s.replaceDepartments([
    ...ENG.map((p) => ({ workspace: WS, personId: p, department: 'Engineering' })),
    ...SALES.map((p) => ({ workspace: WS, personId: p, department: 'Sales' })),
    ...OPS.map((p) => ({ workspace: '*' as const, personId: p, department: 'Operations' })),
  ])
  await setup(h, team.id)
  await h.feature.context.activity.recordMany(historyEvents(weeks))
  const [report] = await h.feature.reports(WS)
  expect(report!.hidden).toBeUndefined()
  return report!.diagnoses.map((d) => d.code)
}

const steady = (ids: string[], n = 12, each = 3) => Array.from({ length: n }, () => crowd(ids, each))

describe('diagnoses on synthetic histories', () => {
  it('a healthy team has none', async () => {
    expect(await diagnosesOf(steady(EVERYONE))).toEqual([])
  })

  it('decline after launch: active people ≥30% below the 4-week peak for 3 weeks', async () => {
    const weeks = [...steady(EVERYONE, 9), ...steady([...ENG, ...SALES.slice(0, 3), ...OPS.slice(0, 2)], 3)] // 22 → 15 (−32%)
    expect(await diagnosesOf(weeks)).toContain('decline_after_launch')
  })

  it('a drop for only two weeks, or of less than 30%, is not a decline', async () => {
    const twoWeeks = [...steady(EVERYONE, 10), ...steady(ENG, 2)]
    expect(await diagnosesOf(twoWeeks)).not.toContain('decline_after_launch')
    h.close()
    const mild = [...steady(EVERYONE, 9), ...steady([...ENG, ...SALES, ...OPS.slice(0, 1)], 3)] // 22 → 17 (−23%)
    expect(await diagnosesOf(mild)).not.toContain('decline_after_launch')
  })

  it('single department: ≥80% of recent contributions from one department while others took part', async () => {
    const weeks = [...steady(EVERYONE, 4), ...steady(ENG, 8)]
    expect(await diagnosesOf(weeks)).toContain('single_department')
  })

  it('one department alone is not flagged when nobody else was ever part of the team', async () => {
    expect(await diagnosesOf(steady(ENG))).not.toContain('single_department')
  })

  it('silent leaders: every manager quiet for 3 weeks while the team is active', async () => {
    const others = EVERYONE.filter((p) => p !== MANAGER)
    const weeks = [...steady(EVERYONE, 9), ...steady(others, 3)]
    const found = await diagnosesOf(weeks)
    expect(found).toContain('silent_leaders')
    expect(found).not.toContain('decline_after_launch')
  })

  it('one-person team: one person makes half of the contributions', async () => {
    const weeks = steady(people('x', 6), 12, 2).map((w) => new Map([...w, ['hero', 40]]))
    expect(await diagnosesOf(weeks)).toContain('one_person_team')
  })

  it('below objective: last week under the team’s target', async () => {
    expect(
      await diagnosesOf(steady(EVERYONE), (x, teamId) =>
        x.feature.context.settings.setObjective({ teamId, metric: 'active', target: 30, setBy: MANAGER, setAt: x.clock.now() }),
      ),
    ).toEqual(['below_objective'])
    h.close()
    expect(
      await diagnosesOf(steady(EVERYONE), (x, teamId) =>
        x.feature.context.settings.setObjective({ teamId, metric: 'active', target: 20, setBy: MANAGER, setAt: x.clock.now() }),
      ),
    ).toEqual([])
  })

  it('explanations never name anyone', async () => {
    const weeks = steady(people('x', 6), 12, 2).map((w) => new Map([...w, ['hero', 40]]))
    await diagnosesOf(weeks)
    const [report] = await h.feature.reports(WS)
    const text = JSON.stringify(report!.diagnoses)
    expect(text).not.toMatch(/hero|x\d|Name of/)
  })
})
