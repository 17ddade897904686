import type { Statement } from 'better-sqlite3'
import type { RepoSearch, SearchHit, TermStats } from '../../core/knowledge/types.ts'
import type { WorkspaceId } from '../../core/model.ts'
import type { Db } from '../db.ts'
import { loadItems } from './knowledge-rows.ts'

const SNIPPET_TOKENS = 24

/**
 * The MATCH for one workspace: its scope token (migration 0019 indexes 'w' || hex(workspace_id) in
 * the `scope` column) ANDed with the person's terms, which only look at the text columns. FTS5
 * intersects the doclists before ranking, so other workspaces' rows are never ranked or read.
 */
export function scopedMatch(workspace: WorkspaceId, match: string): string {
  const token = `w${Buffer.from(workspace, 'utf8').toString('hex').toUpperCase()}`
  return `scope : ${token} AND {title search_text tags_text} : (${match})`
}

/**
 * The FTS5 side of the knowledge repository, in raw SQL. Every query is scoped by workspace inside
 * the MATCH (scopedMatch) and again by workspace id and active status in SQL; user text only ever arrives as a bound MATCH parameter built from quoted
 * FTS5 strings (core/knowledge/search-query.ts).
 */
export class KnowledgeFts {
  private readonly statements = new Map<string, Statement>()

  constructor(private readonly db: Db) {}

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
      // rank is bm25(10, 1, 5) (configured in the migration): title above tags above body.
      sqlText = `SELECT k.id AS id, knowledge_fts.rank AS score,
          snippet(knowledge_fts, 1, char(2), char(3), '…', ${SNIPPET_TOKENS}) AS snip
        FROM knowledge_fts JOIN knowledge_items k ON k.id = knowledge_fts.rowid
        WHERE knowledge_fts MATCH ? AND ${where.join(' AND ')}
        ORDER BY knowledge_fts.rank LIMIT ? OFFSET ?`
      params.unshift(scopedMatch(q.workspace, q.match))
    } else {
      sqlText = `SELECT k.id AS id, 0 AS score, substr(k.search_text, 1, 200) AS snip
        FROM knowledge_items k WHERE ${where.join(' AND ')}
        ORDER BY k.updated_at DESC, k.id DESC LIMIT ? OFFSET ?`
    }
    params.push(q.limit, q.offset)
    const rows = this.prepare(sqlText).all(...params) as { id: number; score: number; snip: string | null }[]
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
      this.prepare("SELECT count(*) AS n FROM knowledge_items WHERE workspace_id = ? AND status = 'active'").get(workspace) as { n: number }
    ).n
    const docFreq = new Map<string, number>()
    const matched = new Map<number, Set<string>>(itemIds.map((id) => [id, new Set<string>()]))
    const df = this.prepare(
      `SELECT count(*) AS n FROM knowledge_fts JOIN knowledge_items k ON k.id = knowledge_fts.rowid
       WHERE knowledge_fts MATCH ? AND k.workspace_id = ? AND k.status = 'active'`,
    )
    const marks = itemIds.map(() => '?').join(', ')
    const hit = itemIds.length ? this.prepare(`SELECT rowid AS id FROM knowledge_fts WHERE knowledge_fts MATCH ? AND rowid IN (${marks})`) : undefined
    for (const { key, match } of terms) {
      docFreq.set(key, (df.get(scopedMatch(workspace, match), workspace) as { n: number }).n)
      for (const r of (hit?.all(match, ...itemIds) ?? []) as { id: number }[]) matched.get(r.id)?.add(key)
    }
    return { total, docFreq, matched }
  }

  private prepare(text: string): Statement {
    let s = this.statements.get(text)
    if (!s) {
      s = this.db.$client.prepare(text)
      this.statements.set(text, s)
    }
    return s
  }
}
