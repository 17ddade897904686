import { lt } from 'drizzle-orm'
import type { WorkspaceId } from '../../core/model.ts'
import type { ProcessedEventRepository } from '../../core/ports.ts'
import type { Db } from '../db.ts'
import { processedEvents } from '../schema/index.ts'

export class SqliteProcessedEventRepository implements ProcessedEventRepository {
  constructor(private readonly db: Db) {}

  async claim(workspace: WorkspaceId, eventId: string, at: Date): Promise<boolean> {
    // The primary key makes this atomic across processes sharing the file: only one insert wins.
    const res = this.db.insert(processedEvents).values({ workspaceId: workspace, eventId, at }).onConflictDoNothing().run()
    return res.changes === 1
  }

  async purgeBefore(cutoff: Date): Promise<number> {
    return this.db.delete(processedEvents).where(lt(processedEvents.at, cutoff)).run().changes
  }
}
