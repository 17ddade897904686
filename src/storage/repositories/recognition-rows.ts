/**
 * What the SQLite and PostgreSQL kudos repositories share: the row a kudos is inserted as, how a row
 * reads back, and the conditions that pick rows (written against whichever dialect's columns are
 * passed in, so both build the same SQL). Only how each dialect runs a statement — and how it keeps
 * concurrent gives apart — stays in the repositories.
 */
import { and, eq, isNotNull, isNull, or, sql, type Column, type SQL } from 'drizzle-orm'
import type { WorkspaceId } from '../../core/model.ts'
import type { DigestChannel, Kudos, KudosSource, NewKudos } from '../../core/recognition/types.ts'
import type { kudos, kudosDigestChannels } from '../schema/index.ts'

type Columns<K extends string> = Record<K, Column>
type KudosRow = typeof kudos.$inferSelect
type DigestRow = typeof kudosDigestChannels.$inferSelect

export function kudosRow(r: NewKudos, at: Date): typeof kudos.$inferInsert {
  return {
    workspaceId: r.workspace,
    kind: r.kind,
    source: r.source,
    giverId: r.giverId ?? null,
    giverName: r.giverName ?? null,
    receiverId: r.receiverId,
    receiverName: r.receiverName,
    reason: r.reason,
    value: r.value ?? null,
    conversationId: r.conversationId ?? null,
    isPublic: r.isPublic === true,
    dedupeKey: r.key,
    createdAt: at,
  }
}

export function toKudos(r: KudosRow): Kudos {
  return {
    id: r.id,
    workspace: r.workspaceId,
    kind: r.kind,
    source: r.source as KudosSource,
    ...(r.giverId ? { giverId: r.giverId } : {}),
    ...(r.giverName ? { giverName: r.giverName } : {}),
    receiverId: r.receiverId,
    receiverName: r.receiverName,
    reason: r.reason,
    ...(r.value ? { value: r.value } : {}),
    ...(r.conversationId ? { conversationId: r.conversationId } : {}),
    isPublic: r.isPublic,
    key: r.dedupeKey,
    createdAt: r.createdAt,
  }
}

/** The kudos with this natural key (a give's idempotency). */
export function kudosWithKey(t: Columns<'workspaceId' | 'dedupeKey'>, workspace: WorkspaceId, key: string): SQL {
  return and(eq(t.workspaceId, workspace), eq(t.dedupeKey, key))!
}

/** The same kudos, while nobody has announced it yet: claiming it is one conditional update. */
export function unannounced(t: Columns<'workspaceId' | 'dedupeKey' | 'announcedAt'>, workspace: WorkspaceId, key: string): SQL {
  return and(kudosWithKey(t, workspace, key), isNull(t.announcedAt))!
}

/** A person's kudos received, or given by them (automatic credits have no giver). */
export function kudosOf(
  t: Columns<'workspaceId' | 'receiverId' | 'giverId'>,
  workspace: WorkspaceId,
  personId: string,
  role: 'received' | 'given',
): SQL {
  const who = role === 'received' ? eq(t.receiverId, personId) : and(eq(t.giverId, personId), isNotNull(t.giverId))
  return and(eq(t.workspaceId, workspace), who)!
}

type DigestColumns = Columns<'workspaceId' | 'conversationId' | 'conversationName' | 'enabled' | 'lastWeek'>

export function digestChannelIs(t: DigestColumns, workspace: WorkspaceId, conversationId: string): SQL {
  return and(eq(t.workspaceId, workspace), eq(t.conversationId, conversationId))!
}

/** Turning a channel's digest on or off: the row to insert, and what an existing row takes (a name it already knows survives). */
export function digestUpsert(
  t: DigestColumns,
  workspace: WorkspaceId,
  conversationId: string,
  name: string | undefined,
  on: boolean,
  by: string,
  at: Date,
) {
  return {
    values: { workspaceId: workspace, conversationId, conversationName: name ?? null, enabled: on, changedBy: by, updatedAt: at },
    set: { enabled: on, changedBy: by, updatedAt: at, conversationName: sql`coalesce(excluded.conversation_name, ${t.conversationName})` },
  }
}

/** An enabled digest channel whose last week is not `week`: a conditional update on it lets exactly one caller move the week forward. */
export function digestWeekFree(t: DigestColumns, workspace: WorkspaceId, conversationId: string, week: string): SQL {
  return and(digestChannelIs(t, workspace, conversationId), eq(t.enabled, true), or(isNull(t.lastWeek), sql`${t.lastWeek} <> ${week}`))!
}

/** The channel's digest claimed for `week` (to give the claim back). */
export function digestWeekHeld(t: DigestColumns, workspace: WorkspaceId, conversationId: string, week: string): SQL {
  return and(digestChannelIs(t, workspace, conversationId), eq(t.lastWeek, week))!
}

export function toDigestChannel(r: DigestRow): DigestChannel {
  return {
    workspace: r.workspaceId,
    conversationId: r.conversationId,
    ...(r.conversationName ? { conversationName: r.conversationName } : {}),
    ...(r.lastWeek ? { lastWeek: r.lastWeek } : {}),
  }
}
