/**
 * Loading the PostgreSQL knowledge bench's items. `saveEach` goes through PgKnowledgeRepository.upsert
 * (what Beacon does for one capture); `bulkLoad` writes the same rows thousands per statement:
 * one `INSERT … SELECT FROM unnest(…)` per batch with the contributors, tags and savers in the
 * same statement, the search vector built by the repository's own expression over text folded
 * by the repository's own function, and the secondary indexes dropped before and rebuilt after
 * (knowledge_search, the search's copy of each item, is written by the items' triggers, pg migration 0006).
 * tests/bench/knowledge-pg-load.test.ts checks both give the same rows.
 */
import { getTableColumns, sql } from 'drizzle-orm'
import { PgDialect } from 'drizzle-orm/pg-core'
import type { ItemContent } from '../src/core/knowledge/types.ts'
import type { PgDb } from '../src/storage/pg/db.ts'
import { foldForSearch, weightedVector } from '../src/storage/pg/repositories/knowledge-query.ts'
import { knowledgeItems } from '../src/storage/pg/schema/index.ts'
import { itemValues } from '../src/storage/repositories/knowledge-rows.ts'
import { postgresRepositories } from '../src/storage/pg/repositories/index.ts'
import type { SyntheticItem } from './knowledge-corpus.ts'

/** One capture as the bench saves it: content, when, and who saved it. */
export function captureOf(it: SyntheticItem): { content: ItemContent; now: Date; saver: { personId: string; via: 'reaction' } } {
  const person = `U${it.index % 50}`
  return {
    content: {
      workspace: it.workspace,
      threadId: `${it.workspace}:C${it.channel}:${it.index}.1`,
      conversation: { id: `C${it.channel}`, name: `channel-${it.channel}`, privacy: it.privacy },
      rootMessageId: `${it.index}.1`,
      title: it.title,
      body: it.body,
      searchText: it.body,
      tags: it.tag ? [it.tag] : [],
      contributors: [{ personId: person, displayName: `Person${it.index % 50}` }],
      permalink: `https://example.slack.com/archives/C${it.channel}/p${it.index}`,
      messageCount: 4,
    },
    now: new Date(it.at),
    saver: { personId: person, via: 'reaction' },
  }
}

/** Saves each item through the repository, `concurrency` at a time (the pool's default size is 10). */
export async function saveEach(db: PgDb, items: Iterator<SyntheticItem>, concurrency = 8): Promise<void> {
  const repo = postgresRepositories(db).knowledge
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let next = items.next(); !next.done; next = items.next()) {
        const { content, now, saver } = captureOf(next.value)
        await repo.upsert(content, { now, saver, reactivate: true })
      }
    }),
  )
}

const ITEM_COLUMNS = getTableColumns(knowledgeItems)
type ItemKey = keyof ReturnType<typeof itemValues>

/** The item columns itemValues fills, with their SQL names and array types, in one fixed order. */
function itemShape(sample: ReturnType<typeof itemValues>): { key: ItemKey; name: string; type: string }[] {
  return (Object.keys(sample) as ItemKey[]).map((key) => {
    const col = ITEM_COLUMNS[key]
    return { key, name: col.name, type: `${col.getSQLType()}[]` }
  })
}

/** A batch as column arrays: items (keyed by thread), then contributors, tags and savers keyed the same way. */
function columns(batch: SyntheticItem[]) {
  const captures = batch.map(captureOf)
  const rows = captures.map((c) => itemValues(c.content, c.now))
  const shape = itemShape(rows[0]!)
  const item = shape.map((s) => rows.map((r) => r[s.key]))
  const folded = [rows.map((r) => foldForSearch(r.title)), rows.map((r) => foldForSearch(r.tagsText)), rows.map((r) => foldForSearch(r.searchText))]
  const contributors = captures.flatMap((c) =>
    c.content.contributors.map((p, i) => [c.content.workspace, c.content.threadId, p.personId, p.displayName, p.displayName.toLowerCase(), i]),
  )
  const tags = captures.flatMap((c) => c.content.tags.map((t) => [c.content.workspace, c.content.threadId, t]))
  const savers = captures.map((c) => [c.content.workspace, c.content.threadId, c.saver.personId, c.saver.via, c.now])
  const transpose = (rs: unknown[][], width: number) => Array.from({ length: width }, (_, j) => rs.map((r) => r[j]))
  return { shape, params: [...item, ...folded, ...transpose(contributors, 6), ...transpose(tags, 3), ...transpose(savers, 5)] }
}

