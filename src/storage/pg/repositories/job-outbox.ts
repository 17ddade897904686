import { asc, eq, sql } from 'drizzle-orm'
import { storedPayloadOfWorkspace } from '../../../jobs/common.ts'
import type { NewOutboxRow, OutboxRow, OutboxStore } from '../../../jobs/outbox.ts'
import type { PgDb } from '../db.ts'
import type { PgExecutor } from '../executor.ts'
import { jobOutbox } from '../schema/job-outbox.ts'
import { stageWrite } from '../staging.ts'

/**
 * How long a relay may hold a row's claim while Redis takes the job: past it PostgreSQL ends the
 * session, the claim goes, and the row (still there) is relayed again later, a no-op in BullMQ
 * while the job is there. A relay never waits for a lock (SKIP LOCKED; lock_timeout as a bound).
 */
const CLAIM_SETTINGS = "BEGIN; SET LOCAL lock_timeout = '2s'; SET LOCAL idle_in_transaction_session_timeout = '30s'"

/**
 * The BullMQ outbox on PostgreSQL. `stage` joins the repository transaction being collected (see
 * staging.ts), so a task and the jobs it staged commit together. Several processes' relays may read
 * the same rows; `relayOnce` claims a row (FOR UPDATE SKIP LOCKED) around its add to Redis, so only
 * one adds it: a second add after the job completed and was removed from Redis would run it twice.
 * A cancel's `remove` meanwhile waits for the claim, then finds the row gone and cancels in Redis.
 */
export class PgJobOutbox implements OutboxStore {
  constructor(private readonly db: PgDb) {}

  stage(row: NewOutboxRow, committed: () => void): void {
    stageWrite({ write: async (tx) => void (await insert(tx, row)), committed })
  }

  async add(row: NewOutboxRow): Promise<boolean> {
    return insert(this.db, row)
  }

  async take(limit: number): Promise<OutboxRow[]> {
    return this.db.select().from(jobOutbox).orderBy(asc(jobOutbox.seq)).limit(limit)
  }

  async has(jobId: string): Promise<boolean> {
    return (await this.db.select({ jobId: jobOutbox.jobId }).from(jobOutbox).where(eq(jobOutbox.jobId, jobId)).limit(1)).length > 0
  }

  async relayOnce<T>(jobId: string, add: () => Promise<T>): Promise<T | undefined> {
    const client = await this.db.$client.connect()
    let broken: unknown
    try {
      await client.query(CLAIM_SETTINGS)
      const claimed = await client.query('SELECT 1 FROM job_outbox WHERE job_id = $1 FOR UPDATE SKIP LOCKED', [jobId])
      if (claimed.rowCount === 0) {
        await client.query('ROLLBACK')
        return undefined // gone (relayed, cancelled, purged) or being relayed by another process
      }
      const out = await add()
      await client.query('DELETE FROM job_outbox WHERE job_id = $1', [jobId])
      await client.query('COMMIT')
      return out
    } catch (err) {
      broken = err
      await client.query('ROLLBACK').catch(() => undefined)
      throw err
    } finally {
      // A session PostgreSQL ended (the claim's timeout) must not go back to the pool.
      client.release(broken instanceof Error ? broken : undefined)
    }
  }

  async remove(jobId: string): Promise<boolean> {
    return ((await this.db.delete(jobOutbox).where(eq(jobOutbox.jobId, jobId))).rowCount ?? 0) > 0
  }

  async purgeWorkspace(workspace: string): Promise<number> {
    const rows = await this.db
      .select({ jobId: jobOutbox.jobId, data: jobOutbox.data })
      .from(jobOutbox)
      .where(sql`strpos(${jobOutbox.data}, ${workspace}) > 0`)
    let n = 0
    for (const r of rows) if (storedPayloadOfWorkspace(r.data, workspace) && (await this.remove(r.jobId))) n++
    return n
  }

  async count(): Promise<number> {
    const [row] = await this.db.select({ n: sql<number>`count(*)::int` }).from(jobOutbox)
    return row?.n ?? 0
  }
}

async function insert(db: PgExecutor, row: NewOutboxRow): Promise<boolean> {
  return ((await db.insert(jobOutbox).values(row).onConflictDoNothing()).rowCount ?? 0) === 1
}
