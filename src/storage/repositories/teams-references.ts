import { and, count, desc, eq, inArray, isNull } from 'drizzle-orm'
import type { StoredTeamsReference, TeamsReferenceRepository } from '../../core/adapter-stores.ts'
import type { WorkspaceId } from '../../core/model.ts'
import type { Db } from '../db.ts'
import { teamsReferences, teamsTeams, teamsUsers } from '../schema/index.ts'

export type { StoredTeamsReference, TeamsConversationKind } from '../../core/adapter-stores.ts'

/**
 * Storage for the Teams adapter only (the core never needs conversation references), so it is not
 * one of the core's repository ports; the adapter gets it from the composition root.
 */
export class SqliteTeamsReferenceRepository implements TeamsReferenceRepository {
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
      unreachableReason: null,
      unreachableAt: null,
    }
    // Only installation events carry the group id: a later message without one must not erase it.
    const { groupId: _keep, ...withoutGroup } = values
    this.db
      .insert(teamsReferences)
      .values(values)
      .onConflictDoUpdate({ target: [teamsReferences.workspaceId, teamsReferences.conversationId], set: r.groupId ? values : withoutGroup })
      .run()
  }

  /** The Bot Connector refused to deliver to this conversation for good: remember why. */
  markUnreachable(workspace: WorkspaceId, conversationId: string, reason: string, at: Date): void {
    this.db
      .update(teamsReferences)
      .set({ unreachableReason: reason.slice(0, 200), unreachableAt: at })
      .where(and(eq(teamsReferences.workspaceId, workspace), eq(teamsReferences.conversationId, conversationId)))
      .run()
  }

  /** Team → Microsoft 365 group id, learnt from installation events or the Bot Connector's team details. */
  rememberTeam(workspace: WorkspaceId, teamId: string, groupId: string, name?: string): void {
    const values = { workspaceId: workspace, teamId, groupId, name: name ?? null, updatedAt: new Date() }
    const set = name ? values : { groupId, updatedAt: values.updatedAt }
    this.db
      .insert(teamsTeams)
      .values(values)
      .onConflictDoUpdate({ target: [teamsTeams.workspaceId, teamsTeams.teamId], set })
      .run()
  }

  groupIdOfTeam(workspace: WorkspaceId, teamId: string): string | undefined {
    return this.db
      .select({ groupId: teamsTeams.groupId })
      .from(teamsTeams)
      .where(and(eq(teamsTeams.workspaceId, workspace), eq(teamsTeams.teamId, teamId)))
      .get()?.groupId
  }

  /** Distinct teams of a tenant Beacon has a channel reference in (roster lookups for mentions). */
  teamsOf(workspace: WorkspaceId): { teamId: string; conversationId: string }[] {
    const rows = this.db
      .select({ teamId: teamsReferences.teamId, conversationId: teamsReferences.conversationId })
      .from(teamsReferences)
      .where(and(eq(teamsReferences.workspaceId, workspace), eq(teamsReferences.kind, 'channel'), isNull(teamsReferences.unreachableReason)))
      .orderBy(desc(teamsReferences.updatedAt))
      .all()
    return distinctTeams(rows)
  }

  get(workspace: WorkspaceId, conversationId: string): StoredTeamsReference | undefined {
    const row = this.db
      .select()
      .from(teamsReferences)
      .where(and(eq(teamsReferences.workspaceId, workspace), eq(teamsReferences.conversationId, conversationId)))
      .get()
    return row && toStoredTeamsReference({ ...row, reference: JSON.parse(row.reference) as unknown })
  }

  /** The personal chat with a person, if Beacon has one. */
  personal(workspace: WorkspaceId, personId: string): StoredTeamsReference | undefined {
    const row = this.db
      .select()
      .from(teamsReferences)
      .where(and(eq(teamsReferences.workspaceId, workspace), eq(teamsReferences.personId, personId), eq(teamsReferences.kind, 'personal')))
      .get()
    return row && toStoredTeamsReference({ ...row, reference: JSON.parse(row.reference) as unknown })
  }

  /** The most recently refreshed reference of a tenant: its serviceUrl is where new chats are created. */
  latest(workspace: WorkspaceId): StoredTeamsReference | undefined {
    const row = this.db
      .select()
      .from(teamsReferences)
      .where(eq(teamsReferences.workspaceId, workspace))
      .orderBy(desc(teamsReferences.updatedAt))
      .get()
    return row && toStoredTeamsReference({ ...row, reference: JSON.parse(row.reference) as unknown })
  }

  remove(workspace: WorkspaceId, conversationId: string): void {
    this.db
      .delete(teamsReferences)
      .where(and(eq(teamsReferences.workspaceId, workspace), eq(teamsReferences.conversationId, conversationId)))
      .run()
  }

  /** Teams channels and group chats Beacon still has a reference for (personal chats aside: Beacon opens those itself). */
  placesLeft(workspace: WorkspaceId): number {
    return (
      this.db
        .select({ n: count() })
        .from(teamsReferences)
        .where(and(eq(teamsReferences.workspaceId, workspace), inArray(teamsReferences.kind, ['channel', 'groupChat'])))
        .get()?.n ?? 0
    )
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

  /** No 1:1 chat could be opened with this person (never installed Beacon, blocked it): remember why. */
  markUserUnreachable(workspace: WorkspaceId, personId: string, botUserId: string, reason: string, at: Date): void {
    const values = { workspaceId: workspace, personId, botUserId, updatedAt: at, unreachableReason: reason.slice(0, 200), unreachableAt: at }
    this.db
      .insert(teamsUsers)
      .values(values)
      .onConflictDoUpdate({
        target: [teamsUsers.workspaceId, teamsUsers.personId],
        set: { unreachableReason: values.unreachableReason, unreachableAt: at },
      })
      .run()
  }

  userUnreachable(workspace: WorkspaceId, personId: string): { reason: string; at: Date } | undefined {
    const row = this.db
      .select({ reason: teamsUsers.unreachableReason, at: teamsUsers.unreachableAt })
      .from(teamsUsers)
      .where(and(eq(teamsUsers.workspaceId, workspace), eq(teamsUsers.personId, personId)))
      .get()
    return row?.reason && row.at ? { reason: row.reason, at: row.at } : undefined
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

/** Newest first in, one conversation per team out (both backends). */
export function distinctTeams(rows: { teamId: string | null; conversationId: string }[]): { teamId: string; conversationId: string }[] {
  const seen = new Set<string>()
  const out: { teamId: string; conversationId: string }[] = []
  for (const r of rows) {
    if (!r.teamId || seen.has(r.teamId)) continue
    seen.add(r.teamId)
    out.push({ teamId: r.teamId, conversationId: r.conversationId })
  }
  return out
}

/** A row (its reference already parsed: text on SQLite, jsonb on PostgreSQL) as the adapter's value. */
export function toStoredTeamsReference(row: Omit<typeof teamsReferences.$inferSelect, 'reference'> & { reference: unknown }): StoredTeamsReference {
  return {
    workspace: row.workspaceId,
    conversationId: row.conversationId,
    kind: row.kind,
    ...(row.personId ? { personId: row.personId } : {}),
    ...(row.teamId ? { teamId: row.teamId } : {}),
    ...(row.groupId ? { groupId: row.groupId } : {}),
    ...(row.membershipType ? { membershipType: row.membershipType } : {}),
    reference: row.reference,
    ...(row.unreachableReason && row.unreachableAt ? { unreachable: { reason: row.unreachableReason, at: row.unreachableAt } } : {}),
  }
}
