/**
 * /kb latency at 10k, 100k and 1M saved items: the full path (parse → FTS5 bm25 ranking with the
 * workspace/status join → hydrate → permission filter → record views) beside a bare FTS5 MATCH on
 * the same table, measured in the same run. Then the precision/recall of the answer-suggestion
 * threshold on synthetic question/answer pairs.
 *
 *   npx tsx bench/knowledge-search.ts            (BENCH_SIZES=10000,100000,1000000  BENCH_QUERIES=300)
 */
import { mkdtempSync, rmSync } from 'node:fs'
import type { Statement } from 'better-sqlite3'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { resolveDeps } from '../src/core/knowledge/deps.ts'
import { KnowledgeSearch } from '../src/core/knowledge/search.ts'
import { buildMatch, parseQuery } from '../src/core/knowledge/search-query.ts'
import { scoreQuestion } from '../src/core/knowledge/suggestions.ts'
import type { JobQueue } from '../src/core/ports.ts'
import { closeDb, openDb, openMemoryDb, type Db } from '../src/storage/db.ts'
import { sqliteRepositories } from '../src/storage/repositories/index.ts'
import { SqliteKnowledgeRepository } from '../src/storage/repositories/knowledge.ts'
import { fakePlatforms, generate, queries, shapeFor } from './knowledge-corpus.ts'
import { runIfMain } from './run-if-main.ts'
import { addIssueRow } from './summary.ts'

const WS = 'slack:T0'

/**
 * The floor: one bare FTS5 table over every item of every workspace, as Beacon's index was before
 * migration 0024 (same columns, tokenizer, prefixes and bm25 weights), built and merged once.
 */
export function buildBareIndex(db: Db): Statement {
  db.$client.exec(`CREATE VIRTUAL TABLE bench_bare_fts USING fts5(title, search_text, tags_text, content='knowledge_items', content_rowid='id',
      tokenize='unicode61 remove_diacritics 2', prefix='2 3');
    INSERT INTO bench_bare_fts(bench_bare_fts, rank) VALUES ('rank', 'bm25(10.0, 1.0, 5.0)');
    INSERT INTO bench_bare_fts(bench_bare_fts) VALUES ('rebuild');
    INSERT INTO bench_bare_fts(bench_bare_fts) VALUES ('optimize');`)
  return db.$client.prepare('SELECT rowid, rank FROM bench_bare_fts WHERE bench_bare_fts MATCH ? ORDER BY rank LIMIT 5')
}

export const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!
}

async function latency(size: number, nQueries: number): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'beacon-kb-bench-'))
  const db = openDb(join(dir, 'kb.db'))
  try {
    const t0 = performance.now()
    generate(db, size, size, shapeFor(size))
    const bare = buildBareIndex(db)
    const loadS = (performance.now() - t0) / 1000
    const repos = sqliteRepositories(db)
    const ctx = resolveDeps({
      repo: new SqliteKnowledgeRepository(db),
      people: repos.people,
      conversations: repos.conversations,
      platforms: fakePlatforms(),
      queue: {} as JobQueue,
    })
    const search = new KnowledgeSearch(ctx)
    const qs = queries(nQueries, 99)
    for (const q of qs.slice(0, 20)) await search.search(WS, 'U1', q) // warm caches
    const full: number[] = []
    const raw: number[] = []
    let found = 0
    for (const q of qs) {
      const match = buildMatch(parseQuery(q).terms, 'all')
      let s = performance.now()
      if (match) bare.all(match)
      raw.push(performance.now() - s)
      s = performance.now()
      found += (await search.search(WS, 'U1', q)).hits.length > 0 ? 1 : 0
      full.push(performance.now() - s)
    }
    return {
      size,
      loadS,
      fullP50: pct(full, 50),
      fullP99: pct(full, 99),
      bareP50: pct(raw, 50),
      bareP99: pct(raw, 99),
      withResults: found / qs.length,
    }
  } finally {
    closeDb(db)
    rmSync(dir, { recursive: true, force: true })
  }
}

// ------------------------------------------------------------------ suggestion threshold quality

const QA: [title: string, body: string, question: string][] = [
  [
    'Rotating the staging database password',
    'run vault write database/rotate-role/staging then restart the api pods',
    'How do I rotate the staging database password?',
  ],
  [
    'VPN setup on a new laptop',
    'install the client, import the profile from the IT portal, sign in with SSO',
    'How do I set up the VPN on my new laptop?',
  ],
  ['Submitting travel expenses', 'use the expense app, attach receipts, manager approves within a week', 'Where do I submit my travel expenses?'],
  ['Rolling back a bad release', 'use the deploy pipeline rollback button, pick the previous tag', 'How can we roll back a bad release?'],
  ['Requesting a new laptop', 'open a ticket in the IT portal, hardware category, laptops ship in 5 days', 'how do I request a new laptop'],
  ['Payroll dates and payslips', 'salary is paid on the 25th, payslips are in the HR portal', 'When is payroll paid and where are payslips?'],
  ['Restoring a database backup', 'snapshots are nightly, restore with the backup tool into a new instance', 'How do I restore a database backup?'],
  [
    'Feature flags for beta customers',
    'flags live in the flag service, target customers by account id',
    'Can we enable a feature flag for one beta customer?',
  ],
  ['Oncall handover checklist', 'review open incidents, check alert noise, update the runbook', 'what is the oncall handover checklist?'],
  ['Booking meeting rooms', 'rooms are booked in the calendar, large rooms need approval', 'How do I book a large meeting room?'],
  ['Parental leave policy', 'sixteen weeks paid, notify HR eight weeks before', 'How long is parental leave and who do I notify?'],
  ['Signing customer contracts', 'legal reviews contracts above 50k, sign with the e-signature tool', 'Who signs customer contracts over 50k?'],
]
const NEGATIVE = [
  'Is anyone going to the team lunch today?',
  'What time is the all hands meeting?',
  'Has anyone seen my blue umbrella?',
  'Who is organising the summer party?',
  'How was the conference in Berlin?',
  'Can someone review my pull request for the search page?',
  'Where can I find the brand colour palette?',
  'Is the coffee machine on the third floor fixed?',
  'How do I change the wallpaper on the office TV?',
  'What is the wifi password for guests?',
  'Does anyone want to join the running club?',
  'When does the new designer start?',
]

