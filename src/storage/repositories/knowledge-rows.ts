import { asc, inArray, sql, type AnyColumn, type SQL } from 'drizzle-orm'
import type { ItemContent, KnowledgeItem, SaveVia } from '../../core/knowledge/types.ts'
import type { Db } from '../db.ts'
import { knowledgeContributors, knowledgeItems, knowledgeSavers, knowledgeTags } from '../schema/index.ts'

export type ItemRow = typeof knowledgeItems.$inferSelect

/** The item's columns as a save writes them, the same on SQLite and PostgreSQL. */
export function itemValues(c: ItemContent, now: Date) {
  return {
    workspaceId: c.workspace,
    threadId: c.threadId,
    conversationId: c.conversation.id,
    conversationName: c.conversation.name,
    conversationKey: c.conversation.name.toLowerCase(),
    privacy: c.conversation.privacy,
    rootMessageId: c.rootMessageId,
    title: c.title,
    body: c.body,
    searchText: c.searchText,
    tagsText: c.tags.join(' '),
    permalink: c.permalink ?? null,
    messageCount: c.messageCount,
    createdAt: now,
    updatedAt: now,
    syncedAt: now,
  }
}

/** The columns of knowledge_items the re-save below reads, on either backend's table. */
type ItemColumns = Record<'privacy' | 'titleEdited' | 'title' | 'body' | 'tagsText' | 'permalink' | 'updatedAt' | 'status' | 'archivedAt', AnyColumn>

/**
 * What a second save of a thread changes (SQLite and PostgreSQL both; `IS NOT DISTINCT FROM` is in
 * SQLite since 3.39): content and place from the new save, never a looser privacy, never an edited title.
 */
export function itemResaveSet(t: ItemColumns, reactivate: boolean | undefined): Record<string, SQL> {
  return {
    conversationId: sql`excluded.conversation_id`,
    conversationName: sql`excluded.conversation_name`,
    conversationKey: sql`excluded.conversation_key`,
    // Never looser than before: a thread saved while its channel was private stays members-only.
    privacy: sql`CASE WHEN ${t.privacy} <> 'public' AND excluded.privacy = 'public' THEN ${t.privacy} ELSE excluded.privacy END`,
    rootMessageId: sql`excluded.root_message_id`,
    title: sql`CASE WHEN ${t.titleEdited} THEN ${t.title} ELSE excluded.title END`,
    body: sql`excluded.body`,
    searchText: sql`excluded.search_text`,
    tagsText: sql`excluded.tags_text`,
    permalink: sql`coalesce(excluded.permalink, ${t.permalink})`,
    messageCount: sql`excluded.message_count`,
    // "Updated" means the content changed; a re-save of an unchanged thread is only a sync.
    updatedAt: sql`CASE WHEN ${t.body} IS NOT DISTINCT FROM excluded.body AND ${t.tagsText} IS NOT DISTINCT FROM excluded.tags_text
      AND (${t.titleEdited} OR ${t.title} IS NOT DISTINCT FROM excluded.title) THEN ${t.updatedAt} ELSE excluded.updated_at END`,
    syncedAt: sql`excluded.synced_at`,
    status: reactivate ? sql`'active'` : sql`${t.status}`,
    archivedAt: reactivate ? sql`NULL` : sql`${t.archivedAt}`,
  }
}

export function loadItems(db: Db, ids: number[]): KnowledgeItem[] {
  if (ids.length === 0) return []
  return hydrateItems(db, db.select().from(knowledgeItems).where(inArray(knowledgeItems.id, ids)).all())
}

/** Rows plus their contributors, savers and tags, in three batched queries. */
export function hydrateItems(db: Db, rows: ItemRow[]): KnowledgeItem[] {
  if (rows.length === 0) return []
  const ids = rows.map((r) => r.id)
  const contributors = db
    .select()
    .from(knowledgeContributors)
    .where(inArray(knowledgeContributors.itemId, ids))
    .orderBy(asc(knowledgeContributors.position))
    .all()
  const savers = db.select().from(knowledgeSavers).where(inArray(knowledgeSavers.itemId, ids)).orderBy(asc(knowledgeSavers.savedAt)).all()
  const tags = db.select().from(knowledgeTags).where(inArray(knowledgeTags.itemId, ids)).all()
  return assembleItems(rows, { contributors, savers, tags })
}

/**
 * Item rows and their child rows (contributors by position, savers by time) as the core's items.
 * Shared by both backends: a PostgreSQL row is the same columns plus its search vector.
 */
export function assembleItems(
  rows: ItemRow[],
  children: {
    contributors: { itemId: number; personId: string; displayName: string }[]
    savers: { itemId: number; personId: string; via: SaveVia; savedAt: Date }[]
    tags: { itemId: number; tag: string }[]
  },
): KnowledgeItem[] {
  const { contributors, savers, tags } = children
  return rows.map((r) => ({
    id: r.id,
    workspace: r.workspaceId,
    threadId: r.threadId,
    conversation: { id: r.conversationId, name: r.conversationName, privacy: r.privacy },
    rootMessageId: r.rootMessageId,
    title: r.title,
    titleEdited: r.titleEdited,
    body: r.body,
    tags: tags
      .filter((t) => t.itemId === r.id)
      .map((t) => t.tag)
      .sort(),
    contributors: contributors.filter((c) => c.itemId === r.id).map((c) => ({ personId: c.personId, displayName: c.displayName })),
    savers: savers.filter((s) => s.itemId === r.id).map((s) => ({ personId: s.personId, via: s.via, savedAt: s.savedAt })),
    ...(r.permalink ? { permalink: r.permalink } : {}),
    messageCount: r.messageCount,
    status: r.status,
    ...(r.confirmationMessageId ? { confirmationMessageId: r.confirmationMessageId } : {}),
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    syncedAt: r.syncedAt,
    ...(r.confirmedAt ? { confirmedAt: r.confirmedAt } : {}),
    ...(r.lastViewedAt ? { lastViewedAt: r.lastViewedAt } : {}),
    ...(r.staleAskedAt ? { staleAskedAt: r.staleAskedAt } : {}),
  }))
}
