/** Departments: DEPARTMENTS_FILE first, then the department stored with the person from their profile. */
import { afterEach, describe, expect, it } from 'vitest'
import { departmentsOf } from '../../../src/core/adoption/reports.ts'
import { SqlitePeopleRepository } from '../../../src/storage/repositories/people.ts'
import { adoptionHarness, crowd, historyEvents, people, WS, type AdoptionHarness } from './support.ts'

let h: AdoptionHarness
afterEach(() => h.close())

async function withProfiles(h: AdoptionHarness, rows: [string, string | undefined][], workspace = WS): Promise<void> {
  const repo = new SqlitePeopleRepository(h.db)
  for (const [id, department] of rows)
    await repo.upsert({ workspace, id, displayName: `Name of ${id}`, timezone: 'UTC', isBot: false, ...(department ? { department } : {}) })
}

describe('departmentsOf', () => {
  it('merges the file and stored profiles; the file wins for the people it names', async () => {
    h = await adoptionHarness()
    await withProfiles(h, [
      ['a', 'Engineering'],
      ['b', 'Engineering'],
      ['c', undefined],
    ])
    await withProfiles(h, [['d', 'Elsewhere']], 'slack:T2')
    await h.feature.context.settings.replaceDepartments([
      { workspace: '*', personId: 'b', department: 'Sales' },
      { workspace: WS, personId: 'e', department: 'Ops' },
    ])
    expect(await departmentsOf(h.feature.context, WS)).toEqual(
      new Map([
        ['a', 'Engineering'],
        ['b', 'Sales'],
        ['e', 'Ops'],
      ]),
    )
  })

  it('a profile refresh without a department clears it', async () => {
    h = await adoptionHarness()
    await withProfiles(h, [['a', 'Engineering']])
    await withProfiles(h, [['a', undefined]])
    expect(await departmentsOf(h.feature.context, WS)).toEqual(new Map())
  })

  it('profile departments alone are enough for the single-department diagnosis', async () => {
    h = await adoptionHarness()
    const eng = people('eng', 8)
    const sales = people('sales', 3)
    await withProfiles(h, [...eng.map((p): [string, string] => [p, 'Engineering']), ...sales.map((p): [string, string] => [p, 'Sales'])])
    await h.feature.context.settings.syncTeam(WS, 'Platform', ['C1'], ['eng1'], h.clock.now())
    const weeks = [...Array.from({ length: 4 }, () => crowd([...eng, ...sales])), ...Array.from({ length: 8 }, () => crowd(eng))]
    await h.feature.context.activity.recordMany(historyEvents(weeks))
    const [report] = await h.feature.reports(WS)
    const d = report!.diagnoses.find((x) => x.code === 'single_department')
    expect(d?.explanation).toMatch(/came from Engineering/)
    expect(JSON.stringify(report!.diagnoses)).not.toMatch(/eng\d|sales\d|Name of/)
  })
})
