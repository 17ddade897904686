/**
 * A page of /kb results read in the search statement itself: the item's columns joined on the
 * ranked ids, and its contributors, savers and tags as JSON sub-selects, instead of four more
 * queries after the search (each round trip waits its turn on a busy database host).
 */
import { type Column, getTableColumns, type SQL, sql } from 'drizzle-orm'
import type { KnowledgeItem, SaveVia, SearchHit } from '../../../core/knowledge/types.ts'
import { assembleItems } from '../../repositories/knowledge-rows.ts'
import type { PgDb } from '../db.ts'
import { knowledgeContributors, knowledgeItems as k, knowledgeSavers, knowledgeTags } from '../schema/index.ts'

/** Every item column but the search vector, which only the database needs to read. */
const { searchVector: _vector, ...itemColumns } = getTableColumns(k)
export { itemColumns }
export type PgItemRow = Omit<typeof k.$inferSelect, 'searchVector'>

const columnList = sql.join(
  Object.values(itemColumns).map((c) => sql`${k}.${sql.identifier(c.name)}`),
  sql`, `,
)

type Raw = Record<string, unknown> & { page_rank: number | string; page_broadened: boolean; page_snip: string | null }

/** The driver value of a column (timestamps come back as text through drizzle) as the row type has it. */
const fromDriver = (c: Column, v: unknown) => (v === null || v === undefined ? null : c.mapFromDriverValue(v))
const json = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T

/**
 * Runs `page` as the CTE `page` (columns id, rank, broadened, and whatever `snippet` reads) and
 * returns its hits in `order` (rank by default). `snippet` and `order` are expressions over `page` and the item's row.
 * Scores keep SQLite's bm25 sense (lower is better) so callers compare them the same way.
 */
export async function selectPage(db: PgDb, page: SQL, snippet: SQL, order: SQL = sql`page.rank desc, page.id desc`): Promise<SearchHit[]> {
  const { rows } = await db.execute<Raw>(sql`
    with page as (${page})
    select page.rank as page_rank, page.broadened as page_broadened, ${snippet} as page_snip, ${columnList},
      (select coalesce(json_agg(json_build_object('personId', c.person_id, 'displayName', c.display_name) order by c.position), '[]')
        from ${knowledgeContributors} c where c.item_id = ${k.id}) as page_contributors,
      (select coalesce(json_agg(json_build_object('personId', s.person_id, 'via', s.via, 'savedAt', s.saved_at) order by s.saved_at), '[]')
        from ${knowledgeSavers} s where s.item_id = ${k.id}) as page_savers,
      (select coalesce(json_agg(t.tag), '[]') from ${knowledgeTags} t where t.item_id = ${k.id}) as page_tags
    from page join ${k} on ${k.id} = page.id
    order by ${order}`)
  if (rows.length === 0) return []
  const items: PgItemRow[] = rows.map(
    (r) => Object.fromEntries(Object.entries(itemColumns).map(([key, c]) => [key, fromDriver(c, r[c.name])])) as PgItemRow,
  )
  const children = {
    contributors: rows.flatMap((r, i) =>
      json<{ personId: string; displayName: string }[]>(r.page_contributors).map((c) => ({ ...c, itemId: items[i]!.id })),
    ),
    savers: rows.flatMap((r, i) =>
      json<{ personId: string; via: SaveVia; savedAt: string }[]>(r.page_savers).map((s) => ({
        ...s,
        itemId: items[i]!.id,
        savedAt: new Date(s.savedAt), // json_build_object writes timestamptz as ISO 8601 with its offset
      })),
    ),
    tags: rows.flatMap((r, i) => json<string[]>(r.page_tags).map((tag) => ({ tag, itemId: items[i]!.id }))),
  }
  const assembled: KnowledgeItem[] = assembleItems(items, children)
  return rows.map((r, i) => ({
    item: assembled[i]!,
    score: Number(r.page_rank) === 0 ? 0 : -Number(r.page_rank), // never -0: a filters-only page scores 0, as on SQLite
    snippet: r.page_snip ?? '',
    ...(r.page_broadened ? { broadened: true } : {}),
  }))
}
