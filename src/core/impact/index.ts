/**
 * Business impact and maturity (README.md in this folder, stage rules in MATURITY.md):
 *
 *   const impact = createImpactFeature({ adoption: adoption.context, impact: repos.impact, sponsors: repos.sponsors })
 *   assembleFeatures([{ ...adoption, capability: impact.withBeacon(adoption.capability) }, …, impact], …)
 */
import type { Capability } from '../capability.ts'
import { departmentsOf } from '../adoption/reports.ts'
import type { GivenKudos, TaskFact } from '../domain-events.ts'
import type { Feature } from '../feature.ts'
import { impactCapability, withImpact } from './capability.ts'
import type { ImpactContext } from './deps.ts'
import { impactDigestJob, impactMonthlyJob, runMonthly, sendDigest } from './digest.ts'
import { recordKnowledgeUse } from './events.ts'
import { connectTaskPeople } from './pairs.ts'
import { impactPurgeJob, purgeQuestions } from './retention.ts'
import { foldPairsAhead, impactFoldJob } from './fold-ahead.ts'

export interface ImpactFeature extends Feature {
  /** Adoption's `/beacon` with `impact` and `sponsor` added. */
  withBeacon(adoption: Capability): Capability
  scheduleJobs(opts?: { monthlyCron?: string; purgeCron?: string; foldCron?: string }): Promise<void>
  context: ImpactContext
}

/**
 * A Feature (src/core/feature.ts): publishes nothing; subscribes (record phase) to
 * `knowledge.item-used`, `task.created`, `task.done` and `kudos.given`.
 */
export function createImpactFeature(ctx: ImpactContext): ImpactFeature {
  const a = ctx.adoption
  const record = 'record' as const
  return {
    name: 'impact',
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
      a.queue.register(impactPurgeJob, async () => {
        await purgeQuestions(ctx)
      })
      a.queue.register(impactFoldJob, async () => {
        await foldPairsAhead(ctx)
      })
    },
    async scheduleJobs(opts = {}) {
      await a.queue.schedule(impactMonthlyJob, opts.monthlyCron ?? '0 6 1 * *', {})
      await a.queue.schedule(impactPurgeJob, opts.purgeCron ?? '53 2 * * *', {})
      // Weeks end at Monday 00:00 UTC: folded minutes later, before anyone opens Monday's dashboard.
      await a.queue.schedule(impactFoldJob, opts.foldCron ?? '17 0 * * *', {})
    },
    events: {
      publishes: [],
      subscribes: {
        'knowledge.item-used': { phase: record, handle: ({ use }) => recordKnowledgeUse(ctx, use) },
        'task.created': { phase: record, handle: ({ task }) => taskCreated(ctx, task) },
        'task.done': { phase: record, handle: ({ task }) => taskDone(ctx, task) },
        'kudos.given': {
          phase: record,
          handle: async ({ kudos }) => {
            for (const k of kudos) await kudosGiven(ctx, k)
          },
        },
      },
    },
    context: ctx,
  }
}

async function taskCreated(ctx: ImpactContext, task: TaskFact): Promise<void> {
  if (!task.conversationId) return
  const at = task.createdAt ?? ctx.adoption.clock.now()
  await connectTaskPeople(ctx, task, at)
  // From a conversation: made from a message (shortcut / message action), not typed alone.
  await ctx.impact.record({
    workspace: task.workspace,
    conversationId: task.conversationId,
    kind: 'task_created',
    flag: Boolean(task.source),
    at,
    sourceKey: `task:${task.id}:created`,
  })
}

async function taskDone(ctx: ImpactContext, task: TaskFact): Promise<void> {
  if (!task.conversationId) return
  const closed = task.closedAt ?? ctx.adoption.clock.now()
  // Whoever was assigned since it was made worked on it with the others too.
  await connectTaskPeople(ctx, task, closed)
  if (!task.dueAt) return
  await ctx.impact.record({
    workspace: task.workspace,
    conversationId: task.conversationId,
    kind: 'task_due_closed',
    flag: closed.getTime() <= task.dueAt.getTime(),
    at: closed,
    sourceKey: `task:${task.id}:done`,
  })
}

async function kudosGiven(ctx: ImpactContext, k: GivenKudos): Promise<void> {
  if (!k.conversationId || !k.giverId) return
  const departments = await departmentsOf(ctx.adoption, k.workspace)
  const from = departments.get(k.giverId)
  const to = departments.get(k.receiverId)
  await ctx.impact.record({
    workspace: k.workspace,
    conversationId: k.conversationId,
    kind: 'kudos',
    at: ctx.adoption.clock.now(),
    ...(from && to ? { flag: from !== to } : {}),
    sourceKey: `kudos:${k.key}`,
  })
}

export { withImpact, impactCapability, IMPACT_HELP } from './capability.ts'
export { impactReports, organisationOf, ORGANISATION_ID, type ImpactHidden, type ImpactReport, type Period } from './reports.ts'
export { stageOf, organisationStage, STAGES, AREA_RULES, VALUE_RULES, type Stage, type StageResult } from './maturity.ts'
export { valueFrom, periodValue, type ValueMetrics } from './value.ts'
export { organisationReports, isSponsor, organisationDepartments, organisationView, type OrganisationView } from './organisation.ts'
export { departmentTrend, suppress, UNKNOWN_DEPARTMENT, type DepartmentTrend } from './departments.ts'
export { impactPurgeJob, purgeQuestions, questionCutoff } from './retention.ts'
export { runMonthly, sendDigest, digestMessage, digestKey, impactDigestJob, impactMonthlyJob } from './digest.ts'
export type * from './types.ts'
