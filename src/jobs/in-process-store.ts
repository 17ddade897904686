/**
 * The SQL of the in-process queue. Every state change is one statement (or one transaction)
 * guarded by the state it expects, so several processes sharing the SQLite file (server, worker,
 * CLI) can never both claim, finish or fire the same thing.
 */
import { randomUUID } from 'node:crypto'
import { and, eq, inArray, isNotNull, isNull, lt, lte, min, ne, or, sql } from 'drizzle-orm'
import type { Db } from '../storage/db.ts'
import { storedPayloadOfWorkspace } from './common.ts'
import type { JobStore } from './job-store.ts'
import { jobs, jobSchedules } from '../storage/schema/index.ts'

export type JobRow = typeof jobs.$inferSelect
export type NewJob = Omit<typeof jobs.$inferInsert, 'id' | 'status' | 'createdAt'>
export type ScheduleRow = typeof jobSchedules.$inferSelect

export class SqliteJobStore implements JobStore {
  constructor(
    private readonly db: Db,
    /** This queue instance; a restarted process is a new owner and may reclaim the old one's jobs. */
    private readonly owner: string,
  ) {}

  /** Insert-or-ignore on the unique (name, dedupe_key): the whole dedupe, atomic across processes. */
  insert(job: NewJob, now: number): { id: string; deduped: boolean } {
    const id = randomUUID()
    const res = this.db
      .insert(jobs)
      .values({ ...job, id, status: 'waiting', createdAt: now })
      .onConflictDoNothing()
      .run()
    if (res.changes === 1 || job.dedupeKey == null) return { id, deduped: false }
    const existing = this.db
      .select({ id: jobs.id })
      .from(jobs)
      .where(and(eq(jobs.name, job.name), eq(jobs.dedupeKey, job.dedupeKey)))
      .get()
    return { id: existing?.id ?? id, deduped: true }
  }

  cancelWaiting(name: string, dedupeKey: string): boolean {
    return (
      this.db
        .delete(jobs)
        .where(and(eq(jobs.name, name), eq(jobs.dedupeKey, dedupeKey), eq(jobs.status, 'waiting')))
        .run().changes > 0
    )
  }

  upsertSchedule(s: Omit<ScheduleRow, 'updatedAt'>, now: number): void {
    const { name, key, ...rest } = s
    const set = { ...rest, updatedAt: now }
    this.db
      .insert(jobSchedules)
      .values({ name, key, ...set })
      .onConflictDoUpdate({ target: [jobSchedules.name, jobSchedules.key], set })
      .run()
  }

  deleteSchedule(name: string, key: string): void {
    this.db
      .delete(jobSchedules)
      .where(and(eq(jobSchedules.name, name), eq(jobSchedules.key, key)))
      .run()
  }

  getSchedule(name: string, key: string): ScheduleRow | undefined {
    return this.db
      .select()
      .from(jobSchedules)
      .where(and(eq(jobSchedules.name, name), eq(jobSchedules.key, key)))
      .get()
  }

  dueSchedules(names: string[], now: number): ScheduleRow[] {
    return this.db
      .select()
      .from(jobSchedules)
      .where(and(lte(jobSchedules.nextRunAt, now), inArray(jobSchedules.name, names)))
      .all()
  }

  /**
   * Moves the schedule to its next occurrence and inserts the job for the one that fell due, in one
   * transaction guarded by the old next_run_at: of several processes, exactly one fires it.
   */
  fireSchedule(s: ScheduleRow, nextRunAt: number, job: Pick<NewJob, 'maxAttempts' | 'backoffMs'>, now: number): boolean {
    return this.db.transaction((tx) => {
      const moved = tx
        .update(jobSchedules)
        .set({ nextRunAt })
        .where(and(eq(jobSchedules.name, s.name), eq(jobSchedules.key, s.key), eq(jobSchedules.nextRunAt, s.nextRunAt)))
        .run()
      if (moved.changes !== 1) return false
      tx.insert(jobs)
        .values({ ...job, id: randomUUID(), name: s.name, data: s.data, status: 'waiting', runAt: s.nextRunAt, createdAt: now })
        .run()
      return true
    })
  }

  /** The earliest moment something may need doing: a waiting job, a schedule, or another owner's lease running out. */
  nextDue(names: string[]): number | undefined {
    const job = this.db
      .select({ at: min(jobs.runAt) })
      .from(jobs)
      .where(and(eq(jobs.status, 'waiting'), inArray(jobs.name, names)))
      .get()?.at
    const schedule = this.db
      .select({ at: min(jobSchedules.nextRunAt) })
      .from(jobSchedules)
      .where(inArray(jobSchedules.name, names))
      .get()?.at
    const lease = this.db
      .select({ at: min(jobs.leaseUntil) })
      .from(jobs)
      .where(and(eq(jobs.status, 'running'), ne(jobs.claimedBy, this.owner)))
      .get()?.at
    const times = [job, schedule, lease].filter((t): t is number => typeof t === 'number')
    return times.length > 0 ? Math.min(...times) : undefined
  }

