import { and, eq, isNotNull, sql } from 'drizzle-orm'
import type { Person, WorkspaceId } from '../../core/model.ts'
import type { PeopleRepository } from '../../core/ports.ts'
import type { Db } from '../db.ts'
import { people } from '../schema/index.ts'

type Row = typeof people.$inferSelect

const toPerson = (r: Row): Person => ({
  workspace: r.workspaceId,
  id: r.id,
  displayName: r.displayName,
  timezone: r.timezone,
  isBot: r.isBot,
  ...(r.department ? { department: r.department } : {}),
})

export class SqlitePeopleRepository implements PeopleRepository {
  /** Read for every message and reaction (is the author a bot?): prepared once. */
  private readonly getStmt

  constructor(private readonly db: Db) {
    this.getStmt = db
      .select()
      .from(people)
      .where(and(eq(people.workspaceId, sql.placeholder('workspace')), eq(people.id, sql.placeholder('id'))))
      .prepare()
  }

  async upsert(p: Person): Promise<void> {
    const values = {
      workspaceId: p.workspace,
      id: p.id,
      displayName: p.displayName,
      nameKey: p.displayName.toLowerCase(),
      timezone: p.timezone,
      isBot: p.isBot,
      // A refresh without one clears it: the profile field was emptied, or the source unconfigured.
      department: p.department?.trim() || null,
      updatedAt: new Date(),
    }
    this.db
      .insert(people)
      .values(values)
      .onConflictDoUpdate({ target: [people.workspaceId, people.id], set: values })
      .run()
  }

  async get(workspace: WorkspaceId, id: string): Promise<Person | undefined> {
    const row = this.getStmt.get({ workspace, id })
    return row && toPerson(row)
  }

  async findByName(workspace: WorkspaceId, name: string): Promise<Person | undefined> {
    const row = this.db
      .select()
      .from(people)
      .where(and(eq(people.workspaceId, workspace), eq(people.nameKey, name.toLowerCase())))
      .get()
    return row && toPerson(row)
  }

  async departments(workspace: WorkspaceId): Promise<Map<string, string>> {
    const rows = this.db
      .select({ id: people.id, department: people.department })
      .from(people)
      .where(and(eq(people.workspaceId, workspace), isNotNull(people.department)))
      .all()
    return new Map(rows.map((r) => [r.id, r.department!]))
  }
}
