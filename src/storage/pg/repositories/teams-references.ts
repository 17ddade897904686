/**
 * Teams conversation references on PostgreSQL: the twin of SqliteTeamsReferenceRepository (same
 * rules: a message without a group id never erases one, unreachable marks clear on the next upsert),
 * with the ConversationReference kept as jsonb.
 */
import { and, count, desc, eq, inArray, isNull } from 'drizzle-orm'
import type { StoredTeamsReference, TeamsReferenceRepository } from '../../../core/adapter-stores.ts'
import type { WorkspaceId } from '../../../core/model.ts'
import { distinctTeams, toStoredTeamsReference } from '../../repositories/teams-references.ts'
import type { PgDb } from '../db.ts'
import { teamsReferences, teamsTeams, teamsUsers } from '../schema/teams-references.ts'

export class PgTeamsReferenceRepository implements TeamsReferenceRepository {
  constructor(private readonly db: PgDb) {}

  async upsert(r: StoredTeamsReference): Promise<void> {
    const values = {
      workspaceId: r.workspace,
      conversationId: r.conversationId,
      kind: r.kind,
      personId: r.personId ?? null,
      teamId: r.teamId ?? null,
      groupId: r.groupId ?? null,
      membershipType: r.membershipType ?? null,
      reference: r.reference,
      updatedAt: new Date(),
      unreachableReason: null,
      unreachableAt: null,
    }
    // Only installation events carry the group id: a later message without one must not erase it.
    const { groupId: _keep, ...withoutGroup } = values
    await this.db
      .insert(teamsReferences)
      .values(values)
      .onConflictDoUpdate({ target: [teamsReferences.workspaceId, teamsReferences.conversationId], set: r.groupId ? values : withoutGroup })
  }

  async markUnreachable(workspace: WorkspaceId, conversationId: string, reason: string, at: Date): Promise<void> {
    await this.db
      .update(teamsReferences)
      .set({ unreachableReason: reason.slice(0, 200), unreachableAt: at })
      .where(this.conversation(workspace, conversationId))
  }

  async rememberTeam(workspace: WorkspaceId, teamId: string, groupId: string, name?: string): Promise<void> {
    const values = { workspaceId: workspace, teamId, groupId, name: name ?? null, updatedAt: new Date() }
    const set = name ? values : { groupId, updatedAt: values.updatedAt }
    await this.db
      .insert(teamsTeams)
      .values(values)
      .onConflictDoUpdate({ target: [teamsTeams.workspaceId, teamsTeams.teamId], set })
  }

  async groupIdOfTeam(workspace: WorkspaceId, teamId: string): Promise<string | undefined> {
    const [row] = await this.db
      .select({ groupId: teamsTeams.groupId })
      .from(teamsTeams)
      .where(and(eq(teamsTeams.workspaceId, workspace), eq(teamsTeams.teamId, teamId)))
    return row?.groupId
  }

  async teamsOf(workspace: WorkspaceId): Promise<{ teamId: string; conversationId: string }[]> {
    const rows = await this.db
      .select({ teamId: teamsReferences.teamId, conversationId: teamsReferences.conversationId })
      .from(teamsReferences)
      .where(and(eq(teamsReferences.workspaceId, workspace), eq(teamsReferences.kind, 'channel'), isNull(teamsReferences.unreachableReason)))
      .orderBy(desc(teamsReferences.updatedAt))
    return distinctTeams(rows)
  }

  async get(workspace: WorkspaceId, conversationId: string): Promise<StoredTeamsReference | undefined> {
    const [row] = await this.db.select().from(teamsReferences).where(this.conversation(workspace, conversationId))
    return row && toStoredTeamsReference(row)
  }

  async personal(workspace: WorkspaceId, personId: string): Promise<StoredTeamsReference | undefined> {
    const [row] = await this.db
      .select()
      .from(teamsReferences)
      .where(and(eq(teamsReferences.workspaceId, workspace), eq(teamsReferences.personId, personId), eq(teamsReferences.kind, 'personal')))
      .limit(1)
    return row && toStoredTeamsReference(row)
  }

  async latest(workspace: WorkspaceId): Promise<StoredTeamsReference | undefined> {
    const [row] = await this.db
      .select()
      .from(teamsReferences)
      .where(eq(teamsReferences.workspaceId, workspace))
      .orderBy(desc(teamsReferences.updatedAt))
      .limit(1)
    return row && toStoredTeamsReference(row)
  }

  async remove(workspace: WorkspaceId, conversationId: string): Promise<void> {
    await this.db.delete(teamsReferences).where(this.conversation(workspace, conversationId))
  }

  async placesLeft(workspace: WorkspaceId): Promise<number> {
    const [row] = await this.db
      .select({ n: count() })
      .from(teamsReferences)
      .where(and(eq(teamsReferences.workspaceId, workspace), inArray(teamsReferences.kind, ['channel', 'groupChat'])))
    return row?.n ?? 0
  }

  async removeTeam(workspace: WorkspaceId, teamId: string): Promise<number> {
    const res = await this.db.delete(teamsReferences).where(and(eq(teamsReferences.workspaceId, workspace), eq(teamsReferences.teamId, teamId)))
    return res.rowCount ?? 0
  }

  async rememberUser(workspace: WorkspaceId, personId: string, botUserId: string): Promise<void> {
    const values = { workspaceId: workspace, personId, botUserId, updatedAt: new Date() }
    await this.db
      .insert(teamsUsers)
      .values(values)
      .onConflictDoUpdate({ target: [teamsUsers.workspaceId, teamsUsers.personId], set: values })
  }

  async markUserUnreachable(workspace: WorkspaceId, personId: string, botUserId: string, reason: string, at: Date): Promise<void> {
    const values = { workspaceId: workspace, personId, botUserId, updatedAt: at, unreachableReason: reason.slice(0, 200), unreachableAt: at }
    await this.db
      .insert(teamsUsers)
      .values(values)
      .onConflictDoUpdate({
        target: [teamsUsers.workspaceId, teamsUsers.personId],
        set: { unreachableReason: values.unreachableReason, unreachableAt: at },
      })
  }

  async userUnreachable(workspace: WorkspaceId, personId: string): Promise<{ reason: string; at: Date } | undefined> {
    const [row] = await this.db
      .select({ reason: teamsUsers.unreachableReason, at: teamsUsers.unreachableAt })
      .from(teamsUsers)
      .where(this.user(workspace, personId))
    return row?.reason && row.at ? { reason: row.reason, at: row.at } : undefined
  }

  async botUserId(workspace: WorkspaceId, personId: string): Promise<string | undefined> {
    const [row] = await this.db.select({ id: teamsUsers.botUserId }).from(teamsUsers).where(this.user(workspace, personId))
    return row?.id
  }

  async personIdForBotUser(workspace: WorkspaceId, botUserId: string): Promise<string | undefined> {
    const [row] = await this.db
      .select({ id: teamsUsers.personId })
      .from(teamsUsers)
      .where(and(eq(teamsUsers.workspaceId, workspace), eq(teamsUsers.botUserId, botUserId)))
      .limit(1)
    return row?.id
  }

  private conversation(workspace: WorkspaceId, conversationId: string) {
    return and(eq(teamsReferences.workspaceId, workspace), eq(teamsReferences.conversationId, conversationId))
  }

  private user(workspace: WorkspaceId, personId: string) {
    return and(eq(teamsUsers.workspaceId, workspace), eq(teamsUsers.personId, personId))
  }
}
