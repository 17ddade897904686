/**
 * The JobQueue on Redis (REDIS_URL set), via BullMQ. The only file besides create-queue.ts that
 * knows BullMQ or ioredis.
 *
 * One Queue and one Worker for every job name: the worker dispatches on `job.name`. That costs one
 * blocking Redis connection per process instead of one per job type, and gives the process one
 * concurrency budget, like the in-process queue. Per-job concurrency or rate limits would be the
 * reason to split into a queue per name.
 */
import { randomUUID } from 'node:crypto'
import { Queue, UnrecoverableError, Worker, type Job, type JobsOptions } from 'bullmq'
import { Redis } from 'ioredis'
import type { EnqueueOptions, JobDefinition, JobHandler, JobQueue, ScheduleOptions } from '../core/ports.ts'
import type { Logger } from '../core/logger.ts'
import {
  JobRegistry, KEEP_FINISHED_MS, delayFrom, errorText, isPermanent, nextCronTime, retryPolicy, runRegisteredNow, validateJobData,
} from './common.ts'

export interface BullmqQueueOptions {
  redisUrl: string
  /** Namespaces every Redis key, so deployments (and test runs) sharing a Redis never see each other's jobs. */
  prefix: string
  log: Logger
  concurrency?: number
  /** BullMQ queue name under the prefix (default "beacon"). */
  queueName?: string
}

const KEEP_FINISHED_S = Math.floor(KEEP_FINISHED_MS / 1000)
const PING_TIMEOUT_MS = 1000
/** States in which a job has not started yet, so cancelling it is safe. */
const CANCELLABLE = new Set(['waiting', 'delayed', 'prioritized', 'paused', 'waiting-children'])

/**
 * BullMQ rejects custom ids that look like integers or contain ':' (its own repeat ids use ':'),
 * so names and keys are base64url-encoded; the "d." prefix keeps the result from ever being numeric.
 */
export function dedupeJobId(name: string, key: string): string {
  return `d.${b64(name)}.${b64(key)}`
}

function schedulerId(name: string, key: string): string {
  return `s.${b64(name)}.${b64(key)}`
}

function b64(s: string): string {
  return Buffer.from(s, 'utf8').toString('base64url')
}

export class BullmqJobQueue implements JobQueue {
  private readonly registry = new JobRegistry()
  private readonly log: Logger
  private readonly redis: Redis
  private readonly queue: Queue
  private readonly queueName: string
  private readonly prefix: string
  private readonly concurrency: number
  private worker: Worker | undefined
  private closed = false

  constructor(opts: BullmqQueueOptions) {
    this.log = opts.log.child({ component: 'jobs', queue: 'bullmq' })
    this.queueName = opts.queueName ?? 'beacon'
    this.prefix = opts.prefix
    this.concurrency = Math.max(1, opts.concurrency ?? 4)
    // BullMQ requires maxRetriesPerRequest: null: its blocking commands must wait out a reconnect.
    this.redis = new Redis(opts.redisUrl, { maxRetriesPerRequest: null })
    this.redis.on('error', (e: unknown) => this.log.warn({ err: e }, 'redis connection error'))
    this.queue = new Queue(this.queueName, { connection: this.redis, prefix: this.prefix })
    this.queue.on('error', (e) => this.log.error({ err: e }, 'job queue error'))
  }

  register<T>(def: JobDefinition<T>, handler: JobHandler<T>): void {
    this.registry.add(def, handler)
  }

  names(): string[] {
    return this.registry.names()
  }

  async enqueue<T>(def: JobDefinition<T>, data: T, opts: EnqueueOptions = {}): Promise<{ id: string; deduped: boolean }> {
    const payload = validateJobData(def, data)
    const jobId = opts.dedupeKey === undefined ? undefined : dedupeJobId(def.name, opts.dedupeKey)
    const jobOpts: JobsOptions = {
      ...this.jobOptions(def, opts),
      delay: delayFrom(opts, Date.now()),
      ...(jobId === undefined ? {} : { jobId }),
    }
    const job = await this.queue.add(def.name, payload, jobOpts)
    if (jobId === undefined) return { id: job.id ?? '', deduped: false }
    // Adding an existing id is a silent no-op in BullMQ; the stored job's creation time tells
    // whether this call created it (two enqueues in the same millisecond would both say "new").
    const stored = await this.queue.getJob(jobId)
    return { id: jobId, deduped: stored !== undefined && stored.timestamp !== job.timestamp }
  }

