import { and, eq, isNotNull } from 'drizzle-orm'
import type { Person, WorkspaceId } from '../../../core/model.ts'
import type { PeopleRepository } from '../../../core/ports.ts'
import type { PgDb } from '../db.ts'
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

export class PgPeopleRepository implements PeopleRepository {
  constructor(private readonly db: PgDb) {}

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
    await this.db
      .insert(people)
      .values(values)
      .onConflictDoUpdate({ target: [people.workspaceId, people.id], set: values })
  }

  async get(workspace: WorkspaceId, id: string): Promise<Person | undefined> {
    const [row] = await this.db
      .select()
      .from(people)
      .where(and(eq(people.workspaceId, workspace), eq(people.id, id)))
    return row && toPerson(row)
  }

  async findByName(workspace: WorkspaceId, name: string): Promise<Person | undefined> {
    // Several people may share a name; the lowest id wins, as in SQLite's index order.
    const [row] = await this.db
      .select()
      .from(people)
      .where(and(eq(people.workspaceId, workspace), eq(people.nameKey, name.toLowerCase())))
      .orderBy(people.id)
      .limit(1)
    return row && toPerson(row)
  }

  async departments(workspace: WorkspaceId): Promise<Map<string, string>> {
    const rows = await this.db
      .select({ id: people.id, department: people.department })
      .from(people)
      .where(and(eq(people.workspaceId, workspace), isNotNull(people.department)))
    return new Map(rows.map((r) => [r.id, r.department!]))
  }
}
