import { and, asc, eq, inArray, notInArray, or, type SQL, sql } from 'drizzle-orm'
import { bigint, customType, pgTable, text } from 'drizzle-orm/pg-core'
import { SNIPPET_CLOSE, SNIPPET_OPEN, type KnowledgeItem, type RepoSearch, type SearchHit, type TermStats } from '../../../core/knowledge/types.ts'
import type { WorkspaceId } from '../../../core/model.ts'
import { assembleItems } from '../../repositories/knowledge-rows.ts'
import type { PgDb } from '../db.ts'
import { knowledgeContributors, knowledgeItems as k, knowledgeSavers, knowledgeTags } from '../schema/index.ts'
import { type PgItemRow, selectPage } from './knowledge-page.ts'
import { HEADLINE_CONFIG, RANK_WEIGHTS, toTsQuery } from './knowledge-query.ts'

/**
 * What matching and ranking read, kept by triggers on knowledge_items and hash-partitioned by
 * workspace (pg migration 0006), so a workspace's vectors are read from a few hot pages instead of
 * one page of wide item rows per match. Declared here, not in schema/: drizzle-kit has no
 * partitioned tables, and nothing but the search reads it.
 */
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' })
const s = pgTable('knowledge_search', {
  id: bigint('id', { mode: 'number' }).notNull(),
  workspaceId: text('workspace_id').notNull(),
  status: text('status').notNull(),
  conversationId: text('conversation_id').notNull(),
  conversationKey: text('conversation_key').notNull(),
  searchVector: tsvector('search_vector').notNull(),
})
type Scope = typeof k | typeof s

/**
 * The expression of the workspace-scoped GIN index (pg migrations 0004 and 0006): the item's lexemes, each
 * prefixed by its workspace, so a word typed half-way (`deplo:*`) expands over the asker's
 * workspace's words only instead of every workspace's. Matched with scopedQuery; the exact
 * `search_vector @@ query` and `workspace_id =` conditions stay beside it (the scoped vector has
 * no positions, and the prefix is a hash).
 */
const scopedVector = (t: Scope) => sql`beacon_kb_scoped_vector(${t.workspaceId}, ${t.searchVector})`
const scopedQuery = (workspace: WorkspaceId, query: SQL) => sql`beacon_kb_scoped_query(${workspace}, ${query})`

const SNIPPET_WORDS = 24
// Control characters mark hits (stored text never contains them); ts_headline takes them as is.
const HEADLINE_OPTIONS =
  `StartSel=${SNIPPET_OPEN}, StopSel=${SNIPPET_CLOSE}, MaxWords=${SNIPPET_WORDS}, ` +
  'MinWords=8, ShortWord=0, MaxFragments=1, FragmentDelimiter=" … "'

/**
 * One ranked page of the items matching a core match expression in the asker's workspace: the
 * scoped GIN index narrows to the workspace's words, the exact match and workspace check keep it
 * right. Carries the headline query so snippets are cut after paging.
 */
function rankedPage(q: RepoSearch, match: string, filters: SQL, broadened: boolean): SQL {
  const query = toTsQuery(match)!
  // `workspace_id =` as a plain equality: it picks the workspace's partition while planning.
  return sql`select ${s.id} as id, ts_rank(${RANK_WEIGHTS}, ${s.searchVector}, t.query) as rank,
      t.headline, ${sql.raw(String(broadened))} as broadened
    from ${s}, (select query, ${toTsQuery(match, HEADLINE_CONFIG)!} as headline, ${scopedQuery(q.workspace, sql.raw('query'))} as scoped
      from (select ${query} as query) t0) t
    where ${s.workspaceId} = ${q.workspace} and ${scopedVector(s)} @@ t.scoped and ${s.searchVector} @@ t.query and ${filters}
    order by rank desc, ${s.id} desc limit ${q.limit} offset ${q.offset}`
}

/** The scope and filters of a search over the items (`k`) or their search rows (`s`), which share these columns. */
function filtersOn(t: Scope, q: RepoSearch): SQL {
  const where: SQL[] = [eq(t.status, 'active')]
  if (q.filters.in?.length) where.push(or(inArray(t.conversationKey, q.filters.in), inArray(t.conversationId, q.filters.in))!)
  for (const who of q.filters.from ?? []) {
    // An id, a full display name, or a first name ("from:@ada" finds "Ada Lovelace").
    const name = who.toLowerCase()
    where.push(sql`exists (select 1 from ${knowledgeContributors} c where c.item_id = ${t.id} and (c.person_id = ${who} or c.name_key = ${name}
      or (position(' ' in c.name_key) > 0 and split_part(c.name_key, ' ', 1) = ${name})))`)
  }
  for (const tag of q.filters.tag ?? []) where.push(sql`exists (select 1 from ${knowledgeTags} t where t.item_id = ${t.id} and t.tag = ${tag})`)
  if (q.exclude?.conversationIds?.length) where.push(notInArray(t.conversationId, q.exclude.conversationIds))
  if (q.exclude?.itemIds?.length) where.push(notInArray(t.id, q.exclude.itemIds))
  return and(...where)!
}