  async cancel(def: JobDefinition<unknown>, dedupeKey: string): Promise<boolean> {
    const job = await this.queue.getJob(dedupeJobId(def.name, dedupeKey))
    if (!job) return false
    if (!CANCELLABLE.has(await job.getState())) return false
    try {
      await job.remove()
      return true
    } catch (e) {
      // It was picked up between the state check and the removal: it is running, not cancellable.
      this.log.debug({ err: e, job: def.name }, 'cancel lost the race with a worker')
      return false
    }
  }

  async schedule<T>(def: JobDefinition<T>, cron: string, data: T, opts: ScheduleOptions = {}): Promise<void> {
    const payload = validateJobData(def, data)
    const tz = opts.timezone ?? 'UTC'
    nextCronTime(cron, tz, Date.now()) // same job_invalid error as the in-process queue for a bad cron or zone
    await this.queue.upsertJobScheduler(
      schedulerId(def.name, opts.key ?? def.name),
      { pattern: cron, tz },
      { name: def.name, data: payload, opts: this.jobOptions(def, {}) },
    )
  }

  async unschedule(def: JobDefinition<unknown>, key?: string): Promise<void> {
    await this.queue.removeJobScheduler(schedulerId(def.name, key ?? def.name))
  }

  async runNow(name: string, data?: unknown): Promise<void> {
    await runRegisteredNow(this.registry, name, data, async (n) => {
      const s = await this.queue.getJobScheduler(schedulerId(n, n))
      return s?.template?.data as unknown
    }, () => `run-now-${randomUUID()}`)
  }

  async start(): Promise<void> {
    if (this.worker || this.closed) return
    this.worker = new Worker(this.queueName, (job: Job) => this.process(job), {
      connection: this.redis,
      prefix: this.prefix,
      concurrency: this.concurrency,
    })
    this.worker.on('error', (e) => this.log.error({ err: e }, 'job worker error'))
    this.worker.on('failed', (job, e) => {
      if (!job) return
      const final = e instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1)
      const fields = { err: e, job: job.name, jobId: job.id, attempt: job.attemptsMade }
      if (final) this.log.error(fields, 'job failed')
      else this.log.warn(fields, 'job failed; will retry')
    })
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    // BullMQ's close waits for the connection to be ready, which with Redis down is forever, and
    // nothing a running job finishes could be recorded then anyway (BullMQ reruns it as stalled).
    const up = this.redis.status === 'ready'
    if (!up) this.redis.disconnect()
    // Worker.close() stops fetching and waits for the jobs it is running before it resolves.
    await this.worker?.close(!up)
    await this.queue.close()
    // The connection is ours (passed in as an instance), so BullMQ leaves closing it to us.
    if (up) await this.redis.quit().catch(() => this.redis.disconnect())
  }

  async ping(): Promise<boolean> {
    // With maxRetriesPerRequest: null a command waits forever while Redis is down; readiness must answer.
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), PING_TIMEOUT_MS)
    })
    try {
      return await Promise.race([this.redis.ping().then((r) => r === 'PONG'), timeout])
    } catch {
      return false
    } finally {
      clearTimeout(timer)
    }
  }

  private jobOptions(def: JobDefinition<unknown>, opts: EnqueueOptions): JobsOptions {
    const { attempts, backoffMs } = retryPolicy(def, opts)
    return {
      attempts,
      // BullMQ's exponential backoff is delay * 2^(tries - 1): backoffMs, then double each time.
      backoff: { type: 'exponential', delay: backoffMs },
      // Finished jobs are the dedupe memory: an enqueue retried days later must still find them.
      removeOnComplete: { age: KEEP_FINISHED_S },
      removeOnFail: { age: KEEP_FINISHED_S },
    }
  }

  private async process(job: Job): Promise<void> {
    const reg = this.registry.get(job.name)
    if (!reg) throw new UnrecoverableError(`no handler registered for "${job.name}"`)
    let payload: unknown
    try {
      payload = validateJobData(reg.def, job.data)
    } catch (e) {
      // Written by an older version or by hand: retrying cannot make it fit.
      throw new UnrecoverableError(errorText(e))
    }
    try {
      await reg.handler(payload, { jobId: job.id ?? '', attempt: job.attemptsMade + 1 })
    } catch (e) {
      // BullMQ retries everything except UnrecoverableError.
      if (isPermanent(e)) throw new UnrecoverableError(errorText(e))
      throw e
    }
  }
}