/** The statement for one batch: $1…$n item columns, then the folded texts, contributors, tags, savers. */
function insertStatement(shape: { name: string; type: string }[]): string {
  let n = 0
  const arrays = (types: string[]) => types.map((t) => `$${++n}::${t}`).join(', ')
  const items = arrays(shape.map((s) => s.type))
  const folded = arrays(['text[]', 'text[]', 'text[]'])
  const contributors = arrays(['text[]', 'text[]', 'text[]', 'text[]', 'text[]', 'int[]'])
  const tags = arrays(['text[]', 'text[]', 'text[]'])
  const savers = arrays(['text[]', 'text[]', 'text[]', 'text[]', 'timestamptz[]'])
  const names = shape.map((s) => s.name)
  const vector = new PgDialect().sqlToQuery(weightedVector({ title: sql.raw('ft'), tags: sql.raw('fg'), text: sql.raw('fx') })).sql
  return `with src as (select * from unnest(${items}, ${folded}) as s(${names.join(', ')}, ft, fg, fx)),
    ins as (insert into knowledge_items (${names.join(', ')}, search_vector)
      select ${names.join(', ')}, ${vector} from src
      returning id, workspace_id, thread_id),
    c as (insert into knowledge_contributors (item_id, person_id, display_name, name_key, position)
      select ins.id, x.p, x.d, x.k, x.i from unnest(${contributors}) as x(w, t, p, d, k, i)
      join ins on ins.workspace_id = x.w and ins.thread_id = x.t on conflict do nothing),
    g as (insert into knowledge_tags (item_id, tag)
      select ins.id, x.tag from unnest(${tags}) as x(w, t, tag) join ins on ins.workspace_id = x.w and ins.thread_id = x.t on conflict do nothing),
    v as (insert into knowledge_savers (item_id, person_id, via, saved_at)
      select ins.id, x.p, x.v, x.at from unnest(${savers}) as x(w, t, p, v, at) join ins on ins.workspace_id = x.w and ins.thread_id = x.t)
    select count(*)::int as n from ins`
}

const TABLES = ['knowledge_items', 'knowledge_contributors', 'knowledge_tags', 'knowledge_savers', 'knowledge_search']
/** A partitioned table's index is defined `ON ONLY` the parent; rebuilt on the parent, it is built on every partition. */
const onEveryPartition = (def: string) => def.replace(/ ON ONLY /, ' ON ')

/**
 * Inserts every item in batches (`inFlight` statements at once, so Node builds the next batch while
 * PostgreSQL writes one), with the secondary indexes dropped meanwhile and rebuilt from their own
 * definitions after: building a GIN index once is far cheaper than growing it row by row.
 * New items only, into an empty table (no upsert).
 */
export async function bulkLoad(
  db: PgDb,
  items: Iterable<SyntheticItem>,
  opts: { batch?: number; inFlight?: number } = {},
): Promise<{ insertS: number; indexS: number }> {
  const size = opts.batch ?? 5000
  const t0 = performance.now()
  const pool = db.$client
  const { rows: indexes } = await pool.query<{ name: string; def: string }>(
    `select quote_ident(i.indexname) as name, i.indexdef as def from pg_indexes i
     where i.schemaname = current_schema() and i.tablename = any($1)
       and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`,
    [TABLES],
  )
  for (const ix of indexes) await pool.query(`drop index ${ix.name}`)
  let statement: string | undefined
  const pending = new Set<Promise<unknown>>()
  const flush = async (batch: SyntheticItem[]) => {
    const { shape, params } = columns(batch)
    statement ??= insertStatement(shape)
    const p = pool.query(statement, params).finally(() => pending.delete(p))
    pending.add(p)
    if (pending.size >= (opts.inFlight ?? 2)) await Promise.race(pending)
  }
  let batch: SyntheticItem[] = []
  for (const it of items) {
    batch.push(it)
    if (batch.length === size) {
      await flush(batch)
      batch = []
    }
  }
  if (batch.length > 0) await flush(batch)
  await Promise.all(pending)
  const t1 = performance.now()
  // Two builders (the machine has two cores), the largest index (the GIN) first.
  const queue = [...indexes].sort((a, b) => Number(b.def.includes('USING gin')) - Number(a.def.includes('USING gin')))
  await Promise.all(
    [0, 1].map(async () => {
      const client = await pool.connect()
      try {
        await client.query("set maintenance_work_mem = '256MB'")
        for (let ix = queue.shift(); ix; ix = queue.shift()) await client.query(onEveryPartition(ix.def))
      } finally {
        client.release()
      }
    }),
  )
  await pool.query(`vacuum (analyze) ${TABLES.join(', ')}`)
  return { insertS: (t1 - t0) / 1000, indexS: (performance.now() - t1) / 1000 }
}
