/**
 * /kb latency on PostgreSQL: the full path (parse → tsvector/GIN search with ts_rank and the
 * workspace/status scope → ts_headline → hydrate → permission filter) through
 * PgKnowledgeRepository, beside a bare `tsv @@ websearch_to_tsquery … ORDER BY ts_rank LIMIT 10`
 * over the same table (every workspace), alternating, same queries, same run.
 * Runs in a fresh database `beacon_bench_<random>` on PG_URL, dropped at the end (also on error);
 * skipped with one line when PostgreSQL cannot be reached.
 *
 *   npx tsx bench/knowledge-search-pg.ts     (PG_URL=postgres://postgres@127.0.0.1:5432/postgres  BENCH_PG_ITEMS=20000  BENCH_QUERIES=300)
 */
import { randomBytes } from 'node:crypto'
import { sql } from 'drizzle-orm'
import pg from 'pg'
import { resolveDeps } from '../src/core/knowledge/deps.ts'
import { KnowledgeSearch } from '../src/core/knowledge/search.ts'
import { parseQuery } from '../src/core/knowledge/search-query.ts'
import type { JobQueue } from '../src/core/ports.ts'
import { closePostgres, openPostgres, type PgDb, redactUrl } from '../src/storage/pg/db.ts'
import { foldForSearch, RANK_WEIGHTS, TS_CONFIG } from '../src/storage/pg/repositories/knowledge-query.ts'
import { postgresRepositories } from '../src/storage/pg/repositories/index.ts'
import { fakePlatforms, queries, type SyntheticItem, syntheticItems } from './knowledge-corpus.ts'
import { pct } from './knowledge-search.ts'
import { runIfMain } from './run-if-main.ts'
import { addIssueRow } from './summary.ts'

const WS = 'slack:T0'
const WORKSPACES = 5
/** Saves in flight at once while loading (the pool's default size is 10). */
const LOAD_CONCURRENCY = 8

function databaseUrl(base: string, name: string): string {
  const u = new URL(base)
  u.pathname = `/${name}`
  return u.toString()
}

/** Every item saved through the repository, so the search vector is exactly what Beacon writes. */
async function load(db: PgDb, count: number): Promise<void> {
  const repo = postgresRepositories(db).knowledge
  const items = syntheticItems(count, count, { workspaces: WORKSPACES })
  const save = async (it: SyntheticItem) => {
    const person = `U${it.index % 50}`
    await repo.upsert(
      {
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
      { now: new Date(it.at), saver: { personId: person, via: 'reaction' }, reactivate: true },
    )
  }
  // One generator shared by a few workers: each takes the next item when its save is done.
  await Promise.all(
    Array.from({ length: LOAD_CONCURRENCY }, async () => {
      for (let next = items.next(); !next.done; next = items.next()) await save(next.value)
    }),
  )
  await db.$client.query('ANALYZE knowledge_items')
}

async function latency(db: PgDb, nQueries: number) {
  const repos = postgresRepositories(db)
  const search = new KnowledgeSearch(
    resolveDeps({
      repo: repos.knowledge,
      people: repos.people,
      conversations: repos.conversations,
      platforms: fakePlatforms(),
      queue: {} as JobQueue,
    }),
  )
  // The floor: the same words (filters left out, as on SQLite) as plain websearch text; no prefix matching.
  const bare = (text: string) =>
    db.execute(sql`SELECT id, ts_rank(${RANK_WEIGHTS}, search_vector, q) AS rank
      FROM knowledge_items, websearch_to_tsquery(${TS_CONFIG}, ${text}) q WHERE search_vector @@ q ORDER BY rank DESC LIMIT 10`)
  // The same words (filters left out, as on SQLite) as plain websearch text: no prefix matching there.
  const words = (q: string) =>
    foldForSearch(
      parseQuery(q)
        .terms.map((t) => t.text)
        .join(' '),
    )
  const qs = queries(nQueries, 99)
  for (const q of qs.slice(0, 20)) {
    await search.search(WS, 'U1', q) // warm caches and the pool
    await bare(words(q))
  }
  const full: number[] = []
  const raw: number[] = []
  let found = 0
  for (const q of qs) {
    const text = words(q)
    let s = performance.now()
    if (text) await bare(text)
    raw.push(performance.now() - s)
    s = performance.now()
    found += (await search.search(WS, 'U1', q)).hits.length > 0 ? 1 : 0
    full.push(performance.now() - s)
  }
  return { fullP50: pct(full, 50), fullP99: pct(full, 99), bareP50: pct(raw, 50), bareP99: pct(raw, 99), withResults: found / qs.length }
}

export async function main(opts: { items?: number; queries?: number } = {}): Promise<void> {
  const base = process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
  const size = opts.items ?? Number(process.env.BENCH_PG_ITEMS ?? 20_000)
  const n = opts.queries ?? Number(process.env.BENCH_QUERIES ?? 300)
  const admin = new pg.Client({ connectionString: base, connectionTimeoutMillis: 3000 })
  try {
    await admin.connect()
  } catch (err) {
    console.log(`knowledge-pg: skipped, PostgreSQL unreachable at ${redactUrl(base)} (${err instanceof Error ? err.message : String(err)})`)
    return
  }
  const name = `beacon_bench_${randomBytes(6).toString('hex')}`
  let db: PgDb | undefined
  try {
    await admin.query(`CREATE DATABASE ${name}`)
    db = await openPostgres(databaseUrl(base, name))
    console.log(`knowledge search on PostgreSQL (database ${name}): ${n} queries, asked in one workspace, 20% private channels`)
    console.log('floor = bare PostgreSQL FTS: tsv @@ websearch_to_tsquery over every item of every workspace, ORDER BY ts_rank LIMIT 10')
    const t0 = performance.now()
    await load(db, size)
    const loadS = (performance.now() - t0) / 1000
    const r = await latency(db, n)
    const ratio99 = r.fullP99 / r.bareP99
    const f = (x: number, d = 2) => x.toFixed(d).padStart(10)
    console.log('items    wss  load s   /kb p50 ms  /kb p99 ms  bare p50 ms  bare p99 ms  ratio p50  ratio p99  with hits')
    console.log(
      `${String(size).padEnd(8)}${String(WORKSPACES).padStart(4)}${f(loadS, 1)}  ${f(r.fullP50)}  ${f(r.fullP99)}  ` +
        `${f(r.bareP50)}   ${f(r.bareP99)}  ${f(r.fullP50 / r.bareP50, 1)}x ${f(ratio99, 1)}x  ${(r.withResults * 100).toFixed(0).padStart(6)}%`,
    )
    addIssueRow({
      what: `/kb p99 on PostgreSQL at ${size.toLocaleString('en')} items (${WORKSPACES} workspaces)`,
      beacon: `${r.fullP99.toFixed(1)} ms`,
      floor: `bare PG FTS (all workspaces): ${r.bareP99.toFixed(1)} ms`,
      ratio: `×${ratio99.toFixed(2)}`,
      goal: 'p99 ≤ 1.5× bare',
      met: ratio99 <= 1.5,
    })
  } finally {
    if (db) await closePostgres(db)
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch((err: unknown) => console.error(`could not drop ${name}:`, err))
    await admin.end()
  }
}

runIfMain(import.meta.url, main)
