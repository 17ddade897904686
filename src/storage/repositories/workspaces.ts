import { asc, eq } from 'drizzle-orm'
import type { Workspace, WorkspaceId } from '../../core/model.ts'
import type { WorkspaceRepository } from '../../core/ports.ts'
import type { Db } from '../db.ts'
import { workspaces } from '../schema/index.ts'
import { KnowledgeIndexes } from './knowledge-index.ts'

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

  async list(): Promise<Workspace[]> {
    return this.db
      .select({ id: workspaces.id, platform: workspaces.platform, name: workspaces.name })
      .from(workspaces)
      .orderBy(asc(workspaces.id))
      .all()
  }

  /**
   * Deletes every row of every table that has a `workspace_id` column. Found from the schema
   * rather than listed, so a feature's new table can never be forgotten when a workspace uninstalls.
   */
  async remove(id: WorkspaceId): Promise<void> {
    const client = this.db.$client
    const tables = (client.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'").all() as { name: string }[])
      .map((t) => t.name)
      .filter((name) =>
        (client.prepare(`select name from pragma_table_info(?)`).all(name) as { name: string }[]).some((c) => c.name === 'workspace_id'),
      )
    client.transaction(() => {
      // Child rows may be visited before their parents; foreign keys are checked at commit.
      client.pragma('defer_foreign_keys = ON')
      for (const name of tables) client.prepare(`delete from "${name.replace(/"/g, '""')}" where workspace_id = ?`).run(id)
      client.prepare('delete from workspaces where id = ?').run(id)
      // Its knowledge search index is tables named after it, with no workspace_id column to find.
      new KnowledgeIndexes(this.db).drop(id)
    })()
  }
}
