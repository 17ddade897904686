import type { JobQueue } from '../core/ports.ts'
import type { Logger } from '../core/logger.ts'
import type { Db } from '../storage/db.ts'
import { BullmqJobQueue } from './bullmq-queue.ts'
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

export function createJobQueue(opts: CreateJobQueueOptions): JobQueue {
  const common = { log: opts.log, ...(opts.concurrency === undefined ? {} : { concurrency: opts.concurrency }) }
  if (opts.redisUrl) return new BullmqJobQueue({ redisUrl: opts.redisUrl, prefix: opts.prefix, db: opts.db, ...common })
  return new InProcessJobQueue({ db: opts.db, ...common })
}
