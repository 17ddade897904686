/**
 * The organisation as sponsors see it (the digest and its dashboard link): organisation totals, the
 * organisation's stage, how many teams are at each stage, and departments over time — never a
 * team's own figures. Computed as an admin's view (every team and the organisation, the privacy
 * rules applied across all of them), so a sponsor sees the organisation figures an admin does — unless
 * they also manage teams and those figures beside their teams would reveal a small group.
 */
import { departmentsOf } from '../adoption/reports.ts'
import { viewerOf } from '../adoption/scope.ts'
import type { WorkspaceId } from '../model.ts'
import { lastCompleteWeeks } from '../time/iso-weeks.ts'
import type { ImpactContext } from './deps.ts'
import { departmentTrend, type DepartmentTrend } from './departments.ts'
import { STAGES, type Stage } from './maturity.ts'
import { organisationIsolates } from './own-teams.ts'
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

/**
 * Every team and the organisation as an admin sees them (one privacy check across all), for the
 * organisation's surfaces shown to `personId` (their page, their digest): an admin sees exactly that;
 * a sponsor who also manages teams gets the organisation withheld when it would give away a small
 * group beside the teams they see (own-teams.ts).
 */
export async function organisationReports(
  ctx: ImpactContext,
  workspace: WorkspaceId,
  personId: string,
  period: Period = 'month',
): Promise<ImpactReport[]> {
  const viewer = await viewerOf(ctx.adoption, workspace, personId)
  const teams = viewer.admin ? viewer.teams : await ctx.adoption.settings.teams(workspace)
  const reports = await impactReports(ctx, { workspace, personId, admin: true, teams }, { period })
  const org = reports.find((r) => r.organisation)
  if (viewer.admin || viewer.teams.length === 0 || !org || org.hidden) return reports
  if (!(await organisationIsolates(ctx, org.team, viewer.teams, reports))) return reports
  const withheld: ImpactReport = { team: org.team, organisation: true, label: org.label, hidden: 'own-teams' }
  return reports.map((r) => (r === org ? withheld : r))
}

/** Departments over time across the organisation's channels (undefined when the organisation is not shown). */
export async function organisationDepartments(ctx: ImpactContext, organisation: ImpactReport | undefined): Promise<DepartmentTrend | undefined> {
  if (!organisation || organisation.hidden || organisation.team.channels.length === 0) return undefined
  const a = ctx.adoption
  const ws = organisation.team.workspace
  return departmentTrend(ctx, ws, organisation.team.channels, lastCompleteWeeks(a.clock.now(), a.historyWeeks), await departmentsOf(a, ws))
}

export async function organisationView(ctx: ImpactContext, workspace: WorkspaceId, personId: string): Promise<OrganisationView> {
  const reports = await organisationReports(ctx, workspace, personId)
  const organisation = reports.find((r) => r.organisation)
  const teams = reports.filter((r) => !r.organisation && !r.hidden)
  const stages = Object.fromEntries(STAGES.map((s) => [s, teams.filter((r) => r.stage?.stage === s).length])) as Record<Stage, number>
  const departments = await organisationDepartments(ctx, organisation)
  return { ...(organisation ? { organisation } : {}), stages, teamsShown: teams.length, ...(departments ? { departments } : {}) }
}
