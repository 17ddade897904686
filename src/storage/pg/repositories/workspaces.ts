import { eq, sql } from 'drizzle-orm'
import type { Workspace, WorkspaceId } from '../../../core/model.ts'
import type { WorkspaceRepository } from '../../../core/ports.ts'
import type { PgDb } from '../db.ts'
import { workspaces } from '../schema/index.ts'

export class PgWorkspaceRepository implements WorkspaceRepository {
  constructor(private readonly db: PgDb) {}

  async upsert(w: Workspace): Promise<void> {
    await this.db
      .insert(workspaces)
      .values({ id: w.id, platform: w.platform, name: w.name, createdAt: new Date() })
      .onConflictDoUpdate({ target: workspaces.id, set: { name: w.name } })
  }

  async get(id: WorkspaceId): Promise<Workspace | undefined> {
    const [row] = await this.db.select().from(workspaces).where(eq(workspaces.id, id))
    return row && { id: row.id, platform: row.platform, name: row.name }
  }

  async list(): Promise<Workspace[]> {
    const rows = await this.db.select().from(workspaces).orderBy(workspaces.id)
    return rows.map((row) => ({ id: row.id, platform: row.platform, name: row.name }))
  }

  /**
   * Deletes every row of every table that has a `workspace_id` column, found from the catalog
   * rather than listed so a feature's new table can never be forgotten when a workspace uninstalls.
   * Child tables without the column go with their parents (ON DELETE CASCADE); a partitioned table is
   * deleted from once, through its parent, which visits only the workspace's partition.
   */
  async remove(id: WorkspaceId): Promise<void> {
    await this.db.transaction(async (tx) => {
      const { rows } = await tx.execute<{ name: string }>(sql`
        select quote_ident(c.table_name) as name from information_schema.columns c
        join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
        join pg_class k on k.oid = format('%I.%I', c.table_schema, c.table_name)::regclass
        where c.table_schema = current_schema() and c.column_name = 'workspace_id' and t.table_type = 'BASE TABLE'
          and not k.relispartition
        order by c.table_name`)
      for (const { name } of rows) await tx.execute(sql`delete from ${sql.raw(name)} where workspace_id = ${id}`)
      await tx.delete(workspaces).where(eq(workspaces.id, id))
    })
  }
}
