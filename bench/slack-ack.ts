/**
 * Slack ingest throughput and ack latency, black box: signed Events API message events on loopback
 * against Beacon's POST /slack/events, served by the compiled process `npm start` runs, and against
 * a bare Bolt app that only acks (its own process), alternating in the same run, so the ratio is
 * what Beacon adds.
 *
 *   npx tsx bench/slack-ack.ts     (about 40 s; BENCH_IN_FLIGHT=16 BENCH_ROUNDS=6 BENCH_ROUND_MS=2000,
 *                                   BENCH_PROFILE_DIR=<dir> for a CPU profile of Beacon)
 *   npx tsx bench/run.ts slack-pg  (the same with Beacon scaled out: PostgreSQL at PG_URL, in a fresh
 *                                   database dropped afterwards, and Redis at REDIS_URL, own queue prefix;
 *                                   beside the ack-only floor, which stays the goal's, a second one:
 *                                   bare Bolt + pg storing each delivery before its ack, bench/bare-bolt-pg.mjs)
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Inbox } from '../src/app/inbox.ts'
import { SqliteInbox } from '../src/storage/repositories/inbox.ts'
import { closeDb, openDb } from '../src/storage/db.ts'
import { silentLogger } from '../src/core/logger.ts'
import { FakeSlackApi } from '../tests/support/fake-slack-api.ts'
import { buildBeacon } from '../tests/support/run-beacon.ts'
import { signedJson } from '../tests/support/slack-signing.ts'
import { runIfMain } from './run-if-main.ts'
import { startFlags } from './start-flags.ts'
import { addIssueRow } from './summary.ts'
import { processedIn, scaledOutStore } from './beacon-store.ts'
import { closedLoop, cpuMs, pct, rssMiB, startProcess, type Target } from './ingest-targets.ts'

const SECRET = 'bench-signing-secret'
/** The second floor of the PostgreSQL row: bare Bolt that commits each delivery to PostgreSQL before acking it. */
const BARE_PG = 'bare Bolt + pg insert'

export interface Stats {
  target: string
  sent: number
  ok: number
  p50: number
  p99: number
  max: number
  /** Completed requests per second with `concurrency` requests in flight. */
  throughput: number
}

let seq = 0
function event(): ReturnType<typeof signedJson> {
  seq += 1
  const ts = `${1_700_000_000 + seq}.000100`
  return signedJson(SECRET, {
    type: 'event_callback',
    team_id: 'T1',
    api_app_id: 'A1',
    event_id: `EvBench${seq}`,
    event_time: Math.floor(Date.now() / 1000),
    event: { type: 'message', channel: 'C1', channel_type: 'channel', user: 'U1', text: `message ${seq}`, ts },
  })
}

async function once(url: string): Promise<{ ms: number; ok: boolean }> {
  const req = event()
  const t0 = performance.now()
  const res = await fetch(url, { method: 'POST', headers: req.headers, body: req.body })
  await res.arrayBuffer()
  return { ms: performance.now() - t0, ok: res.status === 200 }
}

/**
 * The one write "persist before ack" adds to every ack: Inbox.accept on a file database (WAL), one at a time
 * (its commit, and the turn it waits for).
 */
