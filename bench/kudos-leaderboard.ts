/**
 * `/kudos top` at 1M kudos: the leaderboard query through SqliteKudosRepository (distinct givers,
 * then count, names of the top 10) beside a bare SQL aggregate (GROUP BY receiver,
 * COUNT(DISTINCT giver)) on the same file, measured in the same run, for each period.
 *
 *   npx tsx bench/kudos-leaderboard.ts        (BENCH_KUDOS=1000000  BENCH_QUERIES=30)
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { LeaderQuery } from '../src/core/recognition/types.ts'
import { closeDb, openDb, type Db } from '../src/storage/db.ts'
import { SqliteKudosRepository } from '../src/storage/repositories/recognition.ts'
import { seededRandom as prng } from '../src/core/seeded-random.ts'
import { runIfMain } from './run-if-main.ts'

const WS = 'slack:T0'
/** Other tenants share the table, as in production: the workspace filter must do its job. */
const OTHER_WS = ['slack:T1', 'teams:tenant-2']
const PEOPLE = 5_000
const VALUES = ['teamwork', 'ownership', 'customer', 'craft']
const DAY = 86_400_000
/** Boards are asked for in a private channel: public kudos plus that channel's own. */
const SHOWN_IN = 'G7'

/**
 * Bulk load with one prepared statement, 50k rows per transaction. The table's indexes are dropped
 * first and rebuilt afterwards from their own definitions (sqlite_master): building a b-tree from
 * sorted input is several times faster than 1M random inserts into five of them.
 */
function load(db: Db, total: number, now: number): number {
  const started = performance.now()
  const indexes = db.$client.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'kudos' AND sql IS NOT NULL").all() as {
    name: string
    sql: string
  }[]
  for (const ix of indexes) db.$client.exec(`DROP INDEX "${ix.name}"`)
  const rnd = prng(42)
  const insert = db.$client.prepare(
    `INSERT INTO kudos (workspace_id, kind, source, giver_id, giver_name, receiver_id, receiver_name, reason, value,
                        conversation_id, public, dedupe_key, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )
  const batch = db.$client.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const ws = i % 5 === 0 ? OTHER_WS[i % 2]! : WS // 80% in the measured workspace
      // Popular people get more thanks: a skewed receiver distribution.
      const receiver = Math.floor(PEOPLE * rnd() ** 2.5)
      const auto = rnd() < 0.05
      const giver = auto ? null : `U${Math.floor(PEOPLE * rnd())}`
      const value = rnd() < 0.4 ? VALUES[Math.floor(rnd() * VALUES.length)]! : null
      const at = now - Math.floor(rnd() * 365 * DAY)
      // 85% given in public channels; the rest in one of 50 private channels or DMs.
      const isPublic = rnd() < 0.85
      const conversation = isPublic ? 'C1' : `G${Math.floor(rnd() * 50)}`
      insert.run(
        ws,
        auto ? 'auto' : 'given',
        auto ? 'knowledge' : 'command',
        giver,
        giver,
        `U${receiver}`,
        `Person ${receiver}`,
        'for the help',
        value,
        conversation,
        isPublic ? 1 : 0,
        `bench:${i}`,
        at,
      )
    }
  })
  for (let i = 0; i < total; i += 50_000) batch(i, Math.min(total, i + 50_000))
  for (const ix of indexes) db.$client.exec(ix.sql)
  return (performance.now() - started) / 1000
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!
}

async function time(n: number, fn: () => unknown): Promise<number[]> {
  for (let i = 0; i < 3; i++) await fn() // warm the page cache and statement cache
  const out: number[] = []
  for (let i = 0; i < n; i++) {
    const t = performance.now()
    await fn()
    out.push(performance.now() - t)
  }
  return out
}

export async function main(opts: { kudos?: number; queries?: number } = {}): Promise<void> {
  const total = opts.kudos ?? Number(process.env.BENCH_KUDOS ?? 1_000_000)
  const n = opts.queries ?? Number(process.env.BENCH_QUERIES ?? 30)
  const dir = mkdtempSync(join(tmpdir(), 'beacon-bench-kudos-'))
  const db = openDb(join(dir, 'bench.db'))
  try {
    const now = Date.now()
    const loadS = load(db, total, now)
    db.$client.pragma('optimize')
    db.$client.exec('ANALYZE')
    console.log(
      `kudos leaderboard: ${total.toLocaleString('en')} kudos (80% in one workspace, ${PEOPLE} people, 1 year) ` +
        `loaded (indexes rebuilt) in ${loadS.toFixed(1)} s; ${n} queries per row`,
    )
    const repo = new SqliteKudosRepository(db)
    const bare = (since?: number, value?: string, indexed = false) => {
      // The same audience filter as the repository: public kudos plus those of the channel it is shown in.
      const where = [
        'workspace_id = ?',
        '(public = 1 OR conversation_id = ?)',
        ...(since ? ['created_at >= ?'] : []),
        ...(value ? ['value = ?'] : []),
      ].join(' AND ')
      const from = `kudos ${indexed ? 'INDEXED BY kudos_ws_created ' : ''}`
      const stmt = db.$client.prepare(
        `SELECT receiver_id, COUNT(DISTINCT giver_id) AS givers, COUNT(*) AS n FROM ${from}` +
          `WHERE ${where} GROUP BY receiver_id ORDER BY givers DESC, n DESC LIMIT 10`,
      )
      const args = [WS, SHOWN_IN, ...(since ? [since] : []), ...(value ? [value] : [])]
      return () => stmt.all(...args)
    }
    const cases: { name: string; q: LeaderQuery; bare: () => unknown }[] = [
      { name: 'week', q: { workspace: WS, since: new Date(now - 7 * DAY), limit: 10, shownIn: SHOWN_IN }, bare: bare(now - 7 * DAY) },
      { name: 'month', q: { workspace: WS, since: new Date(now - 30 * DAY), limit: 10, shownIn: SHOWN_IN }, bare: bare(now - 30 * DAY) },
      // The same month, the bare aggregate told which index to use (as the repository does): the repository's own overhead.
      {
        name: 'month (ix)',
        q: { workspace: WS, since: new Date(now - 30 * DAY), limit: 10, shownIn: SHOWN_IN },
        bare: bare(now - 30 * DAY, undefined, true),
      },
      { name: 'all', q: { workspace: WS, limit: 10, shownIn: SHOWN_IN }, bare: bare() },
      { name: 'all #craft', q: { workspace: WS, value: 'craft', limit: 10, shownIn: SHOWN_IN }, bare: bare(undefined, 'craft') },
    ]
    console.log('bare = the plain GROUP BY receiver / COUNT(DISTINCT giver) aggregate, planned by SQLite itself')
    console.log('period       repo p50 ms  repo p99 ms  bare p50 ms  bare p99 ms  ratio p50  ratio p99')
    const f = (x: number, w = 11) => x.toFixed(2).padStart(w)
    for (const c of cases) {
      const r = await time(n, () => repo.leaderboard(c.q))
      const b = await time(n, c.bare)
      const [rp50, rp99, bp50, bp99] = [pct(r, 50), pct(r, 99), pct(b, 50), pct(b, 99)]
      console.log(`${c.name.padEnd(11)}${f(rp50, 12)}  ${f(rp99)}  ${f(bp50)}  ${f(bp99)}  ${f(rp50 / bp50, 8)}x ${f(rp99 / bp99, 8)}x`)
    }
  } finally {
    closeDb(db)
    rmSync(dir, { recursive: true, force: true })
  }
}

runIfMain(import.meta.url, main)
