/**
 * The task jobs' definitions: names, zod payload schemas (validated at the queue boundary), retry
 * policy and dedupe keys. Kept apart from the handlers so handlers can enqueue without import cycles.
 */
import { z } from 'zod'
import type { JobDefinition } from '../ports.ts'
import { workspaceIdSchema } from '../schemas.ts'
import { webhookBodySchema, type WebhookBody } from './webhook-body.ts'

const workspace = workspaceIdSchema
const taskId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER)

export const notifySchema = z.object({
  workspace,
  taskId,
  event: z.enum(['created', 'updated', 'done', 'cancelled']),
  /** The task version the event is about; part of the dedupe key. */
  version: z.number().int().positive(),
  /** Who caused it (the one not to notify about their own action). */
  actorId: z.string().min(1).max(200),
})
export type NotifyJob = z.infer<typeof notifySchema>

export const reminderSchema = z.object({
  workspace,
  taskId,
  /** The due time this reminder was planned for, epoch ms; a task due at another time by now is left alone. */
  dueAt: z.number().int().nonnegative(),
  kind: z.enum(['lead', 'due']),
})
export type ReminderJob = z.infer<typeof reminderSchema>

export const digestSchema = z.object({}).strict()
export type DigestJob = z.infer<typeof digestSchema>

export const taskNotifyJob: JobDefinition<NotifyJob> = { name: 'task.notify', schema: notifySchema, attempts: 5, backoffMs: 2000 }
export const taskReminderJob: JobDefinition<ReminderJob> = { name: 'task.remind', schema: reminderSchema, attempts: 5, backoffMs: 2000 }
export const taskOverdueDigestJob: JobDefinition<DigestJob> = { name: 'task.overdue-digest', schema: digestSchema, attempts: 2, backoffMs: 60_000 }
export const taskWebhookJob: JobDefinition<WebhookBody> = { name: 'task.webhook', schema: webhookBodySchema, attempts: 8, backoffMs: 5000 }

export const TASK_JOBS = [taskNotifyJob, taskReminderJob, taskOverdueDigestJob, taskWebhookJob] as const

export function notifyKey(d: NotifyJob): string {
  return `task-notify:${d.taskId}:${d.event}:${d.version}`
}

export function reminderKey(d: Pick<ReminderJob, 'taskId' | 'dueAt' | 'kind'>): string {
  return `task-remind:${d.taskId}:${d.dueAt}:${d.kind}`
}
