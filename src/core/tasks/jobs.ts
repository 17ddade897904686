/**
 * Registers the task feature's background work. Every platform call — DMs, thread notes,
 * permalinks, webhooks — happens in these handlers, never while an inbound event is being acked.
 */
import type { JobQueue } from '../ports.ts'
import type { TasksContext } from './deps.ts'
import { taskNotifyJob, taskOverdueDigestJob, taskReminderJob, taskWebhookJob } from './job-defs.ts'
import { runNotify } from './notify.ts'
import { runOverdueDigest, runReminder } from './reminders.ts'
import { deliverWebhook } from './webhook.ts'

/** Register every task job handler. Call once, before queue.start(). */
export function registerTaskJobs(queue: JobQueue, ctx: TasksContext): void {
  queue.register(taskNotifyJob, (data, job) => runNotify(ctx, data, job.jobId))
  queue.register(taskReminderJob, async (data, job) => {
    await runReminder(ctx, data, job.jobId)
  })
  queue.register(taskOverdueDigestJob, async () => {
    await runOverdueDigest(ctx)
  })
  queue.register(taskWebhookJob, (data, job) => deliverWebhook(ctx, data, job))
}

/**
 * The overdue digest runs every hour and picks the people for whom it is the digest hour now, so
 * each gets it in their own morning (and zones with :30/:45 offsets still match their hour).
 */
export async function scheduleTaskJobs(queue: JobQueue, opts: { digestCron?: string } = {}): Promise<void> {
  await queue.schedule(taskOverdueDigestJob, opts.digestCron ?? '0 * * * *', {})
}
