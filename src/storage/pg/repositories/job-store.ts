import { randomUUID } from 'node:crypto'
import { and, eq, inArray, isNotNull, isNull, lt, lte, min, ne, or, sql } from 'drizzle-orm'
import { storedPayloadOfWorkspace } from '../../../jobs/common.ts'
import type { JobRow, NewJob, ScheduleRow } from '../../../jobs/in-process-store.ts'
import type { JobStore } from '../../../jobs/job-store.ts'
import type { PgDb } from '../db.ts'
import { jobs, jobSchedules } from '../schema/jobs.ts'

/**
 * The in-process queue's storage on PostgreSQL, for several processes on one database. A claim is
 * one UPDATE of a row picked `FOR UPDATE SKIP LOCKED`: concurrent claimers each take a different
 * job instead of queueing on (or double-taking) the same one. Every later write is guarded by the
 * state it expects, as on SQLite (in-process-store.ts, whose comments explain each step).
 */
export class PgJobStore implements JobStore {
  constructor(
    private readonly db: PgDb,
    private readonly owner: string,
  ) {}

  async insert(job: NewJob, now: number): Promise<{ id: string; deduped: boolean }> {
    const id = randomUUID()
    const res = await this.db
      .insert(jobs)
      .values({ ...job, id, status: 'waiting', createdAt: now })
      .onConflictDoNothing()
    if (res.rowCount === 1 || job.dedupeKey == null) return { id, deduped: false }
    const [existing] = await this.db
      .select({ id: jobs.id })
      .from(jobs)
      .where(and(eq(jobs.name, job.name), eq(jobs.dedupeKey, job.dedupeKey)))
    return { id: existing?.id ?? id, deduped: true }
  }

  async cancelWaiting(name: string, dedupeKey: string): Promise<boolean> {
    const res = await this.db.delete(jobs).where(and(eq(jobs.name, name), eq(jobs.dedupeKey, dedupeKey), eq(jobs.status, 'waiting')))
    return (res.rowCount ?? 0) > 0
  }

  async upsertSchedule(s: Omit<ScheduleRow, 'updatedAt'>, now: number): Promise<void> {
    const { name, key, ...rest } = s
    const set = { ...rest, updatedAt: now }
    await this.db
      .insert(jobSchedules)
      .values({ name, key, ...set })
      .onConflictDoUpdate({ target: [jobSchedules.name, jobSchedules.key], set })
  }

  async deleteSchedule(name: string, key: string): Promise<void> {
    await this.db.delete(jobSchedules).where(and(eq(jobSchedules.name, name), eq(jobSchedules.key, key)))
  }

  async getSchedule(name: string, key: string): Promise<ScheduleRow | undefined> {
    const [row] = await this.db
      .select()
      .from(jobSchedules)
      .where(and(eq(jobSchedules.name, name), eq(jobSchedules.key, key)))
    return row
  }

  async dueSchedules(names: string[], now: number): Promise<ScheduleRow[]> {
    if (names.length === 0) return []
    return this.db
      .select()
      .from(jobSchedules)
      .where(and(lte(jobSchedules.nextRunAt, now), inArray(jobSchedules.name, names)))
  }

