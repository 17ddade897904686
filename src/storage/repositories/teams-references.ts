import { and, desc, eq } from 'drizzle-orm'
import type { WorkspaceId } from '../../core/model.ts'
import type { Db } from '../db.ts'
import { teamsReferences, teamsUsers } from '../schema/index.ts'

export type TeamsConversationKind = 'personal' | 'channel' | 'groupChat'

export interface StoredTeamsReference {
  workspace: WorkspaceId
  conversationId: string
  kind: TeamsConversationKind
  personId?: string
  teamId?: string
  /** The team's Microsoft 365 group id (Graph's team id). */
  groupId?: string
  /** Channels: "standard", "private" or "shared" as Teams said; absent when it never said. */
  membershipType?: string
  /** The Bot Framework ConversationReference, opaque here; the Teams adapter validates it on read. */
  reference: unknown
}

/**
 * Storage for the Teams adapter only (the core never needs conversation references), so it is not
 * one of the core's repository ports.
 */
export class SqliteTeamsReferenceRepository {
  constructor(private readonly db: Db) {}

  upsert(r: StoredTeamsReference): void {
    const values = {
      workspaceId: r.workspace,
      conversationId: r.conversationId,
      kind: r.kind,
      personId: r.personId ?? null,
      teamId: r.teamId ?? null,
      groupId: r.groupId ?? null,
      membershipType: r.membershipType ?? null,
      reference: JSON.stringify(r.reference),
      updatedAt: new Date(),
    }
    this.db
      .insert(teamsReferences)
      .values(values)
      .onConflictDoUpdate({ target: [teamsReferences.workspaceId, teamsReferences.conversationId], set: values })
      .run()
  }

  get(workspace: WorkspaceId, conversationId: string): StoredTeamsReference | undefined {
    const row = this.db
      .select()
      .from(teamsReferences)
      .where(and(eq(teamsReferences.workspaceId, workspace), eq(teamsReferences.conversationId, conversationId)))
      .get()
    return row && toStored(row)
  }

  /** The personal chat with a person, if Beacon has one. */
  personal(workspace: WorkspaceId, personId: string): StoredTeamsReference | undefined {
    const row = this.db
      .select()
      .from(teamsReferences)
      .where(and(eq(teamsReferences.workspaceId, workspace), eq(teamsReferences.personId, personId), eq(teamsReferences.kind, 'personal')))
      .get()
    return row && toStored(row)
  }

  /** The most recently refreshed reference of a tenant: its serviceUrl is where new chats are created. */
  latest(workspace: WorkspaceId): StoredTeamsReference | undefined {
    const row = this.db
      .select()
      .from(teamsReferences)
      .where(eq(teamsReferences.workspaceId, workspace))
      .orderBy(desc(teamsReferences.updatedAt))
      .get()
    return row && toStored(row)
  }

  remove(workspace: WorkspaceId, conversationId: string): void {
    this.db
      .delete(teamsReferences)
      .where(and(eq(teamsReferences.workspaceId, workspace), eq(teamsReferences.conversationId, conversationId)))
      .run()
  }

  /** The app was removed from a team: forget all of its channels. */
  removeTeam(workspace: WorkspaceId, teamId: string): number {
    return this.db
      .delete(teamsReferences)
      .where(and(eq(teamsReferences.workspaceId, workspace), eq(teamsReferences.teamId, teamId)))
      .run().changes
  }

  rememberUser(workspace: WorkspaceId, personId: string, botUserId: string): void {
    const values = { workspaceId: workspace, personId, botUserId, updatedAt: new Date() }
    this.db
      .insert(teamsUsers)
      .values(values)
      .onConflictDoUpdate({ target: [teamsUsers.workspaceId, teamsUsers.personId], set: values })
      .run()
  }

  botUserId(workspace: WorkspaceId, personId: string): string | undefined {
    return this.db
      .select({ id: teamsUsers.botUserId })
      .from(teamsUsers)
      .where(and(eq(teamsUsers.workspaceId, workspace), eq(teamsUsers.personId, personId)))
      .get()?.id
  }

  personIdForBotUser(workspace: WorkspaceId, botUserId: string): string | undefined {
    return this.db
      .select({ id: teamsUsers.personId })
      .from(teamsUsers)
      .where(and(eq(teamsUsers.workspaceId, workspace), eq(teamsUsers.botUserId, botUserId)))
      .get()?.id
  }
}

function toStored(row: typeof teamsReferences.$inferSelect): StoredTeamsReference {
  return {
    workspace: row.workspaceId,
    conversationId: row.conversationId,
    kind: row.kind,
    ...(row.personId ? { personId: row.personId } : {}),
    ...(row.teamId ? { teamId: row.teamId } : {}),
    ...(row.groupId ? { groupId: row.groupId } : {}),
    ...(row.membershipType ? { membershipType: row.membershipType } : {}),
    reference: JSON.parse(row.reference) as unknown,
  }
}
