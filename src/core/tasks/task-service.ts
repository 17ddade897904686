/**
 * What can happen to a task, with its rules (who may change it, what "done twice" means) and its
 * consequences (reminders planned or withdrawn, notifications and webhook events queued). The
 * capability, the App Home and the jobs all go through here; nothing here calls a chat platform.
 */
import { BeaconError } from '../errors.ts'
import type { Person, WorkspaceId } from '../model.ts'
import type { TasksContext } from './deps.ts'
import { notifyKey, taskNotifyJob, type NotifyJob } from './job-defs.ts'
import type { TaskDraft } from './parse-task-text.ts'
import { cancelReminders, stageReminders } from './reminders.ts'
import { parseTaskRef, shortId } from './task-ref.ts'
import type { Task, TaskChanges, TaskSource } from './types.ts'
import type { WebhookEvent } from './webhook-body.ts'
import { stageWebhook } from './webhook.ts'
import { addCalendarDays } from '../time/zoned-time.ts'

export interface CreateInput {
  workspace: WorkspaceId
  creator: Person
  draft: TaskDraft
  conversationId?: string
  source?: TaskSource
  /** The inbound event asking for it (its event id): processing that event again returns the same task. */
  originKey?: string
}

export class TaskService {
  constructor(private readonly ctx: TasksContext) {}

  async create(input: CreateInput): Promise<Task> {
    const { draft, creator } = input
    let created = false
    const task = await this.ctx.repo.create(
      {
        workspace: input.workspace,
        title: draft.title,
        creatorId: creator.id,
        creatorName: creator.displayName,
        timezone: creator.timezone,
        assignees: draft.assignees.map((p) => ({ personId: p.id, displayName: p.displayName })),
        ...(draft.due ? { dueAt: draft.due.at } : {}),
        dueDateOnly: draft.due?.dateOnly ?? false,
        ...(input.conversationId ? { conversationId: input.conversationId } : {}),
        ...(input.source ? { source: input.source } : {}),
        ...(input.originKey ? { originKey: input.originKey } : {}),
      },
      this.ctx.clock.now(),
      (t) => {
        created = true
        this.followUps(t, 'created', creator.id, true)
      },
    )
    if (!created) return task // a replay of the event that created it: everything below already happened
    await this.ctx.events
      .publish('task.created', { task })
      .catch((err: unknown) => this.ctx.log.warn({ err, taskId: task.id }, 'task-created hook failed'))
    return task
  }

  /**
   * By short id ("T-42", "42"), as `personId` may see it: a task they neither created nor are
   * assigned to answers exactly like one that does not exist, so a stranger learns nothing (not
   * even that T-42 exists, nor who made it).
   */
  async find(workspace: WorkspaceId, refText: string | undefined, personId: string): Promise<Task> {
    const n = parseTaskRef(refText)
    if (n === undefined) {
      throw new BeaconError('bad_input', `not a task id: ${refText}`, {
        userMessage: `“${refText ?? ''}” isn’t a task id. Task ids look like **T-42**; \`/task list\` shows yours.`,
      })
    }
    const task = await this.ctx.repo.getByNumber(workspace, n)
    if (!task || !involves(task, personId)) throw noSuchTask(n)
    return task
  }

  /** Only the people a task is about may change it; to anyone else it does not exist. */
  assertCanChange(task: Task, personId: string): void {
    if (!involves(task, personId)) throw noSuchTask(task.number)
  }

  async edit(task: Task, actorId: string, changes: TaskChanges): Promise<Task> {
    this.assertCanChange(task, actorId)
    this.assertOpen(task)
    const dueMoved = (t: Task) => task.dueAt?.getTime() !== t.dueAt?.getTime()
    const updated = await this.ctx.repo.update(task.workspace, task.id, task.version, changes, this.ctx.clock.now(), (t) =>
      this.followUps(t, 'updated', actorId, dueMoved(t)),
    )
    if (!updated) throw this.conflict(task)
    if (dueMoved(updated)) await this.withdrawReminders(task)
    return updated
  }

