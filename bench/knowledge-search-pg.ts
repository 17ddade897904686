/**
 * /kb latency on PostgreSQL: the full path up to the reply (parse → tsvector/GIN search with ts_rank
 * and the workspace/status scope → ts_headline → hydrate → permission filter) through
 * PgKnowledgeRepository, beside the bare floor: the same tsquery (prefixes included, as the
 * SQLite bench's bare FTS5 MATCH) over every item of every workspace, ORDER BY ts_rank LIMIT 10,
 * alternating query by query in the same run. Sizes and workspaces as the SQLite bench: 5
 * workspaces up to 100k items, 50 at 1M. Each size runs in a fresh database `beacon_bench_<random>`
 * on PG_URL, bulk-loaded (knowledge-pg-load.ts: the rows Beacon's save path writes), dropped at
 * the end (also on error); skipped with one line when PostgreSQL cannot be reached.
 *
 *   npx tsx bench/knowledge-search-pg.ts     (PG_URL=postgres://postgres@127.0.0.1:5432/postgres  BENCH_PG_ITEMS=100000,1000000  BENCH_QUERIES=300)
 *
 * To study a slow query: BENCH_SLOWEST=5 prints the slowest /kb queries with their match
 * expression; BENCH_PG_KEEP=1 keeps the database (its name is printed) for EXPLAIN (ANALYZE,
 * BUFFERS); BENCH_PG_REUSE=<that name> measures it again without the 4-minute load (one size only).
 */
import { randomBytes } from 'node:crypto'
import { sql } from 'drizzle-orm'
import pg from 'pg'
import { resolveDeps } from '../src/core/knowledge/deps.ts'
import { KnowledgeSearch } from '../src/core/knowledge/search.ts'
import { buildMatch, parseQuery } from '../src/core/knowledge/search-query.ts'
import type { JobQueue } from '../src/core/ports.ts'
import { closePostgres, openPostgres, type PgDb, redactUrl } from '../src/storage/pg/db.ts'
import { RANK_WEIGHTS, toTsQuery } from '../src/storage/pg/repositories/knowledge-query.ts'
import { postgresRepositories } from '../src/storage/pg/repositories/index.ts'
import { fakePlatforms, queries, shapeFor, syntheticItems } from './knowledge-corpus.ts'
import { bulkLoad } from './knowledge-pg-load.ts'
import { pct } from './knowledge-search.ts'
import { runIfMain } from './run-if-main.ts'
import { addIssueRow } from './summary.ts'

const WS = 'slack:T0'

function databaseUrl(base: string, name: string): string {
  const u = new URL(base)
  u.pathname = `/${name}`
  return u.toString()
}

/**
 * The floor's own table, as the SQLite bench's bare FTS5 table: every item's search vector under a
 * plain GIN index, so Beacon's table keeps exactly the indexes its migrations give it.
 */
async function buildBare(db: PgDb): Promise<void> {
  await db.$client.query('CREATE TABLE bare_fts AS SELECT id, search_vector FROM knowledge_items')
  await db.$client.query('CREATE INDEX bare_fts_search ON bare_fts USING gin (search_vector)')
  await db.$client.query('VACUUM (ANALYZE) bare_fts')
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
  // The floor: the words of the query (filters left out, as on SQLite), as the tsquery Beacon builds, over every workspace.
  const bare = (match: string) => {
    const q = toTsQuery(match)
    return q
      ? db.execute(sql`SELECT id, ts_rank(${RANK_WEIGHTS}, search_vector, q) AS rank
          FROM bare_fts, (SELECT ${q} AS q) t WHERE search_vector @@ q ORDER BY rank DESC LIMIT 10`)
      : undefined
  }
  const qs = queries(nQueries, 99)
  const matchOf = (q: string) => buildMatch(parseQuery(q).terms, 'all') ?? ''
  for (const q of qs.slice(0, 20)) {
    await search.search(WS, 'U1', q) // warm caches and the pool
    await bare(matchOf(q))
  }
  const full: number[] = []
  const raw: number[] = []
  const timed: { q: string; ms: number }[] = []
  let found = 0
  for (const q of qs) {
    let s = performance.now()
    await bare(matchOf(q))
    raw.push(performance.now() - s)
    s = performance.now()
    const outcome = await search.search(WS, 'U1', q)
    found += outcome.hits.length > 0 ? 1 : 0
    full.push(performance.now() - s)
    timed.push({ q, ms: full[full.length - 1] ?? 0 })
    // The /kb handler records the views after its reply (the person's wait ends there): written here
    // too, untimed, so the database carries the same writes as in production.
    await search.recordViews(outcome)
  }
  // BENCH_SLOWEST=5 prints the slowest /kb queries, to EXPLAIN them against a kept database.
  for (const t of timed.sort((a, b) => b.ms - a.ms).slice(0, Number(process.env.BENCH_SLOWEST ?? 0))) {
    console.log(`  slow: ${t.ms.toFixed(1)} ms  ${JSON.stringify(t.q)}  match ${matchOf(t.q)}`)
  }
  return { fullP50: pct(full, 50), fullP99: pct(full, 99), bareP50: pct(raw, 50), bareP99: pct(raw, 99), withResults: found / qs.length }
}

