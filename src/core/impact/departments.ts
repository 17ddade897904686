/**
 * Departments over time: per department, the organisation's active people each week (activity in
 * any channel of the organisation's teams), from the weekly rollup. The privacy minimum holds per
 * cell: a department-week of 1…minGroup−1 people is hidden, and since a week's cells add up to the
 * organisation's active people, a week whose hidden cells together make such a small group hides
 * its smallest shown cell too, until they do not (so no cell can be recovered by subtraction).
 * People without a known department are a row of their own.
 */
import { activityFor } from '../adoption/people-view.ts'
import { PASSIVE_KINDS } from '../adoption/types.ts'
import { isoWeekLabel } from '../time/iso-weeks.ts'
import type { WorkspaceId } from '../model.ts'
import { nextTurn } from '../next-turn.ts'
import type { ImpactContext } from './deps.ts'

export const UNKNOWN_DEPARTMENT = 'Department not known'

export interface DepartmentCell {
  /** Undefined when hidden. */
  activePeople?: number
}

export interface DepartmentTrend {
  /** Oldest first: "2025-W21". */
  weeks: { week: string; weekStart: string }[]
  /** Departments in name order (the unknown one last), each with one cell per week. */
  rows: { department: string; cells: DepartmentCell[] }[]
}

const small = (n: number, k: number) => n > 0 && n < k

/** Pure: hides small cells, then, per week, the smallest shown cells until the hidden ones are 0 or ≥ minGroup. */
export function suppress(counts: number[][], minGroup: number): (number | undefined)[][] {
  const out: (number | undefined)[][] = counts.map((row) => row.map((n) => (small(n, minGroup) ? undefined : n)))
  const weeks = counts[0]?.length ?? 0
  for (let w = 0; w < weeks; w++) {
    for (;;) {
      const hiddenSum = counts.reduce((s, row, d) => s + (out[d]![w] === undefined ? row[w]! : 0), 0)
      if (!small(hiddenSum, minGroup)) break
      const next = counts
        .map((row, d) => ({ d, n: row[w]! }))
        .filter((c) => out[c.d]![w] !== undefined && c.n > 0)
        .sort((a, b) => a.n - b.n)[0]
      // Nothing left to hide with it: the week shows no department at all.
      if (!next) break
      out[next.d]![w] = undefined
    }
  }
  return out
}

export async function departmentTrend(
  ctx: ImpactContext,
  workspace: WorkspaceId,
  channels: string[],
  mondays: string[],
  departments: Map<string, string>,
): Promise<DepartmentTrend> {
  const byDepartment = new Map<string, number[]>()
  // People, not accounts: the organisation's channels of a linked workspace count the same people once.
  const activity = await activityFor(ctx.adoption, workspace)
  for (const [w, monday] of mondays.entries()) {
    const active = new Set<string>()
    for (const r of await activity.weekCounts(workspace, channels, monday)) if (r.count > 0 && !PASSIVE_KINDS.has(r.kind)) active.add(r.personId)
    for (const p of active) {
      const d = departments.get(p) ?? UNKNOWN_DEPARTMENT
      let row = byDepartment.get(d)
      if (!row) byDepartment.set(d, (row = mondays.map(() => 0)))
      row[w]!++
    }
    await nextTurn()
  }
  const names = [...byDepartment.keys()].sort((a, b) => Number(a === UNKNOWN_DEPARTMENT) - Number(b === UNKNOWN_DEPARTMENT) || a.localeCompare(b))
  const shown = suppress(
    names.map((d) => byDepartment.get(d)!),
    ctx.adoption.minGroupSize,
  )
  return {
    weeks: mondays.map((m) => ({ week: isoWeekLabel(m), weekStart: m })),
    rows: names.map((department, d) => ({ department, cells: shown[d]!.map((n) => (n === undefined ? {} : { activePeople: n })) })),
  }
}
