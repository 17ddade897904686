/**
 * A deterministic in-memory JobQueue for core tests. Jobs are due on the test clock
 * (test-clock.ts): nothing runs by itself; `advance(ms)` moves the clock forward and runs each job
 * (and each cron occurrence) at its due time, in order; `drain()` runs everything pending,
 * moving the clock to each job's due time (retries wait out their backoff the same way). So a test
 * says "a day later" instead of sleeping, and a loaded machine cannot change the outcome.
 * Payloads are validated, deduped, retried and failed like the real queues (src/jobs/common.ts).
 */
import { BeaconError } from '../../src/core/errors.ts'
import type { EnqueueOptions, JobDefinition, JobHandler, JobQueue, ScheduleOptions } from '../../src/core/ports.ts'
import {
  backoffDelay,
  delayFrom,
  isPermanent,
  JobRegistry,
  KEEP_FINISHED_MS,
  nextCronTime,
  payloadOfWorkspace,
  retryPolicy,
  runRegisteredNow,
  validateJobData,
} from '../../src/jobs/common.ts'
import { TestClock } from './test-clock.ts'

export interface QueuedJob {
  id: string
  name: string
  data: unknown
  opts: EnqueueOptions
  /** When it is due on the test clock (ms). */
  runAt: number
  /** Tries made so far. */
  attempts: number
}

interface Schedule {
  name: string
  cron: string
  data: unknown
  timezone: string
  key: string
  next: number
}

export class MemoryJobQueue implements JobQueue {
  private readonly registry = new JobRegistry()
  readonly pending: QueuedJob[] = []
  readonly done: (QueuedJob & { finishedAt: number })[] = []
  readonly failed: { job: QueuedJob; err: unknown }[] = []
  private readonly crons = new Map<string, Schedule>()
  private seq = 0

  constructor(readonly clock: TestClock = TestClock.at()) {}

  /** The repeatable jobs, as scheduled. */
  get schedules(): { name: string; cron: string; data: unknown }[] {
    return [...this.crons.values()].map(({ name, cron, data }) => ({ name, cron, data }))
  }

  register<T>(def: JobDefinition<T>, handler: JobHandler<T>): void {
    this.registry.add(def, handler)
  }

  async enqueue<T>(def: JobDefinition<T>, data: T, opts: EnqueueOptions = {}): Promise<{ id: string; deduped: boolean }> {
    return this.add(def, data, opts)
  }

  /** In memory, so no transaction to join: a staged job is simply queued. */
  stage<T>(def: JobDefinition<T>, data: T, opts: EnqueueOptions = {}): void {
    this.add(def, data, opts)
  }

  private add<T>(def: JobDefinition<T>, data: T, opts: EnqueueOptions): { id: string; deduped: boolean } {
    const parsed = validateJobData(def, data)
    retryPolicy(def as JobDefinition<unknown>, opts)
    if (opts.dedupeKey !== undefined) {
      const same = this.holding(def.name, opts.dedupeKey)
      if (same) return { id: same.id, deduped: true }
    }
    const now = this.clock.nowMs()
    const job: QueuedJob = {
      id: String(++this.seq),
      name: def.name,
      data: JSON.parse(JSON.stringify(parsed)) as unknown,
      opts,
      runAt: now + delayFrom(opts, now),
      attempts: 0,
    }
    this.pending.push(job)
    return { id: job.id, deduped: false }
  }

  /** The job holding a dedupe key: waiting, or finished less than KEEP_FINISHED_MS ago (as the real queues keep them). */
  private holding(name: string, key: string): QueuedJob | undefined {
    const match = (j: QueuedJob) => j.name === name && j.opts.dedupeKey === key
    const cutoff = this.clock.nowMs() - KEEP_FINISHED_MS
    return this.pending.find(match) ?? this.done.find((j) => match(j) && j.finishedAt >= cutoff) ?? this.failed.map((f) => f.job).find(match)
  }

  async cancel(def: JobDefinition<unknown>, dedupeKey: string): Promise<boolean> {
    const i = this.pending.findIndex((j) => j.name === def.name && j.opts.dedupeKey === dedupeKey && j.attempts === 0)
    if (i < 0) return false
    this.pending.splice(i, 1)
    return true
  }

