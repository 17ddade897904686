/**
 * Queues and delivers the task webhook (see webhook-body.ts for the payload and signature).
 *
 * Outcomes: 2xx delivered; 4xx other than 408/429 is the receiver refusing this payload, which a
 * retry cannot change (permanent failure); 408, 429, 5xx and network errors are retried with
 * exponential backoff by the queue.
 */
import { BeaconError, PermanentJobError } from '../errors.ts'
import type { JobContext } from '../ports.ts'
import type { TasksContext } from './deps.ts'
import { taskWebhookJob } from './job-defs.ts'
import type { Task } from './types.ts'
import { signWebhook, webhookBody, type WebhookBody, type WebhookEvent } from './webhook-body.ts'

/** Synchronous: called inside the transaction that stores the change. */
export function stageWebhook(ctx: TasksContext, task: Task, type: WebhookEvent): void {
  const hook = ctx.webhook
  if (!hook) return
  const body = webhookBody(task, type, ctx.clock.now())
  // One delivery per (task, version, type): a retried inbound event cannot send the same change twice.
  ctx.queue.stage(taskWebhookJob, body, {
    dedupeKey: `task-webhook:${task.id}:${task.version}:${type}`,
    attempts: hook.attempts,
    backoffMs: hook.backoffMs,
  })
}

export async function deliverWebhook(ctx: TasksContext, body: WebhookBody, job: JobContext): Promise<void> {
  const hook = ctx.webhook
  if (!hook) return // switched off since the event was queued
  const raw = JSON.stringify(body)
  const timestamp = String(Math.floor(Date.now() / 1000))
  let res: Response
  try {
    res = await ctx.fetch(hook.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Beacon-Webhook/1',
        'x-beacon-event': body.type,
        'x-beacon-delivery': body.id,
        'x-beacon-timestamp': timestamp,
        'x-beacon-signature': signWebhook(hook.secret, timestamp, raw),
      },
      body: raw,
      signal: AbortSignal.timeout(hook.timeoutMs),
      redirect: 'manual',
    })
  } catch (err) {
    throw new BeaconError('unavailable', `task webhook unreachable (attempt ${job.attempt}): ${err instanceof Error ? err.message : String(err)}`, {
      cause: err,
    })
  }
  // Drain the body so the connection is reused and nothing leaks.
  await res.arrayBuffer().catch(() => undefined)
  if (res.ok) return
  if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) {
    throw new PermanentJobError(`task webhook refused ${body.type} ${body.task.id} with ${res.status}; not retrying`)
  }
  throw new BeaconError('unavailable', `task webhook answered ${res.status} (attempt ${job.attempt}); will retry`)
}
