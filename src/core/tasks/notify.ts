/**
 * The messages a task change causes, sent from a job: the assignee's DM card, the one confirmation
 * in the source thread, the "done" note there, the creator's done/kudos DM, the `task.done` event,
 * and cancellation notes. Each is claimed (task, key) before it is sent and released if sending
 * fails, so retries fill the gaps without repeating anything. A claim remembers the job that made
 * it until the send succeeded: if the process died in between, that job's rerun sends it again
 * (rather than never), so a crash costs at most a duplicate of the message that was in flight.
 *
 * The job reads the task as it is *now*: a task undone before its "created" job ran sends nothing.
 */
import { UndeliverableError } from '../errors.ts'
import type { MessageRef } from '../model.ts'
import { escapeMarkdown, type Outbound } from '../outbound.ts'
import type { PostTarget } from '../ports.ts'
import type { TasksContext } from './deps.ts'
import type { NotifyJob } from './job-defs.ts'
import { zoneOf } from './reminders.ts'
import { shortId } from './task-ref.ts'
import {
  assignedCard,
  cancelledForAssignee,
  doneForAssignee,
  doneForCreator,
  threadCancelled,
  threadConfirmation,
  threadDone,
} from './render-task.ts'
import type { Task } from './types.ts'

export async function runNotify(ctx: TasksContext, job: NotifyJob, jobId?: string): Promise<void> {
  let task = await ctx.repo.get(job.workspace, job.taskId)
  if (!task) return
  const n = new Notifier(ctx, task, jobId)
  switch (job.event) {
    case 'created':
    case 'updated':
      if (task.status !== 'open') return
      if (job.event === 'created') task = await ensurePermalink(ctx, task)
      n.task = task
      for (const a of task.assignees) {
        if (a.personId === task.creatorId) continue // they just made it; their reply already shows it
        await n.once(
          `assigned:${a.personId}`,
          async () => {
            const zone = await zoneOf(ctx, task!.workspace, a.personId, task!.timezone)
            await n.dm(a.personId, assignedCard(task!, { zone, now: ctx.clock.now() }))
          },
          // The assignee can't be reached at all: the creator should know they weren't told.
          (why) =>
            n.dm(task!.creatorId, {
              text: `I couldn’t tell **${escapeMarkdown(a.displayName)}** about ${shortId(task!)} (${escapeMarkdown(task!.title)}). ${why}`,
            }),
        )
      }
      if (job.event === 'created' && task.source) {
        const src = task.source
        await n.once('confirm', async () => {
          const ref = await n.post(threadOf(task!, src), threadConfirmation(task!, { zone: task!.timezone, now: ctx.clock.now() }))
          await ctx.repo.setConfirmationMessage(task!.id, ref.id)
        })
      }
      break
    case 'done': {
      if (task.status !== 'done') return
      const by =
        task.assignees.find((a) => a.personId === task!.closedBy)?.displayName ?? (task.closedBy === task.creatorId ? task.creatorName : 'someone')
      if (task.source) {
        const src = task.source
        await n.once('done-thread', () => n.post(threadOf(task!, src), threadDone(task!, by)).then(() => undefined))
      }
      await n.once('done-hook', () => ctx.events.publish('task.done', { task: task! }))
      for (const a of task.assignees) {
        // The creator gets their own note below; whoever clicked "done" knows already.
        if (a.personId === task.closedBy || a.personId === task.creatorId) continue
        await n.once(`done:${a.personId}`, () => n.dm(a.personId, doneForAssignee(task!, by)))
      }
      const othersDidIt = task.assignees.some((a) => a.personId !== task!.creatorId)
      const offerKudos = ctx.recognition !== undefined && othersDidIt
      if (task.closedBy !== task.creatorId || offerKudos) {
        await n.once('done-creator', () => n.dm(task!.creatorId, doneForCreator(task!, by, offerKudos)))
      }
      break
    }
    case 'cancelled': {
      if (task.status !== 'cancelled') return
      const by =
        task.closedBy === task.creatorId ? task.creatorName : (task.assignees.find((a) => a.personId === task!.closedBy)?.displayName ?? 'someone')
      if (task.source && task.confirmationMessageId) {
        const src = task.source
        const msgId = task.confirmationMessageId
        await n.once('cancel-thread', () =>
          ctx.platforms
            .forWorkspace(task!.workspace)
            .update(
              { conversation: { workspace: task!.workspace, id: src.conversationId }, id: msgId, threadId: src.threadId },
              threadCancelled(task!),
            ),
        )
      }
      for (const a of task.assignees) {
        // Only people who were told about it need to hear it is off, and not the one who cancelled.
        if (a.personId === job.actorId || a.personId === task.creatorId) continue
        // Claiming the assignment DM answers "were they told?" — and if not, makes sure they never will be.
        const neverTold = await ctx.repo.claimNotification(task.id, `assigned:${a.personId}`, ctx.clock.now())
        if (neverTold) continue
        await n.once(`cancelled:${a.personId}`, () => n.dm(a.personId, cancelledForAssignee(task!, by)))
      }
      break
    }
  }
  n.rethrow()
}