  /**
   * A day later than it is due now — or than now, for a task already overdue. A calendar day in the
   * zone the due time was written in, so 17:00 stays 17:00 when the clocks change overnight.
   */
  async snooze(task: Task, actorId: string, days = 1): Promise<Task> {
    const base = Math.max(task.dueAt?.getTime() ?? 0, this.ctx.clock.now().getTime())
    return this.edit(task, actorId, { dueAt: addCalendarDays(new Date(base), days, task.timezone) })
  }

  async complete(task: Task, actorId: string): Promise<Task> {
    this.assertCanChange(task, actorId)
    return this.close(task, actorId, 'done')
  }

  /** Cancel (creator or assignee) or undo (creator only, from the creation reply). */
  async cancel(task: Task, actorId: string, how: 'cancel' | 'undo' = 'cancel'): Promise<Task> {
    this.assertCanChange(task, actorId)
    if (how === 'undo' && task.creatorId !== actorId) {
      throw new BeaconError('forbidden', `${actorId} may not undo task ${task.id}`, {
        userMessage: `Only ${task.creatorName} can undo **${shortId(task)}**.`,
      })
    }
    return this.close(task, actorId, 'cancelled')
  }

  private async close(task: Task, actorId: string, status: 'done' | 'cancelled'): Promise<Task> {
    this.assertOpen(task)
    const closed = await this.ctx.repo.close(task.workspace, task.id, status, actorId, this.ctx.clock.now(), (t) =>
      this.followUps(t, status, actorId, false),
    )
    if (!closed) {
      // Someone else closed it between our read and this write (two clicks): say what it is now.
      const now = await this.ctx.repo.get(task.workspace, task.id)
      this.assertOpen(now ?? task)
      throw this.conflict(task)
    }
    await this.withdrawReminders(task)
    return closed
  }

  private assertOpen(task: Task): void {
    if (task.status === 'open') return
    const state = task.status === 'done' ? 'already done' : 'cancelled'
    throw new BeaconError('conflict', `task ${task.id} is ${task.status}`, { userMessage: `**${shortId(task)}** is ${state}; nothing changed.` })
  }

  private conflict(task: Task): BeaconError {
    return new BeaconError('conflict', `task ${task.id} changed concurrently`, {
      userMessage: `**${shortId(task)}** changed while you were at it. Have another look with \`/task list\` and try again.`,
    })
  }

  /**
   * The consequences of a change (reminders for a new due time, the notice to the people involved,
   * the webhook), staged inside the change's own transaction: they exist exactly when it committed,
   * and a queue that refuses them makes the whole change fail visibly instead of half-happening.
   */
  private followUps(task: Task, event: NotifyJob['event'], actorId: string, planReminders: boolean): void {
    if (planReminders) stageReminders(this.ctx, task)
    const notify: NotifyJob = { workspace: task.workspace, taskId: task.id, event, version: task.version, actorId }
    this.ctx.queue.stage(taskNotifyJob, notify, { dedupeKey: notifyKey(notify) })
    stageWebhook(this.ctx, task, `task.${event}` as WebhookEvent)
  }

  /**
   * Reminders planned for a due time that no longer holds. Only tidiness: each reminder re-reads its
   * task when it fires and stays silent unless still open and due at that very time.
   */
  private async withdrawReminders(task: Task): Promise<void> {
    await cancelReminders(this.ctx, task).catch((err: unknown) =>
      this.ctx.log.warn({ err, taskId: task.id }, 'could not withdraw old reminders; they will find the task changed and stay silent'),
    )
  }
}

/** The creator or an assignee: the only people who may see or change a task by its id. */
export function involves(task: Task, personId: string): boolean {
  return task.creatorId === personId || task.assignees.some((a) => a.personId === personId)
}

function noSuchTask(n: number): BeaconError {
  return new BeaconError('not_found', `no task ${n} for this person`, {
    userMessage: `There is no task **T-${n}** here. \`/task list\` shows yours.`,
  })
}

/** The open task already made from this message, if any: the create-task action offers it instead of a duplicate. */
export async function openTaskFromMessage(
  ctx: Pick<TasksContext, 'repo'>,
  workspace: WorkspaceId,
  m: { conversation: { id: string }; id: string },
): Promise<Task | undefined> {
  const found = await ctx.repo.list({ workspace, status: 'open', sourceMessage: { conversationId: m.conversation.id, messageId: m.id }, limit: 1 })
  return found.tasks[0]
}