/**
 * Full-text search on PostgreSQL: the GIN-indexed `search_vector` matched with a tsquery built
 * from bound parameters (knowledge-query.ts), ranked with ts_rank, snippets from ts_headline.
 * Scoped exactly as on SQLite: the asker's workspace, active items, then the `in:`/`from:`/`tag:`
 * filters and the exclusions; who may see each hit is decided afterwards by the core.
 */
export class PgKnowledgeSearch {
  constructor(private readonly db: PgDb) {}

  async search(q: RepoSearch): Promise<SearchHit[]> {
    if (q.match === undefined) {
      // Filters only: newest first, the start of the text as the snippet.
      return selectPage(
        this.db,
        sql`select ${k.id} as id, 0 as rank, false as broadened from ${k} where ${k.workspaceId} = ${q.workspace} and ${filtersOn(k, q)}
          order by ${k.updatedAt} desc, ${k.id} desc limit ${q.limit} offset ${q.offset}`,
        sql`substr(${k.searchText}, 1, 200)`,
        sql`${k.updatedAt} desc, ${k.id} desc`,
      )
    }
    const filters = filtersOn(s, q)
    if (!toTsQuery(q.match)) return [] // a match expression with no words in it finds nothing, as an empty MATCH would
    const fallback = q.fallback !== undefined && toTsQuery(q.fallback) ? q.fallback : undefined
    // One statement whatever happens: the strict page, and only when it is empty (a one-time filter:
    // no index scan otherwise) the any-word page, so "nothing has every word" costs no second round
    // trip; the page's items come in the same statement (selectPage). Snippets are cut for the page
    // only, after ranking: ts_headline re-parses the text.
    return selectPage(
      this.db,
      sql`with strict as materialized (${rankedPage(q, q.match, filters, false)})
        ${fallback ? sql`, broad as (${rankedPage(q, fallback, sql`${filters} and not exists (select 1 from strict)`, true)})` : sql``}
        select * from strict ${fallback ? sql`union all select * from broad` : sql``}`,
      sql`ts_headline(${HEADLINE_CONFIG}, ${k.searchText}, page.headline, ${HEADLINE_OPTIONS})`,
    )
  }

  async termStats(workspace: WorkspaceId, terms: { key: string; match: string }[], itemIds: number[]): Promise<TermStats> {
    const active = and(eq(k.workspaceId, workspace), eq(k.status, 'active'))
    const [count] = await this.db.select({ n: sql<string>`count(*)` }).from(k).where(active)
    const docFreq = new Map<string, number>()
    const matched = new Map<number, Set<string>>(itemIds.map((id) => [id, new Set<string>()]))
    for (const { key, match } of terms) {
      const query = toTsQuery(match)
      if (!query) {
        docFreq.set(key, 0)
        continue
      }
      const [df] = await this.db
        .select({ n: sql<string>`count(*)` })
        .from(k)
        .where(and(active, sql`${scopedVector(k)} @@ ${scopedQuery(workspace, query)} and ${k.searchVector} @@ (${query})`))
      docFreq.set(key, Number(df?.n ?? 0))
      if (itemIds.length === 0) continue
      const hits = await this.db
        .select({ id: k.id })
        .from(k)
        .where(and(inArray(k.id, itemIds), sql`${k.searchVector} @@ (${query})`))
      for (const h of hits) matched.get(h.id)?.add(key)
    }
    return { total: Number(count?.n ?? 0), docFreq, matched }
  }
}

export async function hydrateItems(db: PgDb, rows: PgItemRow[]): Promise<KnowledgeItem[]> {
  if (rows.length === 0) return []
  const ids = rows.map((r) => r.id)
  const [contributors, savers, tags] = await Promise.all([
    db.select().from(knowledgeContributors).where(inArray(knowledgeContributors.itemId, ids)).orderBy(asc(knowledgeContributors.position)),
    db.select().from(knowledgeSavers).where(inArray(knowledgeSavers.itemId, ids)).orderBy(asc(knowledgeSavers.savedAt)),
    db.select().from(knowledgeTags).where(inArray(knowledgeTags.itemId, ids)),
  ])
  return assembleItems(rows, { contributors, savers, tags })
}
