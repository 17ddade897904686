/**
 * Saving a thread as a knowledge item: one transaction that upserts the item row, keeps its search
 * index entry in step (knowledge-index.ts), and replaces its contributors and tags. Split from
 * knowledge.ts because it is the one write with rules of its own (privacy never loosens, an edited
 * title wins, "updated" means the content changed).
 */
import { and, eq, type SQL } from 'drizzle-orm'
import type { ItemContent, SaveVia } from '../../core/knowledge/types.ts'
import type { Db } from '../db.ts'
import { knowledgeContributors, knowledgeItems, knowledgeSavers, knowledgeTags } from '../schema/index.ts'
import type { IndexedText, KnowledgeIndexes } from './knowledge-index.ts'
import { itemResaveSet, itemValues } from './knowledge-rows.ts'

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
        set: itemResaveSet(t, opts.reactivate),
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
