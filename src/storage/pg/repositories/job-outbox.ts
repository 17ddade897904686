import { asc, eq, sql } from 'drizzle-orm'
import { storedPayloadOfWorkspace } from '../../../jobs/common.ts'
import type { NewOutboxRow, OutboxRow, OutboxStore } from '../../../jobs/outbox.ts'
import type { PgDb } from '../db.ts'
import type { PgExecutor } from '../executor.ts'
import { jobOutbox } from '../schema/job-outbox.ts'
import { stageWrite } from '../staging.ts'

/**
 * The BullMQ outbox on PostgreSQL. `stage` joins the repository transaction being collected (see
 * staging.ts), so a task and the jobs it staged commit together. Several relays may read the same
 * rows: the BullMQ job id makes a second add a no-op, and `remove` tolerates the row being gone.
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
