import { lt } from 'drizzle-orm'
import type { WorkspaceId } from '../../../core/model.ts'
import type { ProcessedEventRepository } from '../../../core/ports.ts'
import type { PgDb } from '../db.ts'
import { processedEvents } from '../schema/index.ts'

export class PgProcessedEventRepository implements ProcessedEventRepository {
  constructor(private readonly db: PgDb) {}

  async claim(workspace: WorkspaceId, eventId: string, at: Date): Promise<boolean> {
    // The primary key decides between processes and hosts: of concurrent inserts exactly one
    // returns its row; the others wait for it to commit and then do nothing.
    const rows = await this.db
      .insert(processedEvents)
      .values({ workspaceId: workspace, eventId, at })
      .onConflictDoNothing()
      .returning({ id: processedEvents.eventId })
    return rows.length === 1
  }

  async purgeBefore(cutoff: Date): Promise<number> {
    const res = await this.db.delete(processedEvents).where(lt(processedEvents.at, cutoff))
    return res.rowCount ?? 0
  }
}
