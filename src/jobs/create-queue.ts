import { BeaconError } from '../core/errors.ts'
import type { JobQueue } from '../core/ports.ts'
import type { Logger } from '../core/logger.ts'
import type { Storage } from '../storage/open.ts'
import { InProcessJobQueue } from './in-process-queue.ts'

export interface CreateJobQueueOptions {
  /** When set, jobs run on BullMQ in this Redis (outbox in `storage`); otherwise in this process, persisted in `storage` (SQLite only). */
  redisUrl?: string
  /** Redis key prefix (BullMQ only): separates deployments or test runs sharing one Redis. */
  prefix: string
  storage: Storage
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
    return new BullmqJobQueue({ redisUrl: opts.redisUrl, prefix: opts.prefix, outbox: opts.storage.jobOutbox, ...common })
  }
  // The in-process queue is one process's: several processes on PostgreSQL share jobs through Redis.
  if (opts.storage.kind !== 'sqlite')
    throw new BeaconError('config_invalid', 'REDIS_URL: required with DATABASE_URL (PostgreSQL): jobs run on BullMQ')
  return new InProcessJobQueue({ db: opts.storage.db, ...common })
}
