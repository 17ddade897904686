/**
 * Saving a thread as a knowledge item: one transaction that upserts the item row, keeps its search
 * index entry in step (knowledge-index.ts), and replaces its contributors and tags. Split from
 * knowledge.ts because it is the one write with rules of its own (privacy never loosens, an edited
 * title wins, "updated" means the content changed).
 */
import { and, eq, type SQL, sql } from 'drizzle-orm'
import type { ItemContent, SaveVia } from '../../core/knowledge/types.ts'
import type { Db } from '../db.ts'
import { knowledgeContributors, knowledgeItems, knowledgeSavers, knowledgeTags } from '../schema/index.ts'
import type { IndexedText, KnowledgeIndexes } from './knowledge-index.ts'
import { itemValues } from './knowledge-rows.ts'

export interface WriteOptions {
  now: Date
  saver?: { personId: string; via: SaveVia }
  reactivate: boolean
}

/** Inserts or updates the item for c's thread with its contributors, tags and saver; returns its id. */
export function writeItem(db: Db, indexes: KnowledgeIndexes, c: ItemContent, opts: WriteOptions): number {
  const t = knowledgeItems
  const values = itemValues(c, opts.now)
  indexes.ensure(c.workspace)
  return db.transaction((tx) => {
    const before = indexedText(tx, and(eq(t.workspaceId, c.workspace), eq(t.threadId, c.threadId)))
    // The unique (workspace_id, thread_id) index turns a second save or a racing job into an update.
    const row = tx
      .insert(t)
      .values(values)
      .onConflictDoUpdate({
        target: [t.workspaceId, t.threadId],
        set: {
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
          updatedAt: sql`CASE WHEN ${t.body} IS excluded.body AND ${t.tagsText} IS excluded.tags_text
            AND (${t.titleEdited} OR ${t.title} IS excluded.title) THEN ${t.updatedAt} ELSE excluded.updated_at END`,
          syncedAt: sql`excluded.synced_at`,
          status: opts.reactivate ? sql`'active'` : sql`${t.status}`,
          archivedAt: opts.reactivate ? sql`NULL` : sql`${t.archivedAt}`,
        },
      })
      .returning({ id: t.id })
      .get()
    const after = indexedText(tx, eq(t.id, row.id))
    if (after) indexes.replace(c.workspace, before, after)
    tx.delete(knowledgeContributors).where(eq(knowledgeContributors.itemId, row.id)).run()
    if (c.contributors.length > 0) {
      tx.insert(knowledgeContributors)
        .values(
          c.contributors.map((p, i) => ({
            itemId: row.id,
            personId: p.personId,
            displayName: p.displayName,
            nameKey: p.displayName.toLowerCase(),
            position: i,
          })),
        )
        .onConflictDoNothing()
        .run()
    }
    tx.delete(knowledgeTags).where(eq(knowledgeTags.itemId, row.id)).run()
    if (c.tags.length > 0) {
      tx.insert(knowledgeTags)
        .values(c.tags.map((tag) => ({ itemId: row.id, tag })))
        .onConflictDoNothing()
        .run()
    }
    if (opts.saver) {
      tx.insert(knowledgeSavers)
        .values({ itemId: row.id, personId: opts.saver.personId, via: opts.saver.via, savedAt: opts.now })
        .onConflictDoNothing()
        .run()
    }
    return row.id
  })
}

/** The indexed text of one row, as it is now in this transaction. */
export function indexedText(tx: Pick<Db, 'select'>, where: SQL | undefined): IndexedText | undefined {
  const k = knowledgeItems
  return tx.select({ id: k.id, title: k.title, searchText: k.searchText, tagsText: k.tagsText }).from(k).where(where).get()
}
