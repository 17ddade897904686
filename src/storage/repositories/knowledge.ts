import { and, asc, desc, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm'
import type { WorkspaceId } from '../../core/model.ts'
import type { ThreadId } from '../../core/thread-id.ts'
import type {
  ItemContent,
  ItemStatus,
  KnowledgeItem,
  KnowledgeRepository,
  RepoSearch,
  SaveVia,
  SearchHit,
  TermStats,
} from '../../core/knowledge/types.ts'
import type { Db } from '../db.ts'
import { hydrateItems, type ItemRow } from './knowledge-rows.ts'
import { KnowledgeIndexes } from './knowledge-index.ts'
import { KnowledgeFts } from './knowledge-search.ts'
import { indexedText, writeItem, type WriteOptions } from './knowledge-write.ts'
import { knowledgeChannelSettings, knowledgeItems, knowledgeSavers } from '../schema/index.ts'

/**
 * SQLite implementation of the knowledge port. Plain reads and writes go through drizzle; search
 * (knowledge-search.ts) uses raw SQL because FTS5's MATCH, bm25() and snippet() have no drizzle
 * equivalent. Each workspace has its own FTS index (knowledge-index.ts), written in the same
 * transaction as the text it indexes (here for renames, in knowledge-write.ts for saves).
 */
export class SqliteKnowledgeRepository implements KnowledgeRepository {
  private readonly fts: KnowledgeFts
  private readonly indexes: KnowledgeIndexes
  /** Asked for every message (is its thread saved?): prepared once, not built per message. */
  private readonly savedThreadStmt

  constructor(private readonly db: Db) {
    this.indexes = new KnowledgeIndexes(db)
    this.fts = new KnowledgeFts(db, this.indexes)
    const k = knowledgeItems
    this.savedThreadStmt = db
      .select({ id: k.id })
      .from(k)
      .where(and(eq(k.workspaceId, sql.placeholder('workspace')), eq(k.threadId, sql.placeholder('threadId')), eq(k.status, 'active')))
      .prepare()
  }

  async upsert(c: ItemContent, opts: WriteOptions): Promise<KnowledgeItem> {
    const id = writeItem(this.db, this.indexes, c, opts)
    const item = await this.get(c.workspace, id)
    if (!item) throw new Error(`knowledge item ${id} vanished after upsert`)
    return item
  }

  async addSaver(itemId: number, saver: { personId: string; via: SaveVia }, at: Date): Promise<void> {
    this.db.insert(knowledgeSavers).values({ itemId, personId: saver.personId, via: saver.via, savedAt: at }).onConflictDoNothing().run()
  }

  async get(workspace: WorkspaceId, id: number): Promise<KnowledgeItem | undefined> {
    const row = this.db
      .select()
      .from(knowledgeItems)
      .where(and(eq(knowledgeItems.workspaceId, workspace), eq(knowledgeItems.id, id)))
      .get()
    return row && this.hydrate([row])[0]
  }

  async getByThread(workspace: WorkspaceId, threadId: ThreadId): Promise<KnowledgeItem | undefined> {
    const row = this.db
      .select()
      .from(knowledgeItems)
      .where(and(eq(knowledgeItems.workspaceId, workspace), eq(knowledgeItems.threadId, threadId)))
      .get()
    return row && this.hydrate([row])[0]
  }

  async isSavedThread(workspace: WorkspaceId, threadId: ThreadId): Promise<boolean> {
    return this.savedThreadStmt.get({ workspace, threadId }) !== undefined
  }

  async claimConfirmation(itemId: number, at: Date): Promise<boolean> {
    const res = this.db
      .update(knowledgeItems)
      .set({ confirmedAt: at })
      .where(and(eq(knowledgeItems.id, itemId), isNull(knowledgeItems.confirmedAt)))
      .run()
    return res.changes === 1
  }

  async releaseConfirmation(itemId: number): Promise<void> {
    this.db.update(knowledgeItems).set({ confirmedAt: null }).where(eq(knowledgeItems.id, itemId)).run()
  }

  async setConfirmationMessage(itemId: number, messageId: string): Promise<void> {
    this.db.update(knowledgeItems).set({ confirmationMessageId: messageId }).where(eq(knowledgeItems.id, itemId)).run()
  }

  async setStatus(workspace: WorkspaceId, id: number, status: ItemStatus, at: Date): Promise<boolean> {
    const res = this.db
      .update(knowledgeItems)
      .set({ status, archivedAt: status === 'archived' ? at : null })
      .where(and(eq(knowledgeItems.workspaceId, workspace), eq(knowledgeItems.id, id)))
      .run()
    return res.changes === 1
  }

  async archiveThread(workspace: WorkspaceId, threadId: ThreadId, at: Date): Promise<boolean> {
    const res = this.db
      .update(knowledgeItems)
      .set({ status: 'archived', archivedAt: at })
      .where(and(eq(knowledgeItems.workspaceId, workspace), eq(knowledgeItems.threadId, threadId), eq(knowledgeItems.status, 'active')))
      .run()
    return res.changes === 1
  }

  async restrictConversation(workspace: WorkspaceId, conversationId: string): Promise<number> {
    return this.db
      .update(knowledgeItems)
      .set({ privacy: 'private' })
      .where(and(eq(knowledgeItems.workspaceId, workspace), eq(knowledgeItems.conversationId, conversationId), eq(knowledgeItems.privacy, 'public')))
      .run().changes
  }

  async rename(workspace: WorkspaceId, id: number, title: string, at: Date): Promise<boolean> {
    const which = and(eq(knowledgeItems.workspaceId, workspace), eq(knowledgeItems.id, id))
    return this.db.transaction((tx) => {
      const before = indexedText(tx, which)
      if (!before) return false
      tx.update(knowledgeItems).set({ title, titleEdited: true, updatedAt: at }).where(which).run()
      this.indexes.replace(workspace, before, { ...before, title })
      return true
    })
  }

  async markViewed(ids: number[], at: Date): Promise<void> {
    if (ids.length === 0) return
    this.db.update(knowledgeItems).set({ lastViewedAt: at }).where(inArray(knowledgeItems.id, ids)).run()
  }

  async search(q: RepoSearch): Promise<SearchHit[]> {
    const { fallback, ...strict } = q
    const hits = await this.fts.search(strict)
    // In-process FTS5 has no round trip to save: the fallback is simply a second query.
    if (hits.length > 0 || fallback === undefined) return hits
    return (await this.fts.search({ ...strict, match: fallback })).map((h) => ({ ...h, broadened: true }))
  }

  async recent(workspace: WorkspaceId, opts: { limit: number; savedBy?: string }): Promise<KnowledgeItem[]> {
    const conds = [eq(knowledgeItems.workspaceId, workspace), eq(knowledgeItems.status, 'active')]
    if (opts.savedBy !== undefined) {
      conds.push(sql`EXISTS (SELECT 1 FROM ${knowledgeSavers} s WHERE s.item_id = ${knowledgeItems.id} AND s.person_id = ${opts.savedBy})`)
    }
    const rows = this.db
      .select()
      .from(knowledgeItems)
      .where(and(...conds))
      .orderBy(desc(knowledgeItems.updatedAt), desc(knowledgeItems.id))
      .limit(opts.limit)
      .all()
    return this.hydrate(rows)
  }

  async findStale(cutoff: Date, limit: number): Promise<KnowledgeItem[]> {
    const t = knowledgeItems
    const rows = this.db
      .select()
      .from(t)
      .where(
        and(
          eq(t.status, 'active'),
          lt(t.updatedAt, cutoff),
          or(isNull(t.lastViewedAt), lt(t.lastViewedAt, cutoff)),
          or(isNull(t.staleAskedAt), lt(t.staleAskedAt, cutoff)),
        ),
      )
      .orderBy(asc(t.updatedAt))
      .limit(limit)
      .all()
    return this.hydrate(rows)
  }

  async claimStaleAsk(itemId: number, cutoff: Date, at: Date): Promise<boolean> {
    const t = knowledgeItems
    const res = this.db
      .update(t)
      .set({ staleAskedAt: at })
      .where(and(eq(t.id, itemId), eq(t.status, 'active'), or(isNull(t.staleAskedAt), lt(t.staleAskedAt, cutoff))))
      .run()
    return res.changes === 1
  }

  async keep(workspace: WorkspaceId, id: number, at: Date): Promise<boolean> {
    const res = this.db
      .update(knowledgeItems)
      .set({ lastViewedAt: at, staleAskedAt: null, status: 'active', archivedAt: null })
      .where(and(eq(knowledgeItems.workspaceId, workspace), eq(knowledgeItems.id, id)))
      .run()
    return res.changes === 1
  }

  async termStats(workspace: WorkspaceId, terms: { key: string; match: string }[], itemIds: number[]): Promise<TermStats> {
    return this.fts.termStats(workspace, terms, itemIds)
  }

  async setSuggest(workspace: WorkspaceId, conversationId: string, on: boolean, by: string, at: Date): Promise<void> {
    const values = { workspaceId: workspace, conversationId, suggest: on, updatedBy: by, updatedAt: at }
    this.db
      .insert(knowledgeChannelSettings)
      .values(values)
      .onConflictDoUpdate({ target: [knowledgeChannelSettings.workspaceId, knowledgeChannelSettings.conversationId], set: values })
      .run()
  }

  async suggestEnabled(workspace: WorkspaceId, conversationId: string): Promise<boolean> {
    const row = this.db
      .select({ on: knowledgeChannelSettings.suggest })
      .from(knowledgeChannelSettings)
      .where(and(eq(knowledgeChannelSettings.workspaceId, workspace), eq(knowledgeChannelSettings.conversationId, conversationId)))
      .get()
    return row?.on ?? false
  }

  async removeWorkspace(workspace: WorkspaceId): Promise<number> {
    return this.db.transaction((tx) => {
      tx.delete(knowledgeChannelSettings).where(eq(knowledgeChannelSettings.workspaceId, workspace)).run()
      // Contributors, savers and tags cascade; the workspace's search index goes as a whole.
      const removed = tx.delete(knowledgeItems).where(eq(knowledgeItems.workspaceId, workspace)).run().changes
      this.indexes.drop(workspace)
      return removed
    })
  }

  private hydrate(rows: ItemRow[]): KnowledgeItem[] {
    return hydrateItems(this.db, rows)
  }
}
