/** Removing a workspace's jobs from BullMQ (app uninstalled): payloads are data of that workspace. */
import type { Job, Queue } from 'bullmq'
import type { Logger } from '../core/logger.ts'
import { payloadOfWorkspace } from './common.ts'

/** Everything but running jobs (a worker holds their lock; they end on their own). */
const PURGEABLE = ['waiting', 'delayed', 'prioritized', 'waiting-children', 'completed', 'failed'] as const
const PAGE = 500

/** Found page by page first, removed after, so removals never shift the pages being read. */
export async function purgeWorkspaceJobs(queue: Queue, workspace: string, log: Logger): Promise<number> {
  const mine: Job[] = []
  for (const state of PURGEABLE) {
    for (let start = 0; ; start += PAGE) {
      const batch = await queue.getJobs(state, start, start + PAGE - 1)
      mine.push(...batch.filter((j) => j && payloadOfWorkspace(j.data as unknown, workspace)))
      if (batch.length < PAGE) break
    }
  }
  let n = 0
  for (const job of mine) {
    try {
      await job.remove()
      n++
    } catch (err) {
      // Picked up by a worker meanwhile: it is running and will end on its own.
      log.debug({ err, job: job.name }, 'purge lost the race with a worker')
    }
  }
  return n
}