  async schedule<T>(def: JobDefinition<T>, cron: string, data: T, opts: ScheduleOptions = {}): Promise<void> {
    const timezone = opts.timezone ?? 'UTC'
    const key = opts.key ?? def.name
    const parsed = validateJobData(def, data)
    this.crons.set(`${def.name}\u0000${key}`, {
      name: def.name,
      cron,
      data: parsed,
      timezone,
      key,
      next: nextCronTime(cron, timezone, this.clock.nowMs()),
    })
  }

  async unschedule(def: JobDefinition<unknown>, key = def.name): Promise<void> {
    this.crons.delete(`${def.name}\u0000${key}`)
  }

  async purgeWorkspace(workspace: string): Promise<number> {
    let n = 0
    for (const list of [this.pending, this.done]) {
      for (let i = list.length - 1; i >= 0; i--) {
        if (payloadOfWorkspace(list[i]!.data, workspace)) {
          list.splice(i, 1)
          n++
        }
      }
    }
    return n
  }

  names(): string[] {
    return this.registry.names()
  }

  async runNow(name: string, data?: unknown): Promise<void> {
    await runRegisteredNow(
      this.registry,
      name,
      data,
      async (n) => [...this.crons.values()].find((s) => s.name === n)?.data,
      () => `now-${++this.seq}`,
    )
  }

  /** Pending jobs of one name, in the order they were queued. */
  of(name: string): QueuedJob[] {
    return this.pending.filter((j) => j.name === name)
  }

  /** Moves the clock forward by `ms`, running every job and cron occurrence at its due time, in order. */
  async advance(ms: number): Promise<void> {
    await this.runUntil(this.clock.nowMs() + ms)
  }

  /**
   * Runs every pending job (and the ones they enqueue), each at its due time: the clock moves
   * forward to a job that is not due yet. `filter` limits it to some jobs; the others stay pending.
   */
  async drain(filter?: (j: QueuedJob) => boolean): Promise<void> {
    for (;;) {
      const next = this.nextJob(filter)
      if (!next) return
      await this.runUntil(Math.max(this.clock.nowMs(), next.runAt), filter)
    }
  }

  /** Runs the given pending jobs at the same time (a race between two workers). */
  async runConcurrently(jobs: QueuedJob[]): Promise<void> {
    for (const j of jobs) this.pending.splice(this.pending.indexOf(j), 1)
    await Promise.all(jobs.map((j) => this.run(j)))
  }

  private nextJob(filter?: (j: QueuedJob) => boolean): QueuedJob | undefined {
    let best: QueuedJob | undefined
    for (const j of this.pending) if ((!filter || filter(j)) && (!best || j.runAt < best.runAt)) best = j
    return best
  }

  private async runUntil(until: number, filter?: (j: QueuedJob) => boolean): Promise<void> {
    for (;;) {
      const job = this.nextJob(filter)
      const cron = filter ? undefined : [...this.crons.values()].sort((a, b) => a.next - b.next)[0]
      const at = Math.min(job?.runAt ?? Infinity, cron?.next ?? Infinity)
      if (at > until) break
      if (at > this.clock.nowMs()) this.clock.advance(at - this.clock.nowMs())
      if (job && job.runAt === at) {
        this.pending.splice(this.pending.indexOf(job), 1)
        await this.run(job)
      } else if (cron) {
        cron.next = nextCronTime(cron.cron, cron.timezone, at)
        this.pending.push({ id: String(++this.seq), name: cron.name, data: cron.data, opts: {}, runAt: at, attempts: 0 })
      }
    }
    if (until > this.clock.nowMs()) this.clock.advance(until - this.clock.nowMs())
  }

  private async run(job: QueuedJob): Promise<void> {
    const reg = this.registry.get(job.name)
    if (!reg) throw new BeaconError('not_found', `no handler for job "${job.name}"`)
    const { attempts, backoffMs } = retryPolicy(reg.def, job.opts)
    job.attempts += 1
    try {
      await reg.handler(validateJobData(reg.def, job.data), { jobId: job.id, attempt: job.attempts })
      this.done.push({ ...job, finishedAt: this.clock.nowMs() })
    } catch (err) {
      if (job.attempts >= attempts || isPermanent(err)) this.failed.push({ job, err })
      else this.pending.push({ ...job, runAt: this.clock.nowMs() + backoffDelay(backoffMs, job.attempts) })
    }
  }

  async start(): Promise<void> {}
  async close(): Promise<void> {}
  async ping(): Promise<boolean> {
    return true
  }
}
