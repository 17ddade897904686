/**
 * The recognition feature for the composition root:
 *
 *   const recognition = createRecognitionFeature({ repo, people, platforms, queue, events,
 *     values, reaction, dailyAllowance, weeklyPerReceiver, mayManageDigest })
 *   a Feature (src/core/feature.ts): publishes `kudos.given`; subscribes to `knowledge.item-saved`
 *   and `task.done` (automatic credit, auto-credit.ts); tasks' "Send kudos" button goes through
 *   recognition.taskRecognition (src/core/feature-ports.ts). Its schedule: the weekly digest.
 */
import { BeaconError } from '../errors.ts'
import type { Feature } from '../feature.ts'
import type { TaskRecognition } from '../feature-ports.ts'
import { escapeMarkdown } from '../outbound.ts'
import { personOf } from '../people/resolve.ts'
import { autoCredit, type AutoCredit } from './auto-credit.ts'
import { recognitionCapability } from './capability.ts'
import { resolveRecognitionDeps, type RecognitionContext, type RecognitionDeps } from './deps.ts'
import { kudosDmJob } from './job-defs.ts'
import { registerRecognitionJobs, scheduleRecognitionJobs } from './jobs.ts'
import { KudosService } from './kudos-service.ts'
import { receivedDm } from './render.ts'

export interface RecognitionFeature extends Feature, AutoCredit {
  /** Tasks' "Send kudos" button: a kudos from the creator, under the usual rules. */
  taskRecognition: TaskRecognition
  service: KudosService
  context: RecognitionContext
}

export function createRecognitionFeature(deps: RecognitionDeps): RecognitionFeature {
  const ctx = resolveRecognitionDeps(deps)
  const service = new KudosService(ctx)
  const credit = autoCredit(ctx, service)

  const taskRecognition: TaskRecognition = {
    async giveKudos(input) {
      const giver = await personOf(ctx, { workspace: input.workspace, id: input.fromId })
      const receivers = await Promise.all(input.toIds.map((id) => personOf(ctx, { workspace: input.workspace, id })))
      const result = await service.give({
        workspace: input.workspace,
        giver,
        receivers,
        reason: escapeMarkdown(input.reason),
        source: 'task',
        keyBase: `task-kudos:${input.taskId}:${giver.id}`,
      })
      // Tasks gives its claim back and shows this privately; nothing was recorded.
      if (result.kind === 'refused') throw new BeaconError('forbidden', 'kudos refused', { userMessage: result.text })
      if (result.kind === 'duplicate') return
      // A task card has no channel to announce in: the people thanked hear it directly.
      for (const k of result.kudos) {
        await ctx.queue.enqueue(
          kudosDmJob,
          { workspace: input.workspace, personId: k.receiverId, text: receivedDm(giver.displayName, k).text },
          { dedupeKey: `kudos-dm:${k.key}` },
        )
      }
    },
  }

  return {
    name: 'recognition',
    capability: recognitionCapability(ctx, service),
    registerJobs: () => registerRecognitionJobs(ctx.queue, ctx, service),
    scheduleJobs: () => scheduleRecognitionJobs(ctx.queue, ctx),
    events: {
      publishes: ['kudos.given'],
      subscribes: {
        'knowledge.item-saved': { handle: ({ item, contributors }) => credit.onItemSaved(item, contributors) },
        'task.done': { handle: ({ task }) => credit.onTaskDone(task) },
      },
    },
    onItemSaved: credit.onItemSaved,
    onTaskDone: credit.onTaskDone,
    taskRecognition,
    service,
    context: ctx,
  }
}

export { recognitionCapability } from './capability.ts'
export { DEFAULT_REACTION, DEFAULT_VALUES, resolveRecognitionDeps, type RecognitionContext, type RecognitionDeps } from './deps.ts'
export * from './job-defs.ts'
export { runReaction, runWeeklyDigest } from './jobs.ts'
export { KudosService, type GiveResult } from './kudos-service.ts'
export { parseKudosText } from './parse-kudos.ts'
export { windowsFor } from './periods.ts'
export { isoWeek } from '../time/iso-weeks.ts'
export { checkGive, type Limits, type Refusal } from './rules.ts'
export type * from './types.ts'
