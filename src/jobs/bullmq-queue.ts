/**
 * The JobQueue on Redis (REDIS_URL set), via BullMQ. With bullmq-jobs.ts (ids, options, running a
 * job) and bullmq-purge.ts, the only code besides create-queue.ts that knows BullMQ or ioredis.
 *
 * One Queue and one Worker for every job name: the worker dispatches on `job.name`. That costs one
 * blocking Redis connection per process instead of one per job type, and gives the process one
 * concurrency budget, like the in-process queue. Per-job concurrency or rate limits would be the
 * reason to split into a queue per name.
 */
import { randomUUID } from 'node:crypto'
import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq'
import { Redis } from 'ioredis'
import { BeaconError } from '../core/errors.ts'
import type { EnqueueOptions, JobDefinition, JobHandler, JobQueue, ScheduleOptions } from '../core/ports.ts'
import type { Logger } from '../core/logger.ts'
import type { Db } from '../storage/db.ts'
import { JobRegistry, delayFrom, nextCronTime, retryPolicy, runRegisteredNow, validateJobData } from './common.ts'
import { dedupeJobId, jobOptions, runBullmqJob, schedulerId } from './bullmq-jobs.ts'
import { purgeWorkspaceJobs } from './bullmq-purge.ts'
import { JobOutbox, type OutboxRow, type OutboxStore } from './outbox.ts'
import { OutboxRelay } from './outbox-relay.ts'
import { RelayClaims } from './relay-claims.ts'

export interface BullmqQueueOptions {
  redisUrl: string
  /** Namespaces every Redis key, so deployments (and test runs) sharing a Redis never see each other's jobs. */
  prefix: string
  log: Logger
  concurrency?: number
  /** BullMQ queue name under the prefix (default "beacon"). */
  queueName?: string
  /**
   * The SQLite database holding the outbox: enqueue persists there first and a relay moves jobs to
   * Redis, so a job accepted while Redis is down (or just before the process dies) is not lost.
   * Or `outbox` itself (Storage.jobOutbox: SQLite or PostgreSQL).
   */
  db?: Db
  outbox?: OutboxStore
  /** How often the relay looks for rows it has not moved yet (default 1000 ms); it also runs on every enqueue and reconnect. */
  relayIntervalMs?: number
  /**
   * How long a worker's claim on a running job lasts without renewal, and how often stalled jobs
   * are looked for: a job whose process died runs again after about this long (BullMQ default 30 s).
   */
  lockDurationMs?: number
}

const PING_TIMEOUT_MS = 1000
/** How long enqueue waits for Redis to take a job inline before leaving it to the relay (the row is already durable). */
const INLINE_RELAY_MS = 500
const CLOSE_RELAY_WAIT_MS = 2000
/** How long cancel waits for the relay to finish adding the very job it cancels (only then does it wait at all). */
const CANCEL_WAIT_MS = 1000
/** States in which a job has not started yet, so cancelling it is safe. */
const CANCELLABLE = new Set(['waiting', 'delayed', 'prioritized', 'paused', 'waiting-children'])

export class BullmqJobQueue implements JobQueue {
  private readonly registry = new JobRegistry()
  private readonly log: Logger
  private readonly redis: Redis
  private readonly queue: Queue
  private readonly queueName: string
  private readonly prefix: string
  private readonly concurrency: number
  private readonly lockDurationMs: number | undefined
  private worker: Worker | undefined
  private closed = false
  private readonly outbox: OutboxStore
  private readonly relay: OutboxRelay
  private readonly claims = new RelayClaims()

  constructor(opts: BullmqQueueOptions) {
    this.log = opts.log.child({ component: 'jobs', queue: 'bullmq' })
    this.queueName = opts.queueName ?? 'beacon'
    this.prefix = opts.prefix
    this.concurrency = Math.max(1, opts.concurrency ?? 4)
    this.lockDurationMs = opts.lockDurationMs
    // BullMQ requires maxRetriesPerRequest: null: its blocking commands must wait out a reconnect.
    this.redis = new Redis(opts.redisUrl, { maxRetriesPerRequest: null })
    this.redis.on('error', (e: unknown) => this.log.warn({ err: e }, 'redis connection error'))
    this.queue = new Queue(this.queueName, { connection: this.redis, prefix: this.prefix })
    this.queue.on('error', (e) => this.log.error({ err: e }, 'job queue error'))
    const outbox = opts.outbox ?? (opts.db && new JobOutbox(opts.db))
    if (!outbox) throw new BeaconError('config_invalid', 'BullmqJobQueue needs an outbox (or the SQLite db holding one)')
    this.outbox = outbox
    this.relay = new OutboxRelay({
      outbox: this.outbox,
      relay: (row) => this.relayRow(row),
      ready: () => this.redis.status === 'ready',
      log: this.log,
      intervalMs: opts.relayIntervalMs ?? 1000,
    })
    // Redis is back (or up for the first time): move what was accepted meanwhile.
    this.redis.on('ready', () => this.relay.kick())
  }

  register<T>(def: JobDefinition<T>, handler: JobHandler<T>): void {
    this.registry.add(def, handler)
  }

  names(): string[] {
    return this.registry.names()
  }

  async enqueue<T>(def: JobDefinition<T>, data: T, opts: EnqueueOptions = {}): Promise<{ id: string; deduped: boolean }> {
    return this.enqueueViaOutbox(def, validateJobData(def, data), opts)
  }

