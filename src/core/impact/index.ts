/**
 * Business impact and maturity (README.md in this folder, stage rules in MATURITY.md):
 *
 *   const impact = createImpactFeature({ adoption: adoption.context, impact: repos.impact, sponsors: repos.sponsors })
 *   capabilities: [withImpact(adoption.capability, impact.context), impact.capability, …]
 *   impact.registerJobs(); await impact.scheduleJobs()
 *   hooks from other features: impact.knowledgeUsed(…), impact.taskCreated(task), impact.taskDone(task), impact.kudosGiven(…)
 */
import type { Capability } from '../capability.ts'
import { departmentsOf } from '../adoption/reports.ts'
import type { WorkspaceId } from '../model.ts'
import type { Task } from '../tasks/types.ts'
import { impactCapability, withImpact } from './capability.ts'
import type { ImpactContext } from './deps.ts'
import { impactDigestJob, impactMonthlyJob, runMonthly, sendDigest } from './digest.ts'
import { recordKnowledgeUse, type KnowledgeUse } from './events.ts'

export interface ImpactFeature {
  capability: Capability
  /** Adoption's `/beacon` with `impact` and `sponsor` added. */
  withBeacon(adoption: Capability): Capability
  registerJobs(): void
  scheduleJobs(opts?: { monthlyCron?: string }): Promise<void>
  knowledgeUsed(u: KnowledgeUse): Promise<void>
  taskCreated(task: Task): Promise<void>
  taskDone(task: Task): Promise<void>
  kudosGiven(k: { workspace: WorkspaceId; conversationId?: string; giverId?: string; receiverId: string; key: string }): Promise<void>
  context: ImpactContext
}

export function createImpactFeature(ctx: ImpactContext): ImpactFeature {
  const a = ctx.adoption
  return {
    capability: impactCapability(ctx),
    withBeacon: (adoption) => withImpact(adoption, ctx),
    registerJobs() {
      a.queue.register(impactMonthlyJob, async () => {
        await runMonthly(ctx)
      })
      a.queue.register(impactDigestJob, async (data) => {
        const outcome = await sendDigest(ctx, data)
        a.log.info({ sponsorId: data.sponsorId, month: data.month, outcome }, 'impact digest')
      })
    },
    async scheduleJobs(opts = {}) {
      await a.queue.schedule(impactMonthlyJob, opts.monthlyCron ?? '0 6 1 * *', {})
    },
    knowledgeUsed: (u) => recordKnowledgeUse(ctx, u),
    async taskCreated(task) {
      if (!task.conversationId) return
      // From a conversation: made from a message (shortcut / message action), not typed alone.
      await ctx.impact.record({ workspace: task.workspace, conversationId: task.conversationId, kind: 'task_created', flag: Boolean(task.source), at: task.createdAt, sourceKey: `task:${task.id}:created` })
    },
    async taskDone(task) {
      if (!task.conversationId || !task.dueAt) return
      const closed = task.closedAt ?? a.clock.now()
      await ctx.impact.record({ workspace: task.workspace, conversationId: task.conversationId, kind: 'task_due_closed', flag: closed.getTime() <= task.dueAt.getTime(), at: closed, sourceKey: `task:${task.id}:done` })
    },
    async kudosGiven(k) {
      if (!k.conversationId || !k.giverId) return
      const departments = await departmentsOf(a, k.workspace)
      const from = departments.get(k.giverId)
      const to = departments.get(k.receiverId)
      await ctx.impact.record({ workspace: k.workspace, conversationId: k.conversationId, kind: 'kudos', at: a.clock.now(), ...(from && to ? { flag: from !== to } : {}), sourceKey: `kudos:${k.key}` })
    },
    context: ctx,
  }
}

export { withImpact, impactCapability, IMPACT_HELP } from './capability.ts'
export { impactReports, organisationOf, ORGANISATION_ID, type ImpactReport, type Period } from './reports.ts'
export { stageOf, organisationStage, STAGES, AREA_RULES, VALUE_RULES, type Stage, type StageResult } from './maturity.ts'
export { valueFrom, periodValue, type ValueMetrics } from './value.ts'
export { runMonthly, sendDigest, digestMessage, digestKey, impactDigestJob, impactMonthlyJob } from './digest.ts'
export type * from './types.ts'