async function inboxAccept(n: number): Promise<{ p50: number; p99: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'beacon-bench-inbox-'))
  const db = openDb(join(dir, 'inbox.db'))
  try {
    const inbox = new Inbox(new SqliteInbox(db), silentLogger, 'slack', async () => undefined)
    const body = JSON.parse(event().body) as unknown
    const lat: number[] = []
    for (let i = 0; i < n; i++) {
      const t0 = performance.now()
      await inbox.accept(`event:Bench${i}`, body)
      lat.push(performance.now() - t0)
    }
    lat.sort((a, b) => a - b)
    return { p50: pct(lat, 50), p99: pct(lat, 99) }
  } finally {
    closeDb(db)
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * Black box: Beacon as `npm start` runs it (compiled JavaScript, plain node, LOG_LEVEL=info, SQLite
 * file, fake Slack Web API on loopback) and the bare Bolt floor (bench/bare-bolt.mjs) each in its own
 * process; this process only sends signed message events, `inFlight` at a time. The two are measured
 * in alternating rounds, so a machine busy with other work slows both alike and the ratio holds.
 * BENCH_PROFILE_DIR=<dir> runs Beacon under `node --cpu-prof` and leaves the profile there.
 */
export async function main(opts: { postgres?: boolean } = {}): Promise<Stats[]> {
  const inFlight = Number(process.env.BENCH_IN_FLIGHT ?? 16)
  const rounds = Number(process.env.BENCH_ROUNDS ?? 6)
  const roundMs = Number(process.env.BENCH_ROUND_MS ?? 2000)
  const fake = await new FakeSlackApi().start()
  fake.users.set('U1', { id: 'U1', name: 'ada', tz: 'UTC', profile: { display_name: 'Ada' } })
  const dir = mkdtempSync(join(tmpdir(), 'beacon-bench-'))
  const compiled = buildBeacon()
  const profile = process.env.BENCH_PROFILE_DIR
  const store = opts.postgres ? await scaledOutStore() : undefined
  const beaconEnv = {
    NODE_OPTIONS: '',
    PORT: '0',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_API_URL: fake.apiUrl,
    DATABASE_PATH: join(dir, 'beacon.db'),
    LOG_LEVEL: 'info',
    ...store?.env,
  }
  const beaconName = store ? 'Beacon (PG + Redis)' : 'Beacon (npm start)'
  const targets: Target[] = []
  const results: Stats[] = []
  let sentEvents = 0
  try {
    targets.push(
      await startProcess('bare Bolt (ack only)', [join(import.meta.dirname, 'bare-bolt.mjs')], { SLACK_SIGNING_SECRET: SECRET, NODE_OPTIONS: '' }),
    )
    const profiling = profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : []
    targets.push(await startProcess(beaconName, [...startFlags(), ...profiling, join(compiled, 'src/app/main.js')], beaconEnv))
    if (store) {
      const env = { SLACK_SIGNING_SECRET: SECRET, NODE_OPTIONS: '', ...store.bareEnv }
      targets.push(await startProcess(BARE_PG, [join(import.meta.dirname, 'bare-bolt-pg.mjs')], env))
    }
    for (const t of targets) await closedLoop(() => once(t.url), inFlight, 1000) // warm up JIT, sockets, caches
    const callsBefore = fake.calls.length
    // CPU time each side spends on the measured rounds: unlike ev/s, it does not depend on what else runs.
    const pgPids = [(await store?.backends()) ?? [], (await store?.bareBackends()) ?? []]
    const cpuBefore = targets.map((t) => cpuMs([t.pid]))
    const pgBefore = pgPids.map(cpuMs)
    const lat = targets.map(() => [] as number[])
    const ok = targets.map(() => 0)
    const seqBefore = seq
    for (let r = 0; r < rounds; r++) {
      for (const [i, t] of targets.entries()) {
        const res = await closedLoop(() => once(t.url), inFlight, roundMs)
        lat[i]!.push(...res.lat)
        ok[i]! += res.ok
        if (i === 1) sentEvents += res.ok
      }
    }
    const beaconCalls = fake.calls.length - callsBefore
    const cpuUsed = targets.map((t, i) => cpuMs([t.pid]) - cpuBefore[i]!)
    const pgUsed = pgPids.map((p, i) => cpuMs(p) - pgBefore[i]!)
    for (const [i, t] of targets.entries()) {
      const sorted = lat[i]!.sort((a, b) => a - b)
      const seconds = (rounds * roundMs) / 1000
      results.push({
        target: t.name,
        sent: ok[i]!,
        ok: ok[i]!,
        p50: pct(sorted, 50),
        p99: pct(sorted, 99),
        max: sorted.at(-1) ?? NaN,
        throughput: ok[i]! / seconds,
      })
    }
    // Acks leave before the work: wait until Beacon has dispatched what it acked, then count it.
    const beaconRss = rssMiB(targets[1]!.pid)
    await new Promise((r) => setTimeout(r, 2000))
    console.log(
      `${seq - seqBefore} events sent in the measured rounds; Slack Web API calls by Beacon meanwhile: ${beaconCalls} ` +
        `(${(beaconCalls / Math.max(1, sentEvents)).toFixed(3)} per event)`,
    )
    console.log(`Beacon's RSS right after the load: ${beaconRss.toFixed(0)} MiB`)
    const perEvent = (ms: number, n: number) => `${((ms * 1000) / Math.max(1, n)).toFixed(0)} µs`
    console.log(
      `CPU per acked event in the measured rounds: bare Bolt ${perEvent(cpuUsed[0]!, ok[0]!)}, Beacon ${perEvent(cpuUsed[1]!, ok[1]!)}` +
        (store
          ? ` + PostgreSQL ${perEvent(pgUsed[0]!, ok[1]!)} (its ${pgPids[0]!.length} connections); ` +
            `${BARE_PG} ${perEvent(cpuUsed[2]!, ok[2]!)} + PostgreSQL ${perEvent(pgUsed[1]!, ok[2]!)} (its ${pgPids[1]!.length})`
          : ''),
    )
  } finally {
    for (const t of targets.reverse()) await t.stop()
    const processed = store ? await store.finish() : processedIn(join(dir, 'beacon.db'))
    console.log(`Beacon processed ${processed} distinct deliveries (each stored once in its inbox before the ack; includes warm-up)`)
    await fake.stop()
    rmSync(dir, { recursive: true, force: true })
    rmSync(compiled, { recursive: true, force: true })
  }
  const f = (n: number) => n.toFixed(2).padStart(8)
  console.log(
    `\nSlack ingest, black box — signed message events, ${inFlight} in flight, ${rounds} alternating rounds of ${roundMs / 1000} s per target`,
  )
  console.log(
    `${'target'.padEnd(24)} ${'acked'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'max ms'.padStart(8)} ${'ev/s'.padStart(8)}`,
  )
  for (const r of results) console.log(`${r.target.padEnd(24)} ${String(r.ok).padStart(8)} ${f(r.p50)} ${f(r.p99)} ${f(r.max)} ${f(r.throughput)}`)
  const [b, s, persisted] = results
  if (s && persisted && b) {
    // The second floor: what a delivery committed to PostgreSQL before its ack costs by itself, next to the ack-only goal.
    console.log(
      `Beacon / ${BARE_PG}: throughput ×${(s.throughput / persisted.throughput).toFixed(2)}, p50 ×${(s.p50 / persisted.p50).toFixed(2)} ` +
        `(the goal stays ack-only; ${BARE_PG} / bare: ×${(persisted.throughput / b.throughput).toFixed(2)})`,
    )
  }
  if (b && s) {
    const ratio = s.throughput / b.throughput
    console.log(
      `Beacon / bare: throughput ×${ratio.toFixed(2)} (goal ≥ 0.8: ${ratio >= 0.8 ? 'met' : 'NOT MET'}), ` +
        `p50 ×${(s.p50 / b.p50).toFixed(2)}, p99 ×${(s.p99 / b.p99).toFixed(2)}`,
    )
    addIssueRow({
      what: `signed Slack message events, ${inFlight} in flight, black box${store ? ', on PostgreSQL + Redis' : ''}`,
      beacon: `${s.throughput.toFixed(0)} ev/s (p50 ${s.p50.toFixed(1)} ms)`,
      floor: `bare Bolt: ${b.throughput.toFixed(0)} ev/s (p50 ${b.p50.toFixed(1)} ms)`,
      ratio: `×${ratio.toFixed(2)} ev/s`,
      goal: '≥ 0.8× bare',
      met: ratio >= 0.8,
    })
  }
  if (store) return results
  const accept = await inboxAccept(5000)
  console.log(
    'Inbox insert before each ack (Inbox.accept, 5000 events, file DB): ' +
      `p50 ${(accept.p50 * 1000).toFixed(0)} µs, p99 ${(accept.p99 * 1000).toFixed(0)} µs\n`,
  )
  return results
}

runIfMain(import.meta.url, main)
