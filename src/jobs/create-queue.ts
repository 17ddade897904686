import type { JobQueue } from '../core/ports.ts'
import type { Logger } from '../core/logger.ts'
import type { Db } from '../storage/db.ts'
import { InProcessJobQueue } from './in-process-queue.ts'

export interface CreateJobQueueOptions {
  /** When set, jobs run on BullMQ in this Redis; otherwise in this process, persisted in `db`. */
  redisUrl?: string
  /** Redis key prefix (BullMQ only): separates deployments or test runs sharing one Redis. */
  prefix: string
  db: Db
  log: Logger
  concurrency?: number
}

/**
 * BullMQ and ioredis (about 25 MiB resident) load only when REDIS_URL is set: the embedded
 * deployment never pays for them.
 */
export async function createJobQueue(opts: CreateJobQueueOptions): Promise<JobQueue> {
  const common = { log: opts.log, ...(opts.concurrency === undefined ? {} : { concurrency: opts.concurrency }) }
  if (opts.redisUrl) {
    const { BullmqJobQueue } = await import('./bullmq-queue.ts')
    return new BullmqJobQueue({ redisUrl: opts.redisUrl, prefix: opts.prefix, db: opts.db, ...common })
  }
  return new InProcessJobQueue({ db: opts.db, ...common })
}
