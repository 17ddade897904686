/**
 * Team reports: weekly metrics, diagnoses, objectives and nudge effects with the privacy rules
 * applied. Chat replies, nudges, the dashboard and the CSV export all read these, so none of them
 * can show more than the others.
 */
import type { AdoptionContext } from './deps.ts'
import { diagnose, type Diagnosis } from './diagnoses.ts'
import { teamHistory, type TeamHistory, type WeekMetrics } from './metrics.ts'
import { subtractionHidden, type HiddenReason } from './privacy.ts'
import { activityFor } from './people-view.ts'
import type { ActivityReads, NudgeRecord, Objective, Team } from './types.ts'
import { isoWeekLabel, lastCompleteWeeks, weekStart } from '../time/iso-weeks.ts'
import type { WorkspaceId } from '../model.ts'

export interface ShownWeek {
  week: string
  weekStart: string
  /** Undefined when the week had fewer active people than the privacy minimum. */
  metrics?: WeekMetrics
}

export interface NudgeEffect {
  sent: number
  /** Nudges whose "two weeks after" numbers are in. */
  measured: number
  /** … of which active people were higher two weeks later. */
  recovered: number
}

export interface TeamReport {
  team: Team
  hidden?: HiddenReason
  weeks: ShownWeek[]
  diagnoses: Diagnosis[]
  objectives: Objective[]
  nudges: NudgeEffect
  /**
   * The current week so far, when the last complete week shows nothing (a new team) and this week
   * already meets the privacy minimum. Partial: Monday 00:00 UTC until now.
   */
  partial?: ShownWeek
}

export function nudgeEffect(ns: NudgeRecord[]): NudgeEffect {
  const measured = ns.filter((n) => n.after)
  return { sent: ns.length, measured: measured.length, recovered: measured.filter((n) => n.after!.activePeople > n.before.activePeople).length }
}

/**
 * person id → department: DEPARTMENTS_FILE first, then the department stored with the person from
 * their platform profile (SLACK_DEPARTMENT_FIELD). Both are read from the database, never the platform.
 */
export async function departmentsOf(ctx: AdoptionContext, workspace: WorkspaceId): Promise<Map<string, string>> {
  const [file, profiles] = await Promise.all([ctx.settings.departments(workspace), ctx.people.departments(workspace)])
  return new Map([...profiles, ...file])
}

/** The history of one team over the last complete weeks (internal: holds per-person detail). */
export async function historyOf(
  ctx: AdoptionContext,
  team: Team,
  mondays = lastCompleteWeeks(ctx.clock.now(), ctx.historyWeeks),
): Promise<TeamHistory> {
  return teamHistory(await activityFor(ctx, team.workspace), team, mondays, await departmentsOf(ctx, team.workspace))
}

export function reportFrom(ctx: AdoptionContext, h: TeamHistory, objectives: Objective[], nudges: NudgeRecord[], hidden?: HiddenReason): TeamReport {
  const k = ctx.minGroupSize
  const peak = Math.max(0, ...h.weeks.map((w) => w.metrics.activePeople))
  const reason = hidden ?? (peak < k ? 'small' : undefined)
  const weeks: ShownWeek[] = h.weeks.map((w) => ({
    week: w.metrics.week,
    weekStart: w.metrics.weekStart,
    ...(reason === undefined && w.metrics.activePeople >= k ? { metrics: w.metrics } : {}),
  }))
  return {
    team: h.team,
    ...(reason ? { hidden: reason } : {}),
    weeks: reason ? weeks.map((w) => ({ week: w.week, weekStart: w.weekStart })) : weeks,
    diagnoses: reason ? [] : diagnose(h, objectives, k),
    objectives,
    nudges: nudgeEffect(nudges),
  }
}

/**
 * Reports for the teams a viewer sees (`visible`, default every team: an admin's view), or the named
 * ones among them. The differencing rule is applied across all the visible teams, since those are
 * the figures one person can combine. `reads`: the request's memo of the rollups, when the same request
 * also shows impact (report-reads.ts).
 */
export async function workspaceReports(
  ctx: AdoptionContext,
  workspace: WorkspaceId,
  only?: (t: Team) => boolean,
  visible?: (t: Team) => boolean,
  reads?: ActivityReads,
): Promise<TeamReport[]> {
  const all = (await ctx.settings.teams(workspace)).filter(visible ?? (() => true))
  const mondays = lastCompleteWeeks(ctx.clock.now(), ctx.historyWeeks)
  const activity = await activityFor(ctx, workspace, reads)
  const hidden = await subtractionHidden(activity, all, mondays, ctx.minGroupSize)
  const departments = await departmentsOf(ctx, workspace)
  const out: TeamReport[] = []
  let hiddenThisWeek: Set<number> | undefined
  for (const team of all.filter(only ?? (() => true))) {
    const h = await teamHistory(activity, team, mondays, departments)
    const [objectives, nudges] = await Promise.all([ctx.settings.objectives(team.id), ctx.settings.nudges(workspace, team.id)])
    const report = reportFrom(ctx, h, objectives, nudges, hidden.has(team.id) ? 'subtraction' : undefined)
    if (report.hidden !== 'subtraction' && !report.weeks.at(-1)?.metrics) {
      // The same privacy rules as full weeks: the minimum, and no subtraction between teams.
      hiddenThisWeek ??= await subtractionHidden(activity, all, [weekStart(ctx.clock.now())], ctx.minGroupSize)
      const partial = hiddenThisWeek.has(team.id) ? undefined : await thisWeekSoFar(ctx, activity, team, departments)
      if (partial) report.partial = partial
    }
    out.push(report)
  }
  return out
}

/** The current week until now, or undefined while it has fewer active people than the privacy minimum. */
async function thisWeekSoFar(
  ctx: AdoptionContext,
  activity: ActivityReads,
  team: Team,
  departments: Map<string, string>,
): Promise<ShownWeek | undefined> {
  const [w] = (await teamHistory(activity, team, [weekStart(ctx.clock.now())], departments)).weeks
  if (!w || w.metrics.activePeople < ctx.minGroupSize) return undefined
  return { week: w.metrics.week, weekStart: w.metrics.weekStart, metrics: w.metrics }
}

export function lastWeekLabel(ctx: AdoptionContext): string {
  const weeks = lastCompleteWeeks(ctx.clock.now(), 1)
  return isoWeekLabel(weeks[0]!)
}
