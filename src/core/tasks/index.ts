/**
 * The tasks feature for the composition root:
 *
 *   const tasks = createTasksFeature({ repo, people, platforms, queue, events, recognition,
 *     webhook: config.taskWebhook })
 *   a Feature (src/core/feature.ts): publishes `task.created` and `task.done`, subscribes to
 *   nothing; its hourly overdue digest is its one schedule.
 */
import type { Feature } from '../feature.ts'
import { tasksCapability } from './capability.ts'
import { resolveTasksDeps, type TasksContext, type TasksDeps } from './deps.ts'
import { tasksHomeSection } from './home.ts'
import { registerTaskJobs, scheduleTaskJobs } from './jobs.ts'
import { TaskService } from './task-service.ts'

export interface TasksFeature extends Feature {
  homeSection: NonNullable<Feature['homeSection']>
  /** The overdue-digest schedule (an idempotent upsert), hourly unless another cron is given. */
  scheduleJobs(opts?: { digestCron?: string }): Promise<void>
  service: TaskService
  context: TasksContext
}

export function createTasksFeature(deps: TasksDeps): TasksFeature {
  const ctx = resolveTasksDeps(deps)
  return {
    name: 'tasks',
    capability: tasksCapability(ctx),
    registerJobs: () => registerTaskJobs(ctx.queue, ctx),
    scheduleJobs: (opts) => scheduleTaskJobs(ctx.queue, opts),
    homeSection: (workspace, personId) => tasksHomeSection(ctx, workspace, personId),
    events: { publishes: ['task.created', 'task.done'], subscribes: {} },
    service: new TaskService(ctx),
    context: ctx,
  }
}

export { tasksCapability } from './capability.ts'
export type { TaskRecognition, TaskWebhookConfig, TasksContext, TasksDeps } from './deps.ts'
export { resolveTasksDeps } from './deps.ts'
export * from './job-defs.ts'
export { scheduleTaskJobs } from './jobs.ts'
export { parseDue } from './due-date.ts'
export { parseCommandText, parseMessageText, parseFormValues, TITLE_MAX, COMMAND_TEXT_MAX } from './parse-task-text.ts'
export { runOverdueDigest, runReminder, planReminders } from './reminders.ts'
export { signWebhook, verifyWebhookSignature, webhookBodySchema, type WebhookBody } from './webhook-body.ts'
export { parseTaskRef, shortId } from './task-ref.ts'
export type * from './types.ts'
