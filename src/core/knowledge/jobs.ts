/**
 * The knowledge feature's background work: registers the handlers of its jobs (job-defs.ts).
 * Platform calls and thread fetches happen here, never while an inbound event is being acknowledged.
 */
import type { JobQueue } from '../ports.ts'
import { captureThread, refreshThread } from './capture-thread.ts'
import { resolveDeps, type KnowledgeContext, type KnowledgeDeps } from './deps.ts'
import { knowledgeCaptureJob, knowledgeRefreshJob, knowledgeStaleScanJob, knowledgeSuggestJob } from './job-defs.ts'
import { runStaleScan } from './stale.ts'
import { runSuggestion } from './suggestions.ts'

/** Register every knowledge job handler. Call once, before queue.start(). */
export function registerKnowledgeJobs(queue: JobQueue, deps: Omit<KnowledgeDeps, 'queue'> | KnowledgeContext): void {
  const ctx = 'access' in deps ? deps : resolveDeps({ ...deps, queue })
  queue.register(knowledgeCaptureJob, async (data) => {
    await captureThread(ctx, data)
  })
  queue.register(knowledgeRefreshJob, async (data) => {
    await refreshThread(ctx, data)
  })
  queue.register(knowledgeSuggestJob, (data) => runSuggestion(ctx, data))
  queue.register(knowledgeStaleScanJob, async (data) => {
    await runStaleScan(ctx, data.days)
  })
}

/** The daily stale-knowledge sweep (09:00 UTC by default). */
export async function scheduleKnowledgeJobs(queue: JobQueue, opts: { staleCron?: string; timezone?: string } = {}): Promise<void> {
  await queue.schedule(knowledgeStaleScanJob, opts.staleCron ?? '0 9 * * *', {}, opts.timezone ? { timezone: opts.timezone } : {})
}
