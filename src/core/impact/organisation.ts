/**
 * The organisation as sponsors see it (the digest and its dashboard link): organisation totals, the
 * organisation's stage, how many teams are at each stage, and departments over time — never a
 * team's own figures. Computed as an admin's view (every team and the organisation, the privacy
 * rules applied across all of them), so a sponsor sees exactly the organisation figures an admin does.
 */
import { departmentsOf } from '../adoption/reports.ts'
import type { WorkspaceId } from '../model.ts'
import { lastCompleteWeeks } from '../time/iso-weeks.ts'
import type { ImpactContext } from './deps.ts'
import { departmentTrend, type DepartmentTrend } from './departments.ts'
import { STAGES, type Stage } from './maturity.ts'
import { impactReports, type ImpactReport, type Period } from './reports.ts'

export interface OrganisationView {
  /** Undefined when no team reaches the privacy minimum. */
  organisation?: ImpactReport
  /** Shown teams per stage (counts only). */
  stages: Record<Stage, number>
  teamsShown: number
  departments?: DepartmentTrend
}

export async function isSponsor(ctx: ImpactContext, workspace: WorkspaceId, personId: string): Promise<boolean> {
  return (await ctx.sponsors.list(workspace)).some((s) => s.personId === personId)
}

/** Every team and the organisation, as an admin sees them. */
export async function allTeamsReports(
  ctx: ImpactContext,
  workspace: WorkspaceId,
  personId: string,
  period: Period = 'month',
): Promise<ImpactReport[]> {
  const teams = await ctx.adoption.settings.teams(workspace)
  return impactReports(ctx, { workspace, personId, admin: true, teams }, { period })
}

/** Departments over time across the organisation's channels (undefined when the organisation is not shown). */
export async function organisationDepartments(ctx: ImpactContext, organisation: ImpactReport | undefined): Promise<DepartmentTrend | undefined> {
  if (!organisation || organisation.hidden || organisation.team.channels.length === 0) return undefined
  const a = ctx.adoption
  const ws = organisation.team.workspace
  return departmentTrend(ctx, ws, organisation.team.channels, lastCompleteWeeks(a.clock.now(), a.historyWeeks), await departmentsOf(a, ws))
}

export async function organisationView(ctx: ImpactContext, workspace: WorkspaceId, personId: string): Promise<OrganisationView> {
  const reports = await allTeamsReports(ctx, workspace, personId)
  const organisation = reports.find((r) => r.organisation)
  const teams = reports.filter((r) => !r.organisation && !r.hidden)
  const stages = Object.fromEntries(STAGES.map((s) => [s, teams.filter((r) => r.stage?.stage === s).length])) as Record<Stage, number>
  const departments = await organisationDepartments(ctx, organisation)
  return { ...(organisation ? { organisation } : {}), stages, teamsShown: teams.length, ...(departments ? { departments } : {}) }
}