async function measure(admin: pg.Client, base: string, size: number, n: number): Promise<void> {
  // BENCH_PG_REUSE=<database> measures a database an earlier run kept (BENCH_PG_KEEP=1) instead of loading one.
  const reuse = process.env.BENCH_PG_REUSE
  const keep = reuse !== undefined || process.env.BENCH_PG_KEEP === '1'
  // BENCH_PG_PREFIX names the database after its owner (e.g. h_kb) so a kept one is not taken for another's.
  const name = reuse ?? `${process.env.BENCH_PG_PREFIX ?? 'beacon_bench'}_${randomBytes(6).toString('hex')}`
  const shape = shapeFor(size)
  let db: PgDb | undefined
  try {
    if (!reuse) await admin.query(`CREATE DATABASE ${name}`)
    db = await openPostgres(databaseUrl(base, name))
    const t0 = performance.now()
    const phases = reuse ? { insertS: 0, indexS: 0 } : await bulkLoad(db, syntheticItems(size, size, shape))
    const loadS = (performance.now() - t0) / 1000
    const t1 = performance.now()
    if (!reuse) await buildBare(db)
    const bareS = (performance.now() - t1) / 1000
    const r = await latency(db, n)
    const ratio99 = r.fullP99 / r.bareP99
    const big = size >= 1_000_000
    const met = big ? r.fullP99 < r.bareP99 && r.fullP99 < 50 : ratio99 <= 1.5
    const goal = big ? 'p99 below bare and < 50 ms' : 'p99 ≤ 1.5× bare'
    const f = (x: number, d = 2) => x.toFixed(d).padStart(10)
    console.log(
      `${String(size).padEnd(8)}${String(shape.workspaces).padStart(4)}${f(loadS, 1)}  ${f(r.fullP50)}  ${f(r.fullP99)}  ` +
        `${f(r.bareP50)}   ${f(r.bareP99)}  ${f(r.fullP50 / r.bareP50, 1)}x ${f(ratio99, 1)}x  ${(r.withResults * 100).toFixed(0).padStart(6)}%` +
        `    ${goal}: ${met ? 'met' : 'NOT MET'}`,
    )
    console.log(
      `  (load: ${phases.insertS.toFixed(1)} s inserting, ${phases.indexS.toFixed(1)} s building indexes and vacuum analyze;` +
        ` the floor's table ${bareS.toFixed(1)} s)`,
    )
    addIssueRow({
      what: `/kb p99 on PostgreSQL at ${size.toLocaleString('en')} items (${shape.workspaces} workspaces)`,
      beacon: `${r.fullP99.toFixed(1)} ms`,
      floor: `bare PG FTS (all workspaces): ${r.bareP99.toFixed(1)} ms`,
      ratio: `×${ratio99.toFixed(2)}`,
      goal,
      met,
    })
  } finally {
    if (db) await closePostgres(db)
    if (keep) console.log(`  kept database ${name}`)
    else await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch((err: unknown) => console.error(`could not drop ${name}:`, err))
  }
}

export async function main(opts: { sizes?: number[]; queries?: number } = {}): Promise<void> {
  const base = process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
  const sizes = opts.sizes ?? (process.env.BENCH_PG_ITEMS ?? '100000,1000000').split(',').map(Number)
  const n = opts.queries ?? Number(process.env.BENCH_QUERIES ?? 300)
  const admin = new pg.Client({ connectionString: base, connectionTimeoutMillis: 3000 })
  try {
    await admin.connect()
  } catch (err) {
    console.log(`knowledge-pg: skipped, PostgreSQL unreachable at ${redactUrl(base)} (${err instanceof Error ? err.message : String(err)})`)
    return
  }
  try {
    console.log(`knowledge search on PostgreSQL: ${n} queries per size, asked in one workspace, 20% private channels`)
    console.log('floor = bare PostgreSQL FTS: the same tsquery over every item of every workspace, ORDER BY ts_rank LIMIT 10')
    console.log('items    wss  load s   /kb p50 ms  /kb p99 ms  bare p50 ms  bare p99 ms  ratio p50  ratio p99  with hits  goal')
    for (const size of sizes) await measure(admin, base, size, n)
  } finally {
    await admin.end()
  }
}

runIfMain(import.meta.url, main)
