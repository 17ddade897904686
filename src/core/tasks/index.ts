/**
 * The tasks feature's public surface for the composition root:
 *
 *   const tasks = createTasksFeature({ repo: new SqliteTaskRepository(db), people, platforms, queue,
 *     webhook: config.taskWebhookUrl ? { url, secret } : undefined, recognition, onTaskDone })
 *   capabilities: [tasks.capability, …]; await tasks.registerJobs(queue) before queue.start()
 *   (registers the handlers and the hourly overdue-digest schedule)
 *   App Home: await tasks.homeSection(workspace, personId)
 */
import type { Capability } from '../capability.ts'
import type { WorkspaceId } from '../model.ts'
import type { CardBlock } from '../outbound.ts'
import type { JobQueue } from '../ports.ts'
import { tasksCapability } from './capability.ts'
import { resolveTasksDeps, type TasksContext, type TasksDeps } from './deps.ts'
import { tasksHomeSection } from './home.ts'
import { registerTaskJobs, scheduleTaskJobs } from './jobs.ts'
import { TaskService } from './task-service.ts'

export interface TasksFeature {
  capability: Capability
  /**
   * Register the job handlers (before queue.start()) and the hourly overdue-digest schedule
   * (an idempotent upsert). Defaults to deps.queue; `schedule: false` registers handlers only.
   */
  registerJobs(queue?: JobQueue, opts?: { schedule?: boolean }): Promise<void>
  /** The overdue-digest schedule alone, e.g. with another cron. */
  scheduleJobs(opts?: { digestCron?: string }): Promise<void>
  homeSection(workspace: WorkspaceId, personId: string): Promise<CardBlock[]>
  service: TaskService
  context: TasksContext
}

export function createTasksFeature(deps: TasksDeps): TasksFeature {
  const ctx = resolveTasksDeps(deps)
  return {
    capability: tasksCapability(ctx),
    registerJobs: async (queue = ctx.queue, opts = {}) => {
      registerTaskJobs(queue, ctx)
      if (opts.schedule !== false) await scheduleTaskJobs(queue)
    },
    scheduleJobs: (opts) => scheduleTaskJobs(ctx.queue, opts),
    homeSection: (workspace, personId) => tasksHomeSection(ctx, workspace, personId),
    service: new TaskService(ctx),
    context: ctx,
  }
}

export { tasksCapability } from './capability.ts'
export type { OnTaskDone, TaskRecognition, TaskWebhookConfig, TasksContext, TasksDeps } from './deps.ts'
export { resolveTasksDeps } from './deps.ts'
export * from './job-defs.ts'
export { registerTaskJobs, scheduleTaskJobs } from './jobs.ts'
export { parseDue } from './due-date.ts'
export { parseCommandText, parseMessageText, parseFormValues, TITLE_MAX, COMMAND_TEXT_MAX } from './parse-task-text.ts'
export { runOverdueDigest, runReminder, planReminders } from './reminders.ts'
export { signWebhook, verifyWebhookSignature, webhookBodySchema, type WebhookBody } from './webhook-body.ts'
export { parseTaskRef, shortId } from './task-ref.ts'
export type * from './types.ts'
