import { eq } from 'drizzle-orm'
import type { Workspace, WorkspaceId } from '../../core/model.ts'
import type { WorkspaceRepository } from '../../core/ports.ts'
import type { Db } from '../db.ts'
import { conversations, people, processedEvents, workspaces } from '../schema/index.ts'

export class SqliteWorkspaceRepository implements WorkspaceRepository {
  constructor(private readonly db: Db) {}

  async upsert(w: Workspace): Promise<void> {
    this.db
      .insert(workspaces)
      .values({ id: w.id, platform: w.platform, name: w.name, createdAt: new Date() })
      .onConflictDoUpdate({ target: workspaces.id, set: { name: w.name } })
      .run()
  }

  async get(id: WorkspaceId): Promise<Workspace | undefined> {
    const row = this.db.select().from(workspaces).where(eq(workspaces.id, id)).get()
    return row && { id: row.id, platform: row.platform, name: row.name }
  }

  async remove(id: WorkspaceId): Promise<void> {
    this.db.transaction((tx) => {
      tx.delete(people).where(eq(people.workspaceId, id)).run()
      tx.delete(conversations).where(eq(conversations.workspaceId, id)).run()
      tx.delete(processedEvents).where(eq(processedEvents.workspaceId, id)).run()
      tx.delete(workspaces).where(eq(workspaces.id, id)).run()
    })
  }
}