  /** One UPDATE … RETURNING: of two processes racing for the same row, exactly one gets it. */
  claimNext(names: string[], now: number, leaseMs: number): JobRow | undefined {
    const next = this.db
      .select({ id: jobs.id })
      .from(jobs)
      .where(and(eq(jobs.status, 'waiting'), lte(jobs.runAt, now), inArray(jobs.name, names)))
      .orderBy(jobs.runAt)
      .limit(1)
    return this.db
      .update(jobs)
      .set({ status: 'running', attempt: sql`${jobs.attempt} + 1`, claimedBy: this.owner, leaseUntil: now + leaseMs })
      .where(and(inArray(jobs.id, next), eq(jobs.status, 'waiting')))
      .returning()
      .get()
  }

  finish(row: JobRow, status: 'completed' | 'failed', error: string | null, now: number): void {
    this.db.update(jobs).set({ status, lastError: error, finishedAt: now, claimedBy: null, leaseUntil: null }).where(this.stillOurs(row)).run()
  }

  retryAt(row: JobRow, runAt: number, error: string): void {
    this.db.update(jobs).set({ status: 'waiting', runAt, lastError: error, claimedBy: null, leaseUntil: null }).where(this.stillOurs(row)).run()
  }

  renewLeases(until: number): void {
    this.db
      .update(jobs)
      .set({ leaseUntil: until })
      .where(and(eq(jobs.status, 'running'), eq(jobs.claimedBy, this.owner)))
      .run()
  }

  /**
   * Jobs whose owner stopped renewing its lease (the process died) go back to waiting. The lost run
   * counted as a try, so a job that kills its process every time ends up failed, not looping.
   */
  reclaimAbandoned(now: number): number {
    const abandoned = and(eq(jobs.status, 'running'), lt(jobs.leaseUntil, now), or(isNull(jobs.claimedBy), ne(jobs.claimedBy, this.owner)))
    const note = 'lease expired: the process running this job stopped'
    return this.db.transaction((tx) => {
      tx.update(jobs)
        .set({ status: 'failed', lastError: note, finishedAt: now, claimedBy: null, leaseUntil: null })
        .where(and(abandoned, sql`${jobs.attempt} >= ${jobs.maxAttempts}`))
        .run()
      return tx.update(jobs).set({ status: 'waiting', lastError: note, claimedBy: null, leaseUntil: null }).where(abandoned).run().changes
    })
  }

  /** Every job of a workspace that is not running right now (its runner owns that row until it ends). */
  purgeWorkspace(workspace: string): number {
    const rows = this.db
      .select({ id: jobs.id, data: jobs.data })
      .from(jobs)
      .where(and(ne(jobs.status, 'running'), sql`instr(${jobs.data}, ${workspace}) > 0`))
      .all()
    const ids = rows.filter((r) => storedPayloadOfWorkspace(r.data, workspace)).map((r) => r.id)
    let n = 0
    for (let i = 0; i < ids.length; i += 500) {
      n += this.db
        .delete(jobs)
        .where(and(inArray(jobs.id, ids.slice(i, i + 500)), ne(jobs.status, 'running')))
        .run().changes
    }
    return n
  }

  /** Owners of running jobs other than us (to find the ones whose process is gone). */
  otherRunningOwners(): string[] {
    return this.db
      .selectDistinct({ owner: jobs.claimedBy })
      .from(jobs)
      .where(and(eq(jobs.status, 'running'), isNotNull(jobs.claimedBy), ne(jobs.claimedBy, this.owner)))
      .all()
      .map((r) => r.owner!)
  }

  /** Their leases end now: the next reclaimAbandoned puts their jobs back (or fails them past max attempts). */
  expireLeases(owners: string[], now: number): void {
    if (owners.length === 0) return
    this.db
      .update(jobs)
      .set({ leaseUntil: now - 1 })
      .where(and(eq(jobs.status, 'running'), inArray(jobs.claimedBy, owners)))
      .run()
  }

  /** Finished rows are the dedupe memory; they are forgotten only after `before`. */
  purgeFinished(before: number): number {
    return this.db
      .delete(jobs)
      .where(and(inArray(jobs.status, ['completed', 'failed']), isNotNull(jobs.finishedAt), lt(jobs.finishedAt, before)))
      .run().changes
  }

  /** Guards every write after a run: if our lease was lost and the job reclaimed, the new owner's state wins. */
  private stillOurs(row: JobRow) {
    return and(eq(jobs.id, row.id), eq(jobs.status, 'running'), eq(jobs.claimedBy, this.owner))
  }
}
