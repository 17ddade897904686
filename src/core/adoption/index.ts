/**
 * The adoption feature for the composition root:
 *
 *   const adoption = createAdoptionFeature({ activity, settings, people, platforms, queue, minGroupSize, … })
 *   a Feature (src/core/feature.ts): publishes nothing; subscribes to `knowledge.item-saved`,
 *   `task.created`, `task.done` and `kudos.given` and counts them as activity (subscriptions.ts).
 *   await adoption.loadFiles({ teams: yamlText, departments: { text, file } })   (start-up)
 *   dashboard data: adoption.reports(workspace)
 */
import type { Feature } from '../feature.ts'
import type { WorkspaceId } from '../model.ts'
import { activityRecorder, type RecordActivity } from './activity.ts'
import { adoptionCapability } from './capability.ts'
import { parseDepartmentsFile, parseTeamsFile } from './config-files.ts'
import { resolveAdoptionDeps, type AdoptionContext, type AdoptionDeps } from './deps.ts'
import { registerAdoptionJobs, scheduleAdoptionJobs } from './jobs.ts'
import { workspaceReports, type TeamReport } from './reports.ts'
import { sees, viewerOf } from './scope.ts'
import { activitySubscriptions } from './subscriptions.ts'
import type { ActivityReads } from './types.ts'

export interface AdoptionFeature extends Feature {
  /** One fact as activity, counted once per key (what the subscriptions call). */
  recordActivity: RecordActivity
  scheduleJobs(opts?: { weeklyCron?: string; purgeCron?: string }): Promise<void>
  /** Teams file (YAML text) and departments file (CSV or YAML): applied at start-up. */
  loadFiles(files: { teams?: { text: string; file: string }; departments?: { text: string; file: string } }): Promise<void>
  reports(workspace: WorkspaceId): Promise<TeamReport[]>
  /** What this person may see now (the dashboard re-checks on every request); undefined: nothing. */
  /** `reads`: the request's memo of the rollups, shared with the impact section of the same page. */
  reportsFor(workspace: WorkspaceId, personId: string, reads?: ActivityReads): Promise<TeamReport[] | undefined>
  context: AdoptionContext
}

export function createAdoptionFeature(deps: AdoptionDeps): AdoptionFeature {
  const ctx = resolveAdoptionDeps(deps)
  const recordActivity = activityRecorder(ctx)
  return {
    name: 'adoption',
    capability: adoptionCapability(ctx),
    recordActivity,
    events: { publishes: [], subscribes: activitySubscriptions(recordActivity) },
    registerJobs: () => registerAdoptionJobs(ctx.queue, ctx),
    scheduleJobs: (opts) => scheduleAdoptionJobs(ctx.queue, opts),
    async loadFiles(files) {
      if (files.teams) {
        const now = ctx.clock.now()
        for (const t of parseTeamsFile(files.teams.text, files.teams.file))
          await ctx.settings.syncTeam(t.workspace, t.name, t.channels, t.managers, now)
      }
      if (files.departments) await ctx.settings.replaceDepartments(parseDepartmentsFile(files.departments.text, files.departments.file))
    },
    reports: (workspace) => workspaceReports(ctx, workspace),
    async reportsFor(workspace, personId, reads) {
      const viewer = await viewerOf(ctx, workspace, personId)
      if (!viewer.admin && viewer.teams.length === 0) return undefined
      return workspaceReports(ctx, workspace, undefined, sees(viewer), reads)
    },
    context: ctx,
  }
}

export { adoptionCapability } from './capability.ts'
export type { ActivityInput, RecordActivity } from './activity.ts'
export { resolveAdoptionDeps, MIN_GROUP_FLOOR, type AdoptionContext, type AdoptionDeps } from './deps.ts'
export { diagnose, RULES, type Diagnosis, type DiagnosisCode } from './diagnoses.ts'
export { teamHistory, weekDetail, halfOf, type WeekMetrics, type TeamHistory } from './metrics.ts'
export { runWeekly, sendNudge, nudgeMessage } from './nudges.ts'
export { purgeExpired, registerAdoptionJobs, scheduleAdoptionJobs } from './jobs.ts'
export * from './job-defs.ts'
export { signDashboardToken, verifyDashboardToken, dashboardKey, type DashboardGrant } from './dashboard-token.ts'
export { workspaceReports, type TeamReport, type ShownWeek } from './reports.ts'
export { viewerOf, assertCanManage, type Viewer } from './scope.ts'
export { parseTeamsFile, parseDepartmentsFile } from './config-files.ts'
export type * from './types.ts'
export { ACTIVITY_KINDS, OBJECTIVE_METRICS, PASSIVE_KINDS } from './types.ts'
export { ReportReads } from './report-reads.ts'