class Notifier {
  private firstError: unknown
  constructor(
    private readonly ctx: TasksContext,
    public task: Task,
    private readonly jobId: string | undefined,
  ) {}

  /**
   * Sends once per (task, key); a failure releases the claim and is rethrown at the end (retry).
   * A recipient the platform will never reach keeps the claim (no retries) and, given
   * `undeliverable`, someone else is told why.
   */
  async once(key: string, send: () => Promise<void>, undeliverable?: (why: string) => Promise<void>): Promise<void> {
    if (!(await this.ctx.repo.claimNotification(this.task.id, key, this.ctx.clock.now(), this.jobId))) return
    try {
      await send()
      await this.ctx.repo.markNotificationSent(this.task.id, key)
    } catch (err) {
      if (err instanceof UndeliverableError) {
        this.ctx.log.warn({ err, taskId: this.task.id, key }, 'task notification undeliverable; not retrying')
        await undeliverable?.(err.userMessage ?? '').catch((e: unknown) =>
          this.ctx.log.warn({ err: e, taskId: this.task.id }, 'could not report an undeliverable notification'),
        )
        return
      }
      await this.ctx.repo.releaseNotification(this.task.id, key)
      this.ctx.log.warn({ err, taskId: this.task.id, key }, 'task notification failed; will retry')
      this.firstError ??= err
    }
  }

  async dm(personId: string, m: Outbound): Promise<void> {
    await this.post({ dmTo: { workspace: this.task.workspace, id: personId } }, m)
  }

  post(target: PostTarget, m: Outbound): Promise<MessageRef> {
    return this.ctx.platforms.forWorkspace(this.task.workspace).post(target, m)
  }

  rethrow(): void {
    if (this.firstError) throw this.firstError
  }
}

function threadOf(task: Task, src: NonNullable<Task['source']>): PostTarget {
  return { conversation: { workspace: task.workspace, id: src.conversationId }, threadId: src.threadId }
}

/** The link back to the source message, looked up once (a platform call, so here and not in the handler). */
async function ensurePermalink(ctx: TasksContext, task: Task): Promise<Task> {
  const src = task.source
  if (!src || src.permalink) return task
  try {
    const link = await ctx.platforms
      .forWorkspace(task.workspace)
      .permalink({ conversation: { workspace: task.workspace, id: src.conversationId }, id: src.messageId, threadId: src.threadId })
    if (!link) return task
    await ctx.repo.setPermalink(task.id, link)
    return { ...task, source: { ...src, permalink: link } }
  } catch (err) {
    // The DM is still useful without the link.
    ctx.log.warn({ err, taskId: task.id }, 'could not get the source permalink')
    return task
  }
}
