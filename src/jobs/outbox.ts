/**
 * The BullMQ queue's local outbox: "persist before ack, relay after". An enqueue is one local
 * insert (durable even while Redis is down); the relay in bullmq-queue.ts hands rows to Redis under
 * their job id and deletes a row only after Redis accepted it. Several processes may share the
 * database and relay the same row: the job id makes the second add a no-op in BullMQ.
 *
 * `OutboxStore` is the port; `JobOutbox` is the SQLite store, the PostgreSQL one is in
 * src/storage/pg/repositories/job-outbox.ts.
 */
import { asc, eq, sql } from 'drizzle-orm'
import type { Db } from '../storage/db.ts'
import { storedPayloadOfWorkspace } from './common.ts'
import { jobOutbox } from '../storage/schema/index.ts'

export type OutboxRow = typeof jobOutbox.$inferSelect
export type NewOutboxRow = Omit<typeof jobOutbox.$inferInsert, 'seq'>

export interface OutboxStore {
  /**
   * Inside a repository's write transaction (JobQueue.stage): the row commits with that
   * transaction or not at all; `committed` runs once it did (wake the relay).
   */
  stage(row: NewOutboxRow, committed: () => void): void
  /** Insert-or-ignore on the job id; false when a row with that id is already waiting to be relayed. */
  add(row: NewOutboxRow): Promise<boolean>
  /** The oldest rows first, so jobs reach Redis in the order they were accepted. */
  take(limit: number): Promise<OutboxRow[]>
  /** Whether the row is still waiting. */
  has(jobId: string): Promise<boolean>
  /**
   * Relays one row it read earlier: `add` (to Redis) runs only if the row is still waiting, and the
   * row is deleted once `add` resolved; undefined when skipped. On PostgreSQL the row is claimed for
   * the whole time, so of several processes only one adds it; SQLite serves one process, whose
   * relays are kept apart by RelayClaims.
   */
  relayOnce<T>(jobId: string, add: () => Promise<T>): Promise<T | undefined>
  /** After Redis accepted the job. */
  remove(jobId: string): Promise<boolean>
  /** Rows of a workspace that never reached Redis (app uninstalled). */
  purgeWorkspace(workspace: string): Promise<number>
  count(): Promise<number>
}

export class JobOutbox implements OutboxStore {
  constructor(private readonly db: Db) {}

  /** Same connection as the caller's SQLite transaction: the insert is part of it. */
  stage(row: NewOutboxRow, committed: () => void): void {
    this.insert(row)
    // Not now: the caller's transaction has not committed yet, and the relay must not see the row before it does.
    setImmediate(committed)
  }

  async add(row: NewOutboxRow): Promise<boolean> {
    return this.insert(row)
  }

  async take(limit: number): Promise<OutboxRow[]> {
    return this.db.select().from(jobOutbox).orderBy(asc(jobOutbox.seq)).limit(limit).all()
  }

  async has(jobId: string): Promise<boolean> {
    return this.db.select({ jobId: jobOutbox.jobId }).from(jobOutbox).where(eq(jobOutbox.jobId, jobId)).get() !== undefined
  }

  relayOnce<T>(jobId: string, add: () => Promise<T>): Promise<T | undefined> {
    return recheckedRelay(this, jobId, add)
  }

  async remove(jobId: string): Promise<boolean> {
    return this.delete(jobId)
  }

  async purgeWorkspace(workspace: string): Promise<number> {
    const rows = this.db
      .select({ jobId: jobOutbox.jobId, data: jobOutbox.data })
      .from(jobOutbox)
      .where(sql`instr(${jobOutbox.data}, ${workspace}) > 0`)
      .all()
    return rows.filter((r) => storedPayloadOfWorkspace(r.data, workspace)).reduce((n, r) => n + (this.delete(r.jobId) ? 1 : 0), 0)
  }

  async count(): Promise<number> {
    return this.db.select({ n: sql<number>`count(*)` }).from(jobOutbox).get()?.n ?? 0
  }

  private insert(row: NewOutboxRow): boolean {
    return this.db.insert(jobOutbox).values(row).onConflictDoNothing().run().changes === 1
  }

  private delete(jobId: string): boolean {
    return this.db.delete(jobOutbox).where(eq(jobOutbox.jobId, jobId)).run().changes > 0
  }
}

/**
 * The relay of one row within one process: re-check that the row is still there (a cancel or purge
 * may have deleted it since it was read), add, then delete. A crash before the delete leaves the row,
 * and relaying it again is a no-op in BullMQ while the job is there.
 */
export async function recheckedRelay<T>(store: Pick<OutboxStore, 'has' | 'remove'>, jobId: string, add: () => Promise<T>): Promise<T | undefined> {
  if (!(await store.has(jobId))) return undefined
  const out = await add()
  await store.remove(jobId)
  return out
}
