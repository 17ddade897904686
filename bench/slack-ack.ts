/**
 * Slack ack latency and throughput: signed Events API deliveries on loopback against Beacon's
 * POST /slack/events (composeBeacon, real SQLite, fake Web API) and against a bare Bolt app that
 * only acks, in the same process and the same run, so the ratio is what Beacon adds.
 *
 *   npx tsx bench/slack-ack.ts            (about 25 s; BENCH_RATE / BENCH_SECONDS to tune)
 */
import { mkdtempSync, rmSync } from 'node:fs'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { App, ExpressReceiver } from '@slack/bolt'
import { loadConfig } from '../src/app/config.ts'
import { composeBeacon } from '../src/app/compose.ts'
import { Inbox } from '../src/app/inbox.ts'
import { closeDb, openDb } from '../src/storage/db.ts'
import { silentLogger } from '../src/core/logger.ts'
import { FakeSlackApi } from '../tests/support/fake-slack-api.ts'
import { signedJson } from '../tests/support/slack-signing.ts'
import { runIfMain } from './run-if-main.ts'

const SECRET = 'bench-signing-secret'

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

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN

/** Open loop: one request every 1/rate s whatever the answers do, so slow acks show as latency. */
async function steady(url: string, rate: number, seconds: number): Promise<{ lat: number[]; ok: number; sent: number }> {
  const lat: number[] = []
  let ok = 0
  const pending: Promise<void>[] = []
  const start = performance.now()
  const total = Math.round(rate * seconds)
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate
    const wait = due - performance.now()
    if (wait > 0) await new Promise((r) => setTimeout(r, wait))
    pending.push(
      once(url).then(
        (r) => {
          lat.push(r.ms)
          if (r.ok) ok += 1
        },
        () => undefined,
      ),
    )
  }
  await Promise.all(pending)
  return { lat: lat.sort((a, b) => a - b), ok, sent: total }
}

/** Closed loop: `concurrency` workers back to back for `seconds`. */
async function saturate(url: string, concurrency: number, seconds: number): Promise<number> {
  let done = 0
  const until = performance.now() + seconds * 1000
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        if ((await once(url).catch(() => ({ ok: false }))).ok) done += 1
      }
    }),
  )
  return done / seconds
}

/** The one write "persist before ack" adds to every ack: Inbox.accept on a file database (WAL), alone. */
function inboxAccept(n: number): { p50: number; p99: number } {
  const dir = mkdtempSync(join(tmpdir(), 'beacon-bench-inbox-'))
  const db = openDb(join(dir, 'inbox.db'))
  try {
    const inbox = new Inbox(db, silentLogger, 'slack', async () => undefined)
    const body = JSON.parse(event().body) as unknown
    const lat: number[] = []
    for (let i = 0; i < n; i++) {
      const t0 = performance.now()
      inbox.accept(`event:Bench${i}`, body)
      lat.push(performance.now() - t0)
    }
    lat.sort((a, b) => a - b)
    return { p50: pct(lat, 50), p99: pct(lat, 99) }
  } finally {
    closeDb(db)
    rmSync(dir, { recursive: true, force: true })
  }
}