  async fireSchedule(s: ScheduleRow, nextRunAt: number, job: Pick<NewJob, 'maxAttempts' | 'backoffMs'>, now: number): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      // Guarded by the old next_run_at: of several processes, the one whose update matches fires it.
      const moved = await tx
        .update(jobSchedules)
        .set({ nextRunAt })
        .where(and(eq(jobSchedules.name, s.name), eq(jobSchedules.key, s.key), eq(jobSchedules.nextRunAt, s.nextRunAt)))
      if (moved.rowCount !== 1) return false
      await tx.insert(jobs).values({ ...job, id: randomUUID(), name: s.name, data: s.data, status: 'waiting', runAt: s.nextRunAt, createdAt: now })
      return true
    })
  }

  async nextDue(names: string[]): Promise<number | undefined> {
    if (names.length === 0) return undefined
    const [job] = await this.db
      .select({ at: min(jobs.runAt) })
      .from(jobs)
      .where(and(eq(jobs.status, 'waiting'), inArray(jobs.name, names)))
    const [schedule] = await this.db
      .select({ at: min(jobSchedules.nextRunAt) })
      .from(jobSchedules)
      .where(inArray(jobSchedules.name, names))
    const [lease] = await this.db
      .select({ at: min(jobs.leaseUntil) })
      .from(jobs)
      .where(and(eq(jobs.status, 'running'), ne(jobs.claimedBy, this.owner)))
    // min() of a bigint comes back as text from node-postgres.
    const times = [job?.at, schedule?.at, lease?.at].filter((t) => t !== null && t !== undefined).map(Number)
    return times.length > 0 ? Math.min(...times) : undefined
  }

  async claimNext(names: string[], now: number, leaseMs: number): Promise<JobRow | undefined> {
    if (names.length === 0) return undefined
    const next = this.db
      .select({ id: jobs.id })
      .from(jobs)
      .where(and(eq(jobs.status, 'waiting'), lte(jobs.runAt, now), inArray(jobs.name, names)))
      .orderBy(jobs.runAt)
      .limit(1)
      .for('update', { skipLocked: true })
    const [row] = await this.db
      .update(jobs)
      .set({ status: 'running', attempt: sql`${jobs.attempt} + 1`, claimedBy: this.owner, leaseUntil: now + leaseMs })
      // `= (scalar subquery)`: evaluated once, as an InitPlan. With `IN (…)` the planner may rerun the
      // LIMIT 1 subquery per row and claim every waiting job in one statement.
      .where(and(eq(jobs.id, sql`(${next})`), eq(jobs.status, 'waiting')))
      .returning()
    return row
  }

  async finish(row: JobRow, status: 'completed' | 'failed', error: string | null, now: number): Promise<void> {
    await this.db.update(jobs).set({ status, lastError: error, finishedAt: now, claimedBy: null, leaseUntil: null }).where(this.stillOurs(row))
  }

  async retryAt(row: JobRow, runAt: number, error: string): Promise<void> {
    await this.db.update(jobs).set({ status: 'waiting', runAt, lastError: error, claimedBy: null, leaseUntil: null }).where(this.stillOurs(row))
  }

  async renewLeases(until: number): Promise<void> {
    await this.db
      .update(jobs)
      .set({ leaseUntil: until })
      .where(and(eq(jobs.status, 'running'), eq(jobs.claimedBy, this.owner)))
  }

  async reclaimAbandoned(now: number): Promise<number> {
    const abandoned = and(eq(jobs.status, 'running'), lt(jobs.leaseUntil, now), or(isNull(jobs.claimedBy), ne(jobs.claimedBy, this.owner)))
    const note = 'lease expired: the process running this job stopped'
    return this.db.transaction(async (tx) => {
      await tx
        .update(jobs)
        .set({ status: 'failed', lastError: note, finishedAt: now, claimedBy: null, leaseUntil: null })
        .where(and(abandoned, sql`${jobs.attempt} >= ${jobs.maxAttempts}`))
      const res = await tx.update(jobs).set({ status: 'waiting', lastError: note, claimedBy: null, leaseUntil: null }).where(abandoned)
      return res.rowCount ?? 0
    })
  }

  async purgeWorkspace(workspace: string): Promise<number> {
    const rows = await this.db
      .select({ id: jobs.id, data: jobs.data })
      .from(jobs)
      .where(and(ne(jobs.status, 'running'), sql`strpos(${jobs.data}, ${workspace}) > 0`))
    const ids = rows.filter((r) => storedPayloadOfWorkspace(r.data, workspace)).map((r) => r.id)
    let n = 0
    for (let i = 0; i < ids.length; i += 500) {
      const res = await this.db.delete(jobs).where(and(inArray(jobs.id, ids.slice(i, i + 500)), ne(jobs.status, 'running')))
      n += res.rowCount ?? 0
    }
    return n
  }

  async otherRunningOwners(): Promise<string[]> {
    const rows = await this.db
      .selectDistinct({ owner: jobs.claimedBy })
      .from(jobs)
      .where(and(eq(jobs.status, 'running'), isNotNull(jobs.claimedBy), ne(jobs.claimedBy, this.owner)))
    return rows.map((r) => r.owner!)
  }

  async expireLeases(owners: string[], now: number): Promise<void> {
    if (owners.length === 0) return
    await this.db
      .update(jobs)
      .set({ leaseUntil: now - 1 })
      .where(and(eq(jobs.status, 'running'), inArray(jobs.claimedBy, owners)))
  }

  async purgeFinished(before: number): Promise<number> {
    const res = await this.db
      .delete(jobs)
      .where(and(inArray(jobs.status, ['completed', 'failed']), isNotNull(jobs.finishedAt), lt(jobs.finishedAt, before)))
    return res.rowCount ?? 0
  }

  private stillOurs(row: JobRow) {
    return and(eq(jobs.id, row.id), eq(jobs.status, 'running'), eq(jobs.claimedBy, this.owner))
  }
}
