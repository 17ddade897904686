/**
 * Impact reports for one viewer: per team (and, for admins, the organisation) the period's value
 * metrics, the period before, and the maturity stage. The privacy rules of adoption hold for every
 * figure: a team below the minimum in any week of a period shows nothing for that period, a team
 * that never reached it is not shown, and the differencing check (adoption/privacy.ts) runs across
 * exactly the viewer's teams plus the organisation, since those are the figures one person can combine.
 */
import { diagnose } from '../adoption/diagnoses.ts'
import { countHistory, type CountMetrics, type TeamHistory } from '../adoption/metrics.ts'
import { activityFor } from '../adoption/people-view.ts'
import { subtractionHidden, type HiddenReason } from '../adoption/privacy.ts'
import { departmentsOf } from '../adoption/reports.ts'
import { ReportReads } from '../adoption/report-reads.ts'
import type { Viewer } from '../adoption/scope.ts'
import type { Team } from '../adoption/types.ts'
import { nextTurn } from '../next-turn.ts'
import { isoWeekLabel, lastCompleteWeeks } from '../time/iso-weeks.ts'
import type { ImpactContext } from './deps.ts'
import { organisationStage, stageOf, type StageResult } from './maturity.ts'
import { ImpactReads } from './impact-reads.ts'
import { periodValue, type ValueMetrics } from './value.ts'

export type Period = 'week' | 'month'
export const PERIOD_WEEKS: Record<Period, number> = { week: 1, month: 4 }

/** The organisation: every channel of every team, shown to admins (and, as totals, in sponsors' digests). */
export const ORGANISATION_ID = 0

/**
 * Why a report shows no figures: adoption's reasons, or (the organisation's, for a sponsor who also
 * manages teams: own-teams.ts) that together with the teams they see it would reveal a small group.
 */
export type ImpactHidden = HiddenReason | 'own-teams'

export interface ImpactReport {
  team: Team
  organisation: boolean
  hidden?: ImpactHidden
  /** "2025-W21 – 2025-W24". */
  label: string
  current?: ValueMetrics
  previous?: ValueMetrics
  stage?: StageResult
}

/** The weeks a report folds into first connections: its period, the one before, and the month its stage reads. */
export const foldedWeeks = (periodWeeks: number = PERIOD_WEEKS.month) => Math.max(2 * periodWeeks, 4)

/** How many complete weeks any report reads: enough for the diagnoses (history) and two months. */
export function reportWindowWeeks(a: { historyWeeks: number }): number {
  return Math.max(a.historyWeeks, 2 * PERIOD_WEEKS.month, 4)
}

export function organisationOf(teams: Team[], workspace: string): Team {
  return { id: ORGANISATION_ID, workspace, name: 'Organisation', channels: [...new Set(teams.flatMap((t) => t.channels))].sort(), managers: [] }
}

function label(mondays: string[]): string {
  const a = isoWeekLabel(mondays[0]!)
  const b = isoWeekLabel(mondays.at(-1)!)
  return a === b ? a : `${a} – ${b}`
}

export async function impactReports(
  ctx: ImpactContext,
  viewer: Viewer,
  opts: { period?: Period; only?: (t: Team) => boolean; organisation?: boolean; reads?: ReportReads } = {},
): Promise<ImpactReport[]> {
  const a = ctx.adoption
  const k = a.minGroupSize
  const n = PERIOD_WEEKS[opts.period ?? 'month']
  const workspace = viewer.workspace
  const mondays = lastCompleteWeeks(a.clock.now(), reportWindowWeeks(a))
  const current = mondays.slice(-n)
  const previous = mondays.slice(-2 * n, -n)
  const departments = await departmentsOf(a, workspace)
  // Each channel's week and each week's links are read once for every team, the organisation and the
  // privacy check — and not again when the same request's adoption section read them (opts.reads).
  const shared = opts.reads ?? new ReportReads(a.activity)
  // A team's channels of a linked workspace are read as people of the viewer's (adoption/people-view.ts).
  const reads = await activityFor(a, workspace, shared)
  // Likewise each channel's week of impact events and first connections (the weeks shown: the period, the one before, the month).
  const impact = new ImpactReads(ctx, mondays.slice(-foldedWeeks(n)), shared)
  const histories = new Map<number, TeamHistory<CountMetrics>>()
  // A team's history, and then its report, per event-loop turn: this runs on the dashboard's request path.
  for (const t of viewer.teams) {
    histories.set(t.id, await countHistory(reads, t, mondays, departments))
    await nextTurn()
  }
  const reachesMinimum = (h: TeamHistory<CountMetrics>) => h.weeks.some((w) => w.metrics.activePeople >= k)
  // The organisation is every channel of the teams that can be shown: a team too small to show
  // would otherwise be the organisation minus the others.
  const org =
    viewer.admin && (opts.organisation ?? true)
      ? organisationOf(
          viewer.teams.filter((t) => reachesMinimum(histories.get(t.id)!)),
          workspace,
        )
      : undefined
  if (org) histories.set(org.id, await countHistory(reads, org, mondays, departments))
  const all = [...viewer.teams, ...(org ? [org] : [])]
  const hidden = await subtractionHidden(reads, all, mondays, k)
  const out: ImpactReport[] = []
  const stages: StageResult['stage'][] = []
  for (const team of viewer.teams) {
    await nextTurn()
    const r = await teamReport(team, false)
    if (r.stage) stages.push(r.stage.stage)
    if (!opts.only || opts.only(team)) out.push(r)
  }
  if (org && !opts.only) {
    const r = await teamReport(org, true)
    if (!r.hidden) r.stage = organisationStage(stages)
    out.push(r)
  }
  return out

  async function teamReport(team: Team, organisation: boolean): Promise<ImpactReport> {
    const base = { team, organisation, label: label(current) }
    const h = histories.get(team.id)!
    const peak = Math.max(0, ...h.weeks.map((w) => w.metrics.activePeople))
    const reason: HiddenReason | undefined = hidden.has(team.id) ? 'subtraction' : peak < k ? 'small' : undefined
    if (reason) return { ...base, hidden: reason }
    const shownWeek = (monday: string) => {
      const w = h.weeks.find((x) => x.metrics.weekStart === monday)
      return w && w.metrics.activePeople >= k ? w.metrics : undefined
    }
    const shown = (ms: string[]) => ms.length > 0 && ms.every((m) => shownWeek(m) !== undefined)
    const objectives = organisation ? [] : await a.settings.objectives(team.id)
    const cur = shown(current) ? await periodValue(ctx, workspace, team.channels, current, departments, reads, impact) : undefined
    const prev = shown(previous) ? await periodValue(ctx, workspace, team.channels, previous, departments, reads, impact) : undefined
    // The stage reads the month, whatever period is shown, so it does not flicker week to week.
    const month = mondays.slice(-4)
    const monthValue = n === 4 ? cur : shown(month) ? await periodValue(ctx, workspace, team.channels, month, departments, reads, impact) : undefined
    const stage = organisation
      ? undefined
      : stageOf({ objectives, weeks: month.map(shownWeek), diagnoses: diagnose(h, objectives, k), ...(monthValue ? { value: monthValue } : {}) })
    return { ...base, ...(cur ? { current: cur } : {}), ...(prev ? { previous: prev } : {}), ...(stage ? { stage } : {}) }
  }
}
