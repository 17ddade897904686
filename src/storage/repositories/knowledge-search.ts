import type { RepoSearch, SearchHit, TermStats } from '../../core/knowledge/types.ts'
import type { WorkspaceId } from '../../core/model.ts'
import type { Db } from '../db.ts'
import type { KnowledgeIndexes } from './knowledge-index.ts'
import { loadItems } from './knowledge-rows.ts'

const SNIPPET_TOKENS = 24

/**
 * The FTS5 side of the knowledge repository, in raw SQL. Every query opens only the asker's
 * workspace's index (knowledge-index.ts), and checks workspace id and active status again in SQL;
 * user text only ever arrives as a bound MATCH parameter built from quoted FTS5 strings
 * (core/knowledge/search-query.ts).
 */
export class KnowledgeFts {
  constructor(
    private readonly db: Db,
    private readonly indexes: KnowledgeIndexes,
  ) {}

  async search(q: RepoSearch): Promise<SearchHit[]> {
    const where: string[] = ['k.workspace_id = ?', "k.status = 'active'"]
    const params: unknown[] = [q.workspace]
    if (q.filters.in?.length) {
      const marks = q.filters.in.map(() => '?').join(', ')
      where.push(`(k.conversation_key IN (${marks}) OR k.conversation_id IN (${marks}))`)
      params.push(...q.filters.in, ...q.filters.in)
    }
    for (const who of q.filters.from ?? []) {
      // An id, a full display name, or a first name ("from:@ada" finds "Ada Lovelace").
      where.push(`EXISTS (SELECT 1 FROM knowledge_contributors c WHERE c.item_id = k.id AND (c.person_id = ? OR c.name_key = ?
        OR (instr(c.name_key, ' ') > 0 AND substr(c.name_key, 1, instr(c.name_key, ' ') - 1) = ?)))`)
      params.push(who, who.toLowerCase(), who.toLowerCase())
    }
    for (const tag of q.filters.tag ?? []) {
      where.push('EXISTS (SELECT 1 FROM knowledge_tags t WHERE t.item_id = k.id AND t.tag = ?)')
      params.push(tag)
    }
    const skipConvs = q.exclude?.conversationIds ?? []
    if (skipConvs.length) {
      where.push(`k.conversation_id NOT IN (${skipConvs.map(() => '?').join(', ')})`)
      params.push(...skipConvs)
    }
    const skipIds = q.exclude?.itemIds ?? []
    if (skipIds.length) {
      where.push(`k.id NOT IN (${skipIds.map(() => '?').join(', ')})`)
      params.push(...skipIds)
    }
    let sqlText: string
    if (q.match !== undefined) {
      const fts = this.indexes.existing(q.workspace)
      if (!fts) return [] // the workspace has never saved anything
      // rank is bm25(10, 1, 5) (configured when the index is created): title above tags above body.
      sqlText = `SELECT k.id AS id, "${fts}".rank AS score, snippet("${fts}", 1, char(2), char(3), '…', ${SNIPPET_TOKENS}) AS snip
        FROM "${fts}" JOIN knowledge_items k ON k.id = "${fts}".rowid
        WHERE "${fts}" MATCH ? AND ${where.join(' AND ')}
        ORDER BY "${fts}".rank LIMIT ? OFFSET ?`
      params.unshift(q.match)
    } else {
      sqlText = `SELECT k.id AS id, 0 AS score, substr(k.search_text, 1, 200) AS snip
        FROM knowledge_items k WHERE ${where.join(' AND ')}
        ORDER BY k.updated_at DESC, k.id DESC LIMIT ? OFFSET ?`
    }
    params.push(q.limit, q.offset)
    const rows = this.indexes.prepare(sqlText).all(...params) as { id: number; score: number; snip: string | null }[]
    if (rows.length === 0) return []
    const items = new Map(
      loadItems(
        this.db,
        rows.map((r) => r.id),
      ).map((i) => [i.id, i]),
    )
    const hits: SearchHit[] = []
    for (const r of rows) {
      const item = items.get(r.id)
      if (item) hits.push({ item, score: r.score, snippet: r.snip ?? '' })
    }
    return hits
  }

  async termStats(workspace: WorkspaceId, terms: { key: string; match: string }[], itemIds: number[]): Promise<TermStats> {
    const total = (
      this.indexes.prepare("SELECT count(*) AS n FROM knowledge_items WHERE workspace_id = ? AND status = 'active'").get(workspace) as { n: number }
    ).n
    const docFreq = new Map<string, number>()
    const matched = new Map<number, Set<string>>(itemIds.map((id) => [id, new Set<string>()]))
    const fts = this.indexes.existing(workspace)
    if (!fts) return { total, docFreq: new Map(terms.map((t) => [t.key, 0])), matched }
    const df = this.indexes.prepare(
      `SELECT count(*) AS n FROM "${fts}" JOIN knowledge_items k ON k.id = "${fts}".rowid
       WHERE "${fts}" MATCH ? AND k.workspace_id = ? AND k.status = 'active'`,
    )
    const marks = itemIds.map(() => '?').join(', ')
    const hit = itemIds.length ? this.indexes.prepare(`SELECT rowid AS id FROM "${fts}" WHERE "${fts}" MATCH ? AND rowid IN (${marks})`) : undefined
    for (const { key, match } of terms) {
      docFreq.set(key, (df.get(match, workspace) as { n: number }).n)
      for (const r of (hit?.all(match, ...itemIds) ?? []) as { id: number }[]) matched.get(r.id)?.add(key)
    }
    return { total, docFreq, matched }
  }
}
