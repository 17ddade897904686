import { and, eq } from 'drizzle-orm'
import type { Conversation, WorkspaceId } from '../../../core/model.ts'
import type { ConversationRepository } from '../../../core/ports.ts'
import type { PgDb } from '../db.ts'
import { conversations } from '../schema/index.ts'

export class PgConversationRepository implements ConversationRepository {
  constructor(private readonly db: PgDb) {}

  async upsert(c: Conversation): Promise<void> {
    const values = { workspaceId: c.workspace, id: c.id, name: c.name, privacy: c.privacy, updatedAt: new Date() }
    await this.db
      .insert(conversations)
      .values(values)
      .onConflictDoUpdate({ target: [conversations.workspaceId, conversations.id], set: values })
  }

  async get(workspace: WorkspaceId, id: string): Promise<Conversation | undefined> {
    const [r] = await this.db
      .select()
      .from(conversations)
      .where(and(eq(conversations.workspaceId, workspace), eq(conversations.id, id)))
    return r && { workspace: r.workspaceId, id: r.id, name: r.name, privacy: r.privacy }
  }
}
