import { asc, inArray } from 'drizzle-orm'
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