async function suggestionQuality(): Promise<{ threshold: number; precision: number; recall: number }[]> {
  const db = openMemoryDb()
  const repos = sqliteRepositories(db)
  const repo = new SqliteKnowledgeRepository(db)
  generate(db, 2000, 5) // background noise in the same workspace mix
  for (const [i, [title, body]] of QA.entries()) {
    await repo.upsert(
      {
        workspace: WS,
        threadId: `${WS}:CQA:${i}.9`,
        conversation: { id: 'CQA', name: 'qa', privacy: 'public' },
        rootMessageId: `${i}.9`,
        title,
        body,
        searchText: body,
        tags: [],
        contributors: [],
        messageCount: 2,
      },
      { now: new Date(), reactivate: true },
    )
  }
  const ctx = resolveDeps({ repo, people: repos.people, conversations: repos.conversations, platforms: fakePlatforms(), queue: {} as JobQueue })
  const pos = await Promise.all(QA.map(async ([title, , q]) => ({ title, s: await scoreQuestion(ctx, WS, 'U1', q) })))
  const neg = await Promise.all(NEGATIVE.map((q) => scoreQuestion(ctx, WS, 'U1', q)))
  closeDb(db)
  return [0.3, 0.4, 0.5, 0.6, 0.7, 0.8].map((threshold) => {
    const tp = pos.filter((p) => p.s && p.s.score >= threshold && p.s.item.title === p.title).length
    const fpPos = pos.filter((p) => p.s && p.s.score >= threshold && p.s.item.title !== p.title).length
    const fp = fpPos + neg.filter((s) => s && s.score >= threshold).length
    return { threshold, precision: tp + fp ? tp / (tp + fp) : 1, recall: tp / QA.length }
  })
}

export async function main(opts: { sizes?: number[]; queries?: number } = {}): Promise<void> {
  const n = opts.queries ?? Number(process.env.BENCH_QUERIES ?? 300)
  const sizes = opts.sizes ?? (process.env.BENCH_SIZES ?? '10000,100000,1000000').split(',').map(Number)
  console.log(`knowledge search: ${n} queries per size, asked in one workspace, 20% private channels`)
  console.log('floor = bare FTS5: the same MATCH over every item of every workspace, ORDER BY rank LIMIT 5')
  console.log('items    wss  load s   /kb p50 ms  /kb p99 ms  bare p50 ms  bare p99 ms  ratio p50  ratio p99  with hits  goal')
  for (const size of sizes) {
    const r = await latency(size, n)
    const f = (x: number, d = 2) => x.toFixed(d).padStart(10)
    const ratio99 = r.fullP99! / r.bareP99!
    const met = size >= 1_000_000 ? r.fullP99! < r.bareP99! && r.fullP99! < 50 : ratio99 <= 1.5
    const goalText = size >= 1_000_000 ? 'p99 below bare and < 50 ms' : 'p99 ≤ 1.5× bare'
    const goal = size >= 100_000 ? `${goalText}: ${met ? 'met' : 'NOT MET'}` : ''
    if (size >= 100_000) {
      addIssueRow({
        what: `/kb p99 at ${size.toLocaleString('en')} items (${shapeFor(size).workspaces} workspaces)`,
        beacon: `${r.fullP99!.toFixed(1)} ms`,
        floor: `bare FTS5 (all workspaces): ${r.bareP99!.toFixed(1)} ms`,
        ratio: `×${ratio99.toFixed(2)}`,
        goal: goalText,
        met,
      })
    }
    console.log(
      `${String(size).padEnd(8)}${String(shapeFor(size).workspaces).padStart(4)}${f(r.loadS!, 1)}  ${f(r.fullP50!)}  ${f(r.fullP99!)}  ` +
        `${f(r.bareP50!)}   ${f(r.bareP99!)}  ${f(r.fullP50! / r.bareP50!, 1)}x ${f(ratio99, 1)}x  ` +
        `${(r.withResults! * 100).toFixed(0).padStart(6)}%    ${goal}`,
    )
  }
  console.log('\nanswer suggestions: normalised-score threshold on 12 question/answer pairs + 12 unrelated questions')
  console.log('threshold  precision  recall')
  for (const q of await suggestionQuality())
    console.log(`${q.threshold.toFixed(1).padStart(9)}  ${q.precision.toFixed(2).padStart(9)}  ${q.recall.toFixed(2).padStart(6)}`)
}

runIfMain(import.meta.url, main)