async function bareBolt(): Promise<{ url: string; close(): Promise<void> }> {
  const receiver = new ExpressReceiver({ signingSecret: SECRET, processBeforeResponse: false, logger: boltQuiet() })
  const app = new App({ receiver, token: 'xoxb-bench', botId: 'BBENCH', botUserId: 'UBENCH', logger: boltQuiet() })
  app.event('message', async () => undefined) // Bolt acks Events API requests itself
  const server = await new Promise<Server>((resolve) => {
    const s = receiver.app.listen(0, '127.0.0.1', () => resolve(s))
  })
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`,
    close: () => new Promise((r) => server.close(() => r())),
  }
}

function boltQuiet() {
  const noop = () => undefined
  return { debug: noop, info: noop, warn: noop, error: noop, setLevel: noop, getLevel: () => 'error' as never, setName: noop }
}

export async function main(): Promise<Stats[]> {
  const rate = Number(process.env.BENCH_RATE ?? 200)
  const seconds = Number(process.env.BENCH_SECONDS ?? 5)
  const concurrency = 32
  const fake = await new FakeSlackApi().start()
  fake.users.set('U1', { id: 'U1', name: 'ada', tz: 'UTC', profile: { display_name: 'Ada' } })
  const dir = mkdtempSync(join(tmpdir(), 'beacon-bench-'))
  const config = loadConfig({
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_API_URL: fake.apiUrl,
    DATABASE_PATH: join(dir, 'beacon.db'),
    LOG_LEVEL: 'silent',
  })
  const beacon = await composeBeacon(config, { log: silentLogger })
  const beaconUrl = `http://127.0.0.1:${await beacon.listen(0)}/slack/events`
  const bare = await bareBolt()
  const targets = [
    { name: 'bare Bolt (ack only)', url: bare.url },
    { name: 'Beacon /slack/events', url: beaconUrl },
  ]
  const results: Stats[] = []
  let idleRss = 0
  let peakRss = 0
  try {
    for (const t of targets) await steady(t.url, 50, 1) // warm up JIT, sockets, caches
    idleRss = process.memoryUsage().rss
    for (const t of targets) {
      // Resident memory of this process (Beacon, the bare app and the client) while Beacon takes the load.
      const sampler = t.url === beaconUrl ? setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100) : undefined
      const s = await steady(t.url, rate, seconds)
      if (sampler) clearInterval(sampler)
      const throughput = await saturate(t.url, concurrency, Math.min(3, seconds))
      results.push({ target: t.name, sent: s.sent, ok: s.ok, p50: pct(s.lat, 50), p99: pct(s.lat, 99), max: s.lat.at(-1) ?? NaN, throughput })
    }
    // Acks leave before the work; give the tail a moment, then show the work really happened.
    await new Promise((r) => setTimeout(r, 500))
    const row = beacon.ctx.db.$client.prepare('select count(*) as n from processed_events').get() as { n: number }
    console.log(`Beacon dispatched ${row.n} distinct events to the core (each claimed once in SQLite)`)
  } finally {
    await bare.close()
    await beacon.close()
    await fake.stop()
    rmSync(dir, { recursive: true, force: true })
  }
  const f = (n: number) => n.toFixed(2).padStart(8)
  console.log(`\nSlack ack benchmark — ${rate} signed events/s for ${seconds}s (open loop), then ${concurrency} in flight for ${Math.min(3, seconds)}s`)
  console.log(`${'target'.padEnd(24)} ${'ok/sent'.padStart(11)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'max ms'.padStart(8)} ${'req/s'.padStart(8)}`)
  for (const r of results) console.log(`${r.target.padEnd(24)} ${`${r.ok}/${r.sent}`.padStart(11)} ${f(r.p50)} ${f(r.p99)} ${f(r.max)} ${f(r.throughput)}`)
  const [b, s] = results
  if (b && s) console.log(`Beacon / bare: p50 ×${(s.p50 / b.p50).toFixed(2)}, p99 ×${(s.p99 / b.p99).toFixed(2)}, throughput ×${(s.throughput / b.throughput).toFixed(2)}`)
  console.log(`Resident memory (rss): idle ${(idleRss / 2 ** 20).toFixed(0)} MiB, peak under the ${rate}/s load ${(peakRss / 2 ** 20).toFixed(0)} MiB`)
  const accept = inboxAccept(5000)
  console.log(`Inbox insert before each ack (Inbox.accept, 5000 events, file DB): p50 ${(accept.p50 * 1000).toFixed(0)} µs, p99 ${(accept.p99 * 1000).toFixed(0)} µs\n`)
  return results
}

runIfMain(import.meta.url, main)
