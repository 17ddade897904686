/**
 * "Everything that was going to run has run": waits on the job queues' own storage, so a test can
 * assert that something did NOT happen without sleeping and hoping the machine was fast enough.
 */
import { Queue } from 'bullmq'
import type { Db } from '../../src/storage/db.ts'
import { waitFor } from './wait.ts'

/** Jobs due later than this (a reminder for next week, a yearly schedule) do not count as pending. */
const DUE_SOON_MS = 3_000

/** In-process queue: jobs running, or waiting and due within `dueWithinMs`. */
export function inProcessUnfinished(db: Db, dueWithinMs = DUE_SOON_MS): number {
  const row = db.$client
    .prepare(`SELECT count(*) AS n FROM jobs WHERE status = 'running' OR (status = 'waiting' AND run_at <= ?)`)
    .get(Date.now() + dueWithinMs)
  return (row as { n: number }).n
}

/** In-process queue: no job running and none due within the next few seconds. */
export async function jobsIdle(db: Db, timeoutMs = 8_000): Promise<void> {
  await waitFor(() => inProcessUnfinished(db) === 0, 'the job queue to go idle', timeoutMs)
}

/**
 * A second handle on a BullMQ queue (the one under test may be closed) that counts its unfinished
 * jobs, plus those still in the SQLite outbox waiting to be relayed.
 */
export class BullmqObserver {
  private readonly queue: Queue
  /** `outbox`: the SQLite database holding it, or how many rows due by an instant a PostgreSQL outbox holds. */
  constructor(
    redisUrl: string,
    prefix: string,
    private readonly outbox: Db | ((dueBy: number) => Promise<number>),
    queueName = 'beacon',
  ) {
    this.queue = new Queue(queueName, { connection: { url: redisUrl }, prefix })
  }

  async unfinished(dueWithinMs = DUE_SOON_MS): Promise<number> {
    const soon = Date.now() + dueWithinMs
    const counts = await this.queue.getJobCounts('wait', 'active', 'prioritized', 'waiting-children')
    const delayed = (await this.queue.getDelayed()).filter((j) => j.timestamp + j.delay <= soon).length
    const outbox =
      typeof this.outbox === 'function'
        ? await this.outbox(soon)
        : (this.outbox.$client.prepare('SELECT count(*) AS n FROM job_outbox WHERE run_at <= ?').get(soon) as { n: number }).n
    return outbox + delayed + Object.values(counts).reduce((a, b) => a + b, 0)
  }

  async idle(timeoutMs = 8_000): Promise<void> {
    await waitFor(async () => (await this.unfinished()) === 0, 'the BullMQ queue to go idle', timeoutMs)
  }

  close(): Promise<void> {
    return this.queue.close()
  }
}
