/**
 * The embedded JobQueue (no Redis): jobs and cron schedules live in SQLite (see in-process-store.ts),
 * so a restart loses no reminder, and several processes may share the file without running a job twice.
 *
 * One timer is armed for the next thing that falls due (a job, a schedule, another process's
 * expired lease), capped by `pollMs` so rows written by another process are noticed without busy polling.
 */
import { randomUUID } from 'node:crypto'
import { ownerGone, processOwner } from './process-owner.ts'
import type { EnqueueOptions, JobDefinition, JobHandler, JobQueue, ScheduleOptions } from '../core/ports.ts'
import type { Logger } from '../core/logger.ts'
import { pingDb, type Db } from '../storage/db.ts'
import {
  JobRegistry,
  KEEP_FINISHED_MS,
  backoffDelay,
  delayFrom,
  errorText,
  isPermanent,
  nextCronTime,
  retryPolicy,
  runRegisteredNow,
  validateJobData,
} from './common.ts'
import { JobOutbox } from './outbox.ts'
import { SqliteJobStore, type JobRow } from './in-process-store.ts'

export interface InProcessQueueOptions {
  db: Db
  log: Logger
  /** Jobs run at once by this instance (default 4). */
  concurrency?: number
  /** How long a claimed job stays ours without a heartbeat before another instance may rerun it (default 60 s). */
  leaseMs?: number
  /** Longest sleep between looks at the database (default 5 s). */
  pollMs?: number
}

const PURGE_EVERY_MS = 60 * 60 * 1000

export class InProcessJobQueue implements JobQueue {
  private readonly registry = new JobRegistry()
  private readonly db: Db
  private readonly store: SqliteJobStore
  private readonly log: Logger
  private readonly concurrency: number
  private readonly leaseMs: number
  private readonly pollMs: number
  private readonly inFlight = new Map<string, Promise<void>>()
  private state: 'idle' | 'started' | 'closing' | 'closed' = 'idle'
  private timer: NodeJS.Timeout | undefined
  private heartbeat: NodeJS.Timeout | undefined
  private lastPurge = 0

  constructor(opts: InProcessQueueOptions) {
    this.db = opts.db
    this.store = new SqliteJobStore(opts.db, processOwner())
    this.log = opts.log.child({ component: 'jobs', queue: 'in-process' })
    this.concurrency = Math.max(1, opts.concurrency ?? 4)
    this.leaseMs = opts.leaseMs ?? 60_000
    this.pollMs = opts.pollMs ?? 5_000
  }

  register<T>(def: JobDefinition<T>, handler: JobHandler<T>): void {
    this.registry.add(def, handler)
  }

  names(): string[] {
    return this.registry.names()
  }

  async enqueue<T>(def: JobDefinition<T>, data: T, opts: EnqueueOptions = {}): Promise<{ id: string; deduped: boolean }> {
    return this.insert(def, data, opts)
  }

  stage<T>(def: JobDefinition<T>, data: T, opts: EnqueueOptions = {}): void {
    this.insert(def, data, opts)
  }

  /** One insert; kick() only arms a timer, so inside a caller's transaction nothing runs before it commits. */
  private insert<T>(def: JobDefinition<T>, data: T, opts: EnqueueOptions): { id: string; deduped: boolean } {
    const payload = validateJobData(def, data)
    const { attempts, backoffMs } = retryPolicy(def, opts)
    const now = Date.now()
    const res = this.store.insert(
      {
        name: def.name,
        data: JSON.stringify(payload ?? null),
        dedupeKey: opts.dedupeKey ?? null,
        maxAttempts: attempts,
        backoffMs,
        runAt: now + delayFrom(opts, now),
      },
      now,
    )
    if (!res.deduped) this.kick()
    return res
  }

  async cancel(def: JobDefinition<unknown>, dedupeKey: string): Promise<boolean> {
    return this.store.cancelWaiting(def.name, dedupeKey)
  }

  /** Its own jobs, and rows a BullMQ deployment on the same file may have left in the outbox. */
  async purgeWorkspace(workspace: string): Promise<number> {
    return this.store.purgeWorkspace(workspace) + (await new JobOutbox(this.db).purgeWorkspace(workspace))
  }

  async schedule<T>(def: JobDefinition<T>, cron: string, data: T, opts: ScheduleOptions = {}): Promise<void> {
    const payload = validateJobData(def, data)
    const timezone = opts.timezone ?? 'UTC'
    const now = Date.now()
    this.store.upsertSchedule(
      {
        name: def.name,
        key: opts.key ?? def.name,
        cron,
        timezone,
        data: JSON.stringify(payload ?? null),
        nextRunAt: nextCronTime(cron, timezone, now),
      },
      now,
    )
    this.kick()
  }

  async unschedule(def: JobDefinition<unknown>, key?: string): Promise<void> {
    this.store.deleteSchedule(def.name, key ?? def.name)
  }

  async runNow(name: string, data?: unknown): Promise<void> {
    await runRegisteredNow(
      this.registry,
      name,
      data,
      async (n) => {
        const s = this.store.getSchedule(n, n)
        return s ? (JSON.parse(s.data) as unknown) : undefined
      },
      () => `run-now-${randomUUID()}`,
    )
  }

