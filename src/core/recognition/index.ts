/**
 * The recognition feature's public surface for the composition root:
 *
 *   const recognition = createRecognitionFeature({ repo: new SqliteKudosRepository(db), people, platforms, queue,
 *     values, reaction, dailyAllowance, weeklyPerReceiver })
 *   knowledge: onItemSaved: recognition.onItemSaved; tasks: onTaskDone: recognition.onTaskDone,
 *     recognition: recognition.taskRecognition
 *   capabilities: [recognition.capability, …]; recognition.registerJobs() before queue.start();
 *   await recognition.scheduleJobs() (the weekly digest)
 */
import type { Capability } from '../capability.ts'
import { BeaconError } from '../errors.ts'
import type { OnItemSaved } from '../knowledge/deps.ts'
import { findPerson, personOf, type PeopleSources } from '../people/resolve.ts'
import type { OnTaskDone, TaskRecognition } from '../tasks/deps.ts'
import { recognitionCapability } from './capability.ts'
import { resolveRecognitionDeps, type RecognitionContext, type RecognitionDeps } from './deps.ts'
import { kudosDmJob } from './job-defs.ts'
import { registerRecognitionJobs, scheduleRecognitionJobs } from './jobs.ts'
import { KudosService } from './kudos-service.ts'
import { escapeMarkdown } from '../outbound.ts'
import { receivedDm } from './render.ts'

export interface RecognitionFeature {
  capability: Capability
  registerJobs(): void
  scheduleJobs(): Promise<void>
  /** Knowledge hook: credit the people whose answers were saved (idempotent on item + person). */
  onItemSaved: OnItemSaved
  /** Tasks hook: credit the assignees of a finished task (idempotent on task + person). */
  onTaskDone: OnTaskDone
  /** Tasks' "Send kudos" button: a kudos from the creator, under the usual rules. */
  taskRecognition: TaskRecognition
  service: KudosService
  context: RecognitionContext
}

export function createRecognitionFeature(deps: RecognitionDeps): RecognitionFeature {
  const ctx = resolveRecognitionDeps(deps)
  const service = new KudosService(ctx)
  const src: PeopleSources = { people: ctx.people, platforms: ctx.platforms, log: ctx.log }

  /** Automatic credit goes to people only: a contributor or assignee known to be a bot is skipped. */
  async function humans(workspace: string, list: { id: string; name: string }[]): Promise<{ id: string; name: string }[]> {
    const out: { id: string; name: string }[] = []
    for (const p of list) {
      const known = await findPerson(src, workspace, p.id)
      if (!known?.isBot) out.push(p)
    }
    return out
  }

  const onItemSaved: OnItemSaved = async (item, contributors) => {
    const people = await humans(
      item.workspace,
      contributors.map((c) => ({ id: c.personId, name: c.displayName })),
    )
    const title = escapeMarkdown(item.title)
    await service.credit({
      workspace: item.workspace,
      people,
      reason: `answer saved to the knowledge base: ${item.permalink ? `[${title}](${item.permalink})` : `**${title}**`}`,
      source: 'knowledge',
      refId: item.id,
      conversationId: item.conversation.id,
      privacy: item.conversation.privacy,
    })
  }

  const onTaskDone: OnTaskDone = async (task) => {
    const people = await humans(
      task.workspace,
      task.assignees.map((a) => ({ id: a.personId, name: a.displayName })),
    )
    await service.credit({
      workspace: task.workspace,
      people,
      reason: `finished **T-${task.number}** ${escapeMarkdown(task.title)}`,
      source: 'task-done',
      refId: task.id,
      ...(task.conversationId ? { conversationId: task.conversationId } : {}),
    })
  }

  const taskRecognition: TaskRecognition = {
    async giveKudos(input) {
      const giver = await personOf(src, { workspace: input.workspace, id: input.fromId })
      const receivers = await Promise.all(input.toIds.map((id) => personOf(src, { workspace: input.workspace, id })))
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
        await ctx.queue.enqueue(kudosDmJob, { workspace: input.workspace, personId: k.receiverId, text: receivedDm(giver.displayName, k).text }, { dedupeKey: `kudos-dm:${k.key}` })
      }
    },
  }

  return {
    capability: recognitionCapability(ctx, service),
    registerJobs: () => registerRecognitionJobs(ctx.queue, ctx, service),
    scheduleJobs: () => scheduleRecognitionJobs(ctx.queue, ctx),
    onItemSaved,
    onTaskDone,
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
