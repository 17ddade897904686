import { lt, sql } from 'drizzle-orm'
import type { WorkspaceId } from '../../core/model.ts'
import type { ProcessedEventRepository } from '../../core/ports.ts'
import type { Db } from '../db.ts'
import { processedEvents } from '../schema/index.ts'

export class SqliteProcessedEventRepository implements ProcessedEventRepository {
  /** Every delivered event runs it: built and prepared once, not per event (query building was most of its cost). */
  private readonly claimStmt

  constructor(private readonly db: Db) {
    this.claimStmt = db
      .insert(processedEvents)
      .values({ workspaceId: sql.placeholder('workspace'), eventId: sql.placeholder('eventId'), at: sql.placeholder('at') })
      .onConflictDoNothing()
      .prepare()
  }

  async claim(workspace: WorkspaceId, eventId: string, at: Date): Promise<boolean> {
    // The primary key makes this atomic across processes sharing the file: only one insert wins.
    const res = this.claimStmt.run({ workspace, eventId, at })
    return res.changes === 1
  }

  async purgeBefore(cutoff: Date): Promise<number> {
    return this.db.delete(processedEvents).where(lt(processedEvents.at, cutoff)).run().changes
  }
}
