/**
 * The BullMQ queue's local outbox: "persist before ack, relay after". An enqueue is one SQLite
 * insert (fast, local, durable even while Redis is down); the relay in bullmq-queue.ts hands rows to
 * Redis under their job id and deletes a row only after Redis accepted it. Several processes may
 * share the file and relay the same row: the job id makes the second add a no-op in BullMQ.
 */
import { asc, eq, sql } from 'drizzle-orm'
import type { Db } from '../storage/db.ts'
import { storedPayloadOfWorkspace } from './common.ts'
import { jobOutbox } from '../storage/schema/index.ts'

export type OutboxRow = typeof jobOutbox.$inferSelect
export type NewOutboxRow = Omit<typeof jobOutbox.$inferInsert, 'seq'>

export class JobOutbox {
  constructor(private readonly db: Db) {}

  /** Insert-or-ignore on the job id; false when a row with that id is already waiting to be relayed. */
  add(row: NewOutboxRow): boolean {
    return this.db.insert(jobOutbox).values(row).onConflictDoNothing().run().changes === 1
  }

  /** The oldest rows first, so jobs reach Redis in the order they were accepted. */
  take(limit: number): OutboxRow[] {
    return this.db.select().from(jobOutbox).orderBy(asc(jobOutbox.seq)).limit(limit).all()
  }

  /** After Redis accepted the job. */
  remove(jobId: string): boolean {
    return this.db.delete(jobOutbox).where(eq(jobOutbox.jobId, jobId)).run().changes > 0
  }

  /** Rows of a workspace that never reached Redis (app uninstalled). */
  purgeWorkspace(workspace: string): number {
    const rows = this.db.select({ jobId: jobOutbox.jobId, data: jobOutbox.data }).from(jobOutbox).where(sql`instr(${jobOutbox.data}, ${workspace}) > 0`).all()
    return rows.filter((r) => storedPayloadOfWorkspace(r.data, workspace)).reduce((n, r) => n + (this.remove(r.jobId) ? 1 : 0), 0)
  }

  count(): number {
    return this.db.select({ n: sql<number>`count(*)` }).from(jobOutbox).get()?.n ?? 0
  }
}
