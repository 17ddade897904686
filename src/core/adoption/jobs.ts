/** The adoption feature's background work: the weekly run, each manager's nudge, and retention. */
import type { JobQueue } from '../ports.ts'
import type { AdoptionContext } from './deps.ts'
import { adoptionNudgeJob, adoptionPurgeJob, adoptionWeeklyJob } from './job-defs.ts'
import { runWeekly, sendNudge } from './nudges.ts'

export function registerAdoptionJobs(queue: JobQueue, ctx: AdoptionContext): void {
  queue.register(adoptionWeeklyJob, async () => {
    await runWeekly(ctx)
  })
  queue.register(adoptionNudgeJob, async (data) => {
    const outcome = await sendNudge(ctx, data)
    ctx.log.info({ managerId: data.managerId, week: data.week, outcome }, 'adoption nudge')
  })
  queue.register(adoptionPurgeJob, async () => {
    const n = await purgeExpired(ctx)
    ctx.log.info({ purged: n, retentionMonths: ctx.retentionMonths }, 'purged expired activity')
  })
}

/** Raw activity older than the retention (calendar months back from now) is deleted. */
export async function purgeExpired(ctx: AdoptionContext): Promise<number> {
  const now = ctx.clock.now()
  const cutoff = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - ctx.retentionMonths, now.getUTCDate()))
  return ctx.activity.purgeBefore(cutoff)
}

/**
 * Monday 06:00 UTC the weekly run plans nudges, each delivered later inside its manager's working
 * hours (so Tokyo hears on Monday morning and New York on Monday morning too); the purge runs nightly.
 */
export async function scheduleAdoptionJobs(queue: JobQueue, opts: { weeklyCron?: string; purgeCron?: string } = {}): Promise<void> {
  await queue.schedule(adoptionWeeklyJob, opts.weeklyCron ?? '0 6 * * 1', {})
  await queue.schedule(adoptionPurgeJob, opts.purgeCron ?? '41 2 * * *', {})
}
