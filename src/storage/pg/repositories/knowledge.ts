import { and, asc, desc, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm'
import type { WorkspaceId } from '../../../core/model.ts'
import type { ThreadId } from '../../../core/thread-id.ts'
import type {
  ItemContent,
  ItemStatus,
  KnowledgeItem,
  KnowledgeRepository,
  RepoSearch,
  SaveVia,
  SearchHit,
  TermStats,
} from '../../../core/knowledge/types.ts'
import type { PgDb } from '../db.ts'
import { knowledgeChannelSettings, knowledgeContributors, knowledgeItems as k, knowledgeSavers, knowledgeTags } from '../schema/index.ts'
import { itemResaveSet, itemValues } from '../../repositories/knowledge-rows.ts'
import { searchVector } from './knowledge-query.ts'
import { itemColumns } from './knowledge-page.ts'
import { hydrateItems, PgKnowledgeSearch } from './knowledge-search.ts'

type Tx = Parameters<Parameters<PgDb['transaction']>[0]>[0]

/**
 * PostgreSQL implementation of the knowledge port, the same behaviour as the SQLite one (the
 * contract suite in tests/storage/contract runs both). The search vector is written here, in the
 * same transaction as every change of title, body or tags.
 */
export class PgKnowledgeRepository implements KnowledgeRepository {
  private readonly fts: PgKnowledgeSearch

  constructor(private readonly db: PgDb) {
    this.fts = new PgKnowledgeSearch(db)
  }

  async upsert(c: ItemContent, opts: { now: Date; saver?: { personId: string; via: SaveVia }; reactivate: boolean }): Promise<KnowledgeItem> {
    const values = itemValues(c, opts.now)
    const id = await this.db.transaction(async (tx) => {
      // The unique (workspace_id, thread_id) index turns a second save or a racing job into an update.
      const [row] = await tx
        .insert(k)
        .values(values)
        .onConflictDoUpdate({
          target: [k.workspaceId, k.threadId],
          set: itemResaveSet(k, opts.reactivate),
        })
        .returning({ id: k.id, title: k.title, tagsText: k.tagsText, searchText: k.searchText })
      const item = row!
      await this.index(tx, item.id, item)
      await tx.delete(knowledgeContributors).where(eq(knowledgeContributors.itemId, item.id))
      if (c.contributors.length > 0) {
        await tx
          .insert(knowledgeContributors)
          .values(
            c.contributors.map((p, i) => ({
              itemId: item.id,
              personId: p.personId,
              displayName: p.displayName,
              nameKey: p.displayName.toLowerCase(),
              position: i,
            })),
          )
          .onConflictDoNothing()
      }
      await tx.delete(knowledgeTags).where(eq(knowledgeTags.itemId, item.id))
      if (c.tags.length > 0) {
        await tx
          .insert(knowledgeTags)
          .values(c.tags.map((tag) => ({ itemId: item.id, tag })))
          .onConflictDoNothing()
      }
      if (opts.saver) {
        await tx
          .insert(knowledgeSavers)
          .values({ itemId: item.id, personId: opts.saver.personId, via: opts.saver.via, savedAt: opts.now })
          .onConflictDoNothing()
      }
      return item.id
    })
    const item = await this.get(c.workspace, id)
    if (!item) throw new Error(`knowledge item ${id} vanished after upsert`)
    return item
  }

  /** Rewrites the item's search vector from its stored title, tags and text. */
  private async index(tx: Tx, id: number, doc: { title: string; tagsText: string; searchText: string }): Promise<void> {
    await tx
      .update(k)
      .set({ searchVector: searchVector(doc) })
      .where(eq(k.id, id))
  }

  async addSaver(itemId: number, saver: { personId: string; via: SaveVia }, at: Date): Promise<void> {
    await this.db.insert(knowledgeSavers).values({ itemId, personId: saver.personId, via: saver.via, savedAt: at }).onConflictDoNothing()
  }

  async get(workspace: WorkspaceId, id: number): Promise<KnowledgeItem | undefined> {
    return this.first(and(eq(k.workspaceId, workspace), eq(k.id, id)))
  }

  async getByThread(workspace: WorkspaceId, threadId: ThreadId): Promise<KnowledgeItem | undefined> {
    return this.first(and(eq(k.workspaceId, workspace), eq(k.threadId, threadId)))
  }

  private async first(where: ReturnType<typeof and>): Promise<KnowledgeItem | undefined> {
    const rows = await this.db.select(itemColumns).from(k).where(where).limit(1)
    return (await hydrateItems(this.db, rows))[0]
  }

  async isSavedThread(workspace: WorkspaceId, threadId: ThreadId): Promise<boolean> {
    const rows = await this.db
      .select({ id: k.id })
      .from(k)
      .where(and(eq(k.workspaceId, workspace), eq(k.threadId, threadId), eq(k.status, 'active')))
      .limit(1)
    return rows.length > 0
  }

  async claimConfirmation(itemId: number, at: Date): Promise<boolean> {
    const res = await this.db
      .update(k)
      .set({ confirmedAt: at })
      .where(and(eq(k.id, itemId), isNull(k.confirmedAt)))
    return res.rowCount === 1
  }

  async releaseConfirmation(itemId: number): Promise<void> {
    await this.db.update(k).set({ confirmedAt: null }).where(eq(k.id, itemId))
  }

  async setConfirmationMessage(itemId: number, messageId: string): Promise<void> {
    await this.db.update(k).set({ confirmationMessageId: messageId }).where(eq(k.id, itemId))
  }

  async setStatus(workspace: WorkspaceId, id: number, status: ItemStatus, at: Date): Promise<boolean> {
    const res = await this.db
      .update(k)
      .set({ status, archivedAt: status === 'archived' ? at : null })
      .where(and(eq(k.workspaceId, workspace), eq(k.id, id)))
    return res.rowCount === 1
  }

  async archiveThread(workspace: WorkspaceId, threadId: ThreadId, at: Date): Promise<boolean> {
    const res = await this.db
      .update(k)
      .set({ status: 'archived', archivedAt: at })
      .where(and(eq(k.workspaceId, workspace), eq(k.threadId, threadId), eq(k.status, 'active')))
    return res.rowCount === 1
  }

  async restrictConversation(workspace: WorkspaceId, conversationId: string): Promise<number> {
    const res = await this.db
      .update(k)
      .set({ privacy: 'private' })
      .where(and(eq(k.workspaceId, workspace), eq(k.conversationId, conversationId), eq(k.privacy, 'public')))
    return res.rowCount ?? 0
  }

  async rename(workspace: WorkspaceId, id: number, title: string, at: Date): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx
        .update(k)
        .set({ title, titleEdited: true, updatedAt: at })
        .where(and(eq(k.workspaceId, workspace), eq(k.id, id)))
        .returning({ title: k.title, tagsText: k.tagsText, searchText: k.searchText })
      if (!row) return false
      await this.index(tx, id, row)
      return true
    })
  }

  async markViewed(ids: number[], at: Date): Promise<void> {
    if (ids.length === 0) return
    await this.db.update(k).set({ lastViewedAt: at }).where(inArray(k.id, ids))
  }

  async search(q: RepoSearch): Promise<SearchHit[]> {
    return this.fts.search(q)
  }

  async recent(workspace: WorkspaceId, opts: { limit: number; savedBy?: string }): Promise<KnowledgeItem[]> {
    const conds = [eq(k.workspaceId, workspace), eq(k.status, 'active')]
    if (opts.savedBy !== undefined) {
      conds.push(sql`EXISTS (SELECT 1 FROM ${knowledgeSavers} s WHERE s.item_id = ${k.id} AND s.person_id = ${opts.savedBy})`)
    }
    const rows = await this.db
      .select(itemColumns)
      .from(k)
      .where(and(...conds))
      .orderBy(desc(k.updatedAt), desc(k.id))
      .limit(opts.limit)
    return hydrateItems(this.db, rows)
  }

  async findStale(cutoff: Date, limit: number): Promise<KnowledgeItem[]> {
    const rows = await this.db
      .select(itemColumns)
      .from(k)
      .where(
        and(
          eq(k.status, 'active'),
          lt(k.updatedAt, cutoff),
          or(isNull(k.lastViewedAt), lt(k.lastViewedAt, cutoff)),
          or(isNull(k.staleAskedAt), lt(k.staleAskedAt, cutoff)),
        ),
      )
      .orderBy(asc(k.updatedAt), asc(k.id))
      .limit(limit)
    return hydrateItems(this.db, rows)
  }

  async claimStaleAsk(itemId: number, cutoff: Date, at: Date): Promise<boolean> {
    const res = await this.db
      .update(k)
      .set({ staleAskedAt: at })
      .where(and(eq(k.id, itemId), eq(k.status, 'active'), or(isNull(k.staleAskedAt), lt(k.staleAskedAt, cutoff))))
    return res.rowCount === 1
  }

  async keep(workspace: WorkspaceId, id: number, at: Date): Promise<boolean> {
    const res = await this.db
      .update(k)
      .set({ lastViewedAt: at, staleAskedAt: null, status: 'active', archivedAt: null })
      .where(and(eq(k.workspaceId, workspace), eq(k.id, id)))
    return res.rowCount === 1
  }

  async termStats(workspace: WorkspaceId, terms: { key: string; match: string }[], itemIds: number[]): Promise<TermStats> {
    return this.fts.termStats(workspace, terms, itemIds)
  }

  async setSuggest(workspace: WorkspaceId, conversationId: string, on: boolean, by: string, at: Date): Promise<void> {
    const values = { workspaceId: workspace, conversationId, suggest: on, updatedBy: by, updatedAt: at }
    await this.db
      .insert(knowledgeChannelSettings)
      .values(values)
      .onConflictDoUpdate({ target: [knowledgeChannelSettings.workspaceId, knowledgeChannelSettings.conversationId], set: values })
  }

  async suggestEnabled(workspace: WorkspaceId, conversationId: string): Promise<boolean> {
    const [row] = await this.db
      .select({ on: knowledgeChannelSettings.suggest })
      .from(knowledgeChannelSettings)
      .where(and(eq(knowledgeChannelSettings.workspaceId, workspace), eq(knowledgeChannelSettings.conversationId, conversationId)))
    return row?.on ?? false
  }

  async removeWorkspace(workspace: WorkspaceId): Promise<number> {
    return this.db.transaction(async (tx) => {
      await tx.delete(knowledgeChannelSettings).where(eq(knowledgeChannelSettings.workspaceId, workspace))
      // Contributors, savers and tags cascade.
      return (await tx.delete(k).where(eq(k.workspaceId, workspace))).rowCount ?? 0
    })
  }
}
