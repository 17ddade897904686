/**
 * The outbound task webhook's payload and signature (TASK_WEBHOOK_URL), so the trackers people already use can follow:
 * task.created / task.updated / task.done / task.cancelled as JSON, delivered by a queued job.
 *
 * Signing (like Slack's and Stripe's): `X-Beacon-Timestamp: <unix seconds>` and
 * `X-Beacon-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>`. The timestamp is
 * taken at each attempt, so a receiver can reject replays older than a few minutes; `id` is stable
 * across retries, so it can also drop duplicates.
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto'
import { z } from 'zod'
import { shortId } from './task-ref.ts'
import type { Task } from './types.ts'

export const WEBHOOK_EVENTS = ['task.created', 'task.updated', 'task.done', 'task.cancelled'] as const
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number]

const iso = z.iso.datetime()
export const webhookTaskSchema = z.object({
  id: z.string().regex(/^T-\d+$/),
  number: z.number().int().positive(),
  title: z.string().max(1000),
  status: z.enum(['open', 'done', 'cancelled']),
  creator: z.object({ id: z.string(), name: z.string() }),
  assignees: z.array(z.object({ id: z.string(), name: z.string() })).max(100),
  dueAt: iso.nullable(),
  source: z.object({ threadId: z.string(), permalink: z.string().nullable() }).nullable(),
  createdAt: iso,
  updatedAt: iso,
  closedAt: iso.nullable(),
  closedBy: z.string().nullable(),
  version: z.number().int().positive(),
})

export const webhookBodySchema = z.object({
  /** Unique per event, identical on every retry of it. */
  id: z.string().min(1).max(100),
  type: z.enum(WEBHOOK_EVENTS),
  occurredAt: iso,
  workspace: z.string().min(1).max(500),
  task: webhookTaskSchema,
})
export type WebhookBody = z.infer<typeof webhookBodySchema>

export function webhookBody(task: Task, type: WebhookEvent, at: Date): WebhookBody {
  return {
    id: randomUUID(),
    type,
    occurredAt: at.toISOString(),
    workspace: task.workspace,
    task: {
      id: shortId(task),
      number: task.number,
      title: task.title,
      status: task.status,
      creator: { id: task.creatorId, name: task.creatorName },
      assignees: task.assignees.map((a) => ({ id: a.personId, name: a.displayName })),
      dueAt: task.dueAt?.toISOString() ?? null,
      source: task.source ? { threadId: task.source.threadId, permalink: task.source.permalink ?? null } : null,
      createdAt: task.createdAt.toISOString(),
      updatedAt: task.updatedAt.toISOString(),
      closedAt: task.closedAt?.toISOString() ?? null,
      closedBy: task.closedBy ?? null,
      version: task.version,
    },
  }
}

export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`
}

/** For receivers (and tests): constant-time check of the signature and the timestamp's age. */
export function verifyWebhookSignature(
  secret: string,
  input: { signature: string | undefined; timestamp: string | undefined; body: string },
  opts: { toleranceS?: number; now?: Date } = {},
): boolean {
  const { signature, timestamp, body } = input
  if (!signature || !timestamp || !/^\d+$/.test(timestamp)) return false
  const age = Math.abs((opts.now ?? new Date()).getTime() / 1000 - Number(timestamp))
  if (age > (opts.toleranceS ?? 300)) return false
  const expected = Buffer.from(signWebhook(secret, timestamp, body))
  const got = Buffer.from(signature)
  return got.length === expected.length && timingSafeEqual(got, expected)
}