  /** The outbox first (never relayed), then every job in Redis that is not running. */
  async purgeWorkspace(workspace: string): Promise<number> {
    const fromOutbox = await this.outbox.purgeWorkspace(workspace)
    // A relay that re-checked one of these rows before it was deleted is adding it to Redis right now:
    // let it finish, so the sweep below removes that job too. Later relays find the rows gone.
    await this.claims.settled()
    return fromOutbox + (await purgeWorkspaceJobs(this.queue, workspace, this.log))
  }

  stage<T>(def: JobDefinition<T>, data: T, opts: EnqueueOptions = {}): void {
    // The relay is woken only once the caller's transaction committed: it must not look for the row before.
    this.outbox.stage(this.outboxRow(def, validateJobData(def, data), opts), () => {
      this.relay.start()
      this.relay.kick()
    })
  }

  async cancel(def: JobDefinition<unknown>, dedupeKey: string): Promise<boolean> {
    const id = dedupeJobId(def.name, dedupeKey)
    // Not relayed yet: it never reached Redis, so removing the row is the whole cancel. Under the id's
    // claim (relay-claims.ts), which waits only while the relay is adding this very row.
    const removed = await this.claims.holdWithin(id, CANCEL_WAIT_MS, () => this.outbox.remove(id))
    if (removed === undefined) {
      // Redis stopped answering mid-add: the job may still land there, so it cannot be promised cancelled.
      this.log.warn({ job: def.name }, 'cancel gave up: the job is being handed to a Redis that does not answer')
      return false
    }
    if (removed) return true
    const job = await this.queue.getJob(id)
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
      { name: def.name, data: payload, opts: jobOptions(retryPolicy(def)) },
    )
  }

  async unschedule(def: JobDefinition<unknown>, key?: string): Promise<void> {
    await this.queue.removeJobScheduler(schedulerId(def.name, key ?? def.name))
  }

  async runNow(name: string, data?: unknown): Promise<void> {
    await runRegisteredNow(
      this.registry,
      name,
      data,
      async (n) => {
        const s = await this.queue.getJobScheduler(schedulerId(n, n))
        return s?.template?.data as unknown
      },
      () => `run-now-${randomUUID()}`,
    )
  }

  async start(): Promise<void> {
    if (this.worker || this.closed) return
    // Jobs a previous process accepted but never handed to Redis (it died, or Redis was down).
    this.relay.start()
    this.worker = new Worker(this.queueName, (job: Job) => runBullmqJob(this.registry, job), {
      connection: this.redis,
      prefix: this.prefix,
      concurrency: this.concurrency,
      ...(this.lockDurationMs === undefined ? {} : { lockDuration: this.lockDurationMs, stalledInterval: this.lockDurationMs }),
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
    await this.relay.stop(CLOSE_RELAY_WAIT_MS)
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

  /** Jobs accepted but not yet in Redis (for tests and operators). */
  pendingRelay(): Promise<number> {
    return this.outbox.count()
  }

  /**
   * Persist before ack: the row is committed before this returns. With Redis up the job is handed
   * over at once (and `deduped` reflects what Redis already had); otherwise the relay does it later.
   */
  private outboxRow<T>(def: JobDefinition<T>, payload: T, opts: EnqueueOptions): Omit<OutboxRow, 'seq'> {
    const { attempts, backoffMs } = retryPolicy(def, opts)
    const now = Date.now()
    // Every relayed job carries an id of ours, so relaying the same row twice never makes two jobs.
    const jobId = opts.dedupeKey === undefined ? `j.${randomUUID()}` : dedupeJobId(def.name, opts.dedupeKey)
    return { jobId, name: def.name, data: JSON.stringify(payload), runAt: now + delayFrom(opts, now), attempts, backoffMs, createdAt: now }
  }

  private async enqueueViaOutbox<T>(def: JobDefinition<T>, payload: T, opts: EnqueueOptions): Promise<{ id: string; deduped: boolean }> {
    const values = this.outboxRow(def, payload, opts)
    const { jobId } = values
    const row: OutboxRow = { seq: 0, ...values }
    if (!(await this.outbox.add(values))) return { id: jobId, deduped: true } // the same key is waiting to be relayed
    this.relay.start()
    if (this.redis.status !== 'ready' || this.closed) return { id: jobId, deduped: false }
    let timer: NodeJS.Timeout | undefined
    const late = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), INLINE_RELAY_MS)
    })
    try {
      const job = await Promise.race([this.relayRow(row), late])
      if (!job) return { id: jobId, deduped: false } // Redis is slow or just went away: the relay takes it from here
      if (opts.dedupeKey === undefined) return { id: jobId, deduped: false }
      // Adding an existing id is a silent no-op in BullMQ; the stored job's creation time tells
      // whether this call created it (two enqueues in the same millisecond would both say "new").
      const stored = await this.queue.getJob(jobId)
      return { id: jobId, deduped: stored !== undefined && stored.timestamp !== job.timestamp }
    } catch (e) {
      this.log.warn({ err: e, job: def.name }, 'redis did not take the job yet; it stays in the outbox')
      return { id: jobId, deduped: false }
    } finally {
      clearTimeout(timer)
    }
  }

  /**
   * Adds one outbox row to BullMQ under its job id, then deletes the row; undefined when a cancel or
   * purge deleted the row since it was read (adding it now would undo them). See relay-claims.ts.
   */
  private relayRow(row: OutboxRow): Promise<Job | undefined> {
    return this.claims.hold(row.jobId, () =>
      this.outbox.relayOnce(row.jobId, () =>
        this.queue.add(row.name, JSON.parse(row.data) as unknown, {
          ...jobOptions(row),
          delay: Math.max(0, row.runAt - Date.now()),
          jobId: row.jobId,
        }),
      ),
    )
  }
}