  async start(): Promise<void> {
    if (this.state !== 'idle') return
    this.state = 'started'
    // Renew the leases of everything we run, so only a dead process's jobs ever look abandoned.
    this.heartbeat = setInterval(() => this.renewLeases(), Math.max(50, Math.floor(this.leaseMs / 3)))
    // Jobs a killed process on this host was running: rerun now, not a lease (a minute) later.
    this.store.expireLeases(this.store.otherRunningOwners().filter(ownerGone), Date.now())
    this.kick()
  }

  async close(): Promise<void> {
    if (this.state === 'closed') return
    this.state = 'closing'
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight.values()])
    if (this.heartbeat) clearInterval(this.heartbeat)
    this.heartbeat = undefined
    this.state = 'closed'
  }

  async ping(): Promise<boolean> {
    return pingDb(this.db)
  }

  // ------------------------------------------------------------------ the loop

  private kick(): void {
    if (this.state !== 'started') return
    if (this.timer) clearTimeout(this.timer)
    this.timer = setTimeout(() => this.tick(), 0)
  }

  private tick(): void {
    this.timer = undefined
    if (this.state !== 'started') return
    let wait = this.pollMs
    try {
      const now = Date.now()
      const names = this.registry.names()
      const reclaimed = this.store.reclaimAbandoned(now)
      if (reclaimed > 0) this.log.warn({ count: reclaimed }, 'reclaimed jobs abandoned by a stopped process')
      if (names.length > 0) {
        this.fireDueSchedules(names, now)
        while (this.inFlight.size < this.concurrency) {
          const row = this.store.claimNext(names, Date.now(), this.leaseMs)
          if (!row) break
          this.launch(row)
        }
        // With every slot busy, a finishing job kicks the loop; otherwise sleep until the next due time.
        const next = this.inFlight.size < this.concurrency ? this.store.nextDue(names) : undefined
        // +1: a timer may fire a hair early, and a job not yet due must not make the loop spin.
        if (next !== undefined) wait = Math.min(wait, Math.max(0, next - Date.now() + 1))
      }
      if (now - this.lastPurge >= PURGE_EVERY_MS) {
        this.lastPurge = now
        this.store.purgeFinished(now - KEEP_FINISHED_MS)
      }
    } catch (e) {
      // A locked or briefly unavailable database must not kill the loop; the next tick retries.
      this.log.error({ err: e }, 'job queue tick failed')
    }
    this.timer = setTimeout(() => this.tick(), wait)
  }

  /** After downtime a schedule fires once, not once per missed occurrence. */
  private fireDueSchedules(names: string[], now: number): void {
    for (const s of this.store.dueSchedules(names, now)) {
      const reg = this.registry.get(s.name)
      if (!reg) continue
      try {
        const { attempts, backoffMs } = retryPolicy(reg.def)
        this.store.fireSchedule(s, nextCronTime(s.cron, s.timezone, now), { maxAttempts: attempts, backoffMs }, now)
      } catch (e) {
        this.log.error({ err: e, job: s.name, key: s.key }, 'could not fire schedule')
      }
    }
  }

  private launch(row: JobRow): void {
    const p = this.execute(row)
      .catch((e: unknown) => this.log.error({ err: e, job: row.name, jobId: row.id }, 'job bookkeeping failed'))
      .finally(() => {
        this.inFlight.delete(row.id)
        this.kick()
      })
    this.inFlight.set(row.id, p)
  }

  private async execute(row: JobRow): Promise<void> {
    const reg = this.registry.get(row.name)
    if (!reg) return this.store.finish(row, 'failed', `no handler registered for "${row.name}"`, Date.now())
    let payload: unknown
    try {
      payload = validateJobData(reg.def, JSON.parse(row.data))
    } catch (e) {
      // Written by an older version or by hand: retrying cannot make it fit.
      this.log.error({ err: e, job: row.name, jobId: row.id }, 'job payload invalid; failing without retry')
      return this.store.finish(row, 'failed', errorText(e), Date.now())
    }
    try {
      await reg.handler(payload, { jobId: row.id, attempt: row.attempt })
      this.store.finish(row, 'completed', null, Date.now())
    } catch (e) {
      const fields = { err: e, job: row.name, jobId: row.id, attempt: row.attempt, maxAttempts: row.maxAttempts }
      if (isPermanent(e) || row.attempt >= row.maxAttempts) {
        this.log.error(fields, 'job failed')
        return this.store.finish(row, 'failed', errorText(e), Date.now())
      }
      const runAt = Date.now() + backoffDelay(row.backoffMs, row.attempt)
      this.log.warn({ ...fields, retryAt: new Date(runAt).toISOString() }, 'job failed; will retry')
      this.store.retryAt(row, runAt, errorText(e))
    }
  }

  private renewLeases(): void {
    if (this.inFlight.size === 0) return
    try {
      this.store.renewLeases(Date.now() + this.leaseMs)
    } catch (e) {
      this.log.error({ err: e }, 'renewing job leases failed')
    }
  }
}
