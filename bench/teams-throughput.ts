/**
 * Teams activity throughput: JWT-signed Bot Framework activities on loopback against Beacon's
 * POST /api/messages (composeBeacon, real SQLite, the fake connector, Graph and token issuer from
 * tests/support). Two kinds: a plain channel message (verified, translated, claimed, counted; no
 * reply) and `kb deploy` in a personal chat (a search and a reply sent to the connector before the
 * HTTP answer, as botbuilder does). Closed loop with `concurrency` in flight, then an open-loop
 * latency run at a steady rate.
 *
 *   npx tsx bench/teams-throughput.ts       (about 15 s; BENCH_SECONDS / BENCH_RATE to tune)
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadConfig } from '../src/app/config.ts'
import { composeBeacon } from '../src/app/compose.ts'
import { silentLogger } from '../src/core/logger.ts'
import { startFakeBotFrameworkIssuer } from '../tests/support/bot-framework-auth.ts'
import { startFakeBotConnector } from '../tests/support/fake-bot-connector.ts'
import { startFakeGraph } from '../tests/support/fake-graph.ts'
import { APP_ID, APP_PASSWORD } from '../tests/adapters/teams/harness.ts'
import { channelMessage, personalMessage } from '../tests/adapters/teams/activities.ts'
import { runIfMain } from './run-if-main.ts'

export interface TeamsStats {
  kind: string
  ok: number
  sent: number
  throughput: number
  p50: number
  p99: number
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN

export async function main(): Promise<TeamsStats[]> {
  const seconds = Number(process.env.BENCH_SECONDS ?? 5)
  const rate = Number(process.env.BENCH_RATE ?? 100)
  const concurrency = 16
  const [connector, graph, issuer] = await Promise.all([
    startFakeBotConnector(),
    startFakeGraph({ clientId: APP_ID, clientSecret: APP_PASSWORD }),
    startFakeBotFrameworkIssuer(),
  ])
  const dir = mkdtempSync(join(tmpdir(), 'beacon-bench-teams-'))
  const config = loadConfig({
    DATABASE_PATH: join(dir, 'beacon.db'),
    GRAPH_API_URL: graph.graphUrl,
    MICROSOFT_LOGIN_URL: graph.loginUrl,
    BOT_OPENID_METADATA_URL: issuer.metadataUrl,
    MICROSOFT_APP_ID: APP_ID,
    MICROSOFT_APP_PASSWORD: APP_PASSWORD,
    LOG_LEVEL: 'silent',
  })
  const beacon = await composeBeacon(config, { log: silentLogger })
  const url = `http://127.0.0.1:${await beacon.listen(0)}/api/messages`
  // One token for the run (Bot Framework tokens live an hour); signing one per request would bench the test's RSA.
  const token = issuer.token({ audience: APP_ID, serviceUrl: connector.serviceUrl })
  const kinds: Record<string, () => unknown> = {
    'channel message (no reply)': () => channelMessage(connector.serviceUrl, 'the deploy finished, dashboards are green'),
    'kb deploy (search + reply)': () => personalMessage(connector.serviceUrl, 'kb deploy'),
  }
  const once = async (make: () => unknown) => {
    const t0 = performance.now()
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(make()),
    })
    await res.arrayBuffer()
    return { ok: res.status === 200, ms: performance.now() - t0 }
  }
  const results: TeamsStats[] = []
  try {
    for (const make of Object.values(kinds)) for (let i = 0; i < 50; i++) await once(make) // warm-up
    for (const [kind, make] of Object.entries(kinds)) {
      let done = 0
      const until = performance.now() + seconds * 1000
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (performance.now() < until) if ((await once(make).catch(() => ({ ok: false }))).ok) done += 1
        }),
      )
      const lat: number[] = []
      let ok = 0
      const total = Math.round(rate * Math.min(3, seconds))
      const start = performance.now()
      const pending: Promise<void>[] = []
      for (let i = 0; i < total; i++) {
        const wait = start + (i * 1000) / rate - performance.now()
        if (wait > 0) await new Promise((r) => setTimeout(r, wait))
        pending.push(
          once(make).then(
            (r) => {
              lat.push(r.ms)
              if (r.ok) ok += 1
            },
            () => undefined,
          ),
        )
      }
      await Promise.all(pending)
      lat.sort((a, b) => a - b)
      results.push({ kind, ok, sent: total, throughput: done / seconds, p50: pct(lat, 50), p99: pct(lat, 99) })
    }
  } finally {
    await beacon.close()
    await Promise.all([connector.close(), graph.close(), issuer.close()])
    rmSync(dir, { recursive: true, force: true })
  }
  const f = (n: number) => n.toFixed(2).padStart(8)
  console.log(
    `\nTeams activity benchmark — ${concurrency} in flight for ${seconds}s (throughput), ` +
      `then ${rate}/s open loop for ${Math.min(3, seconds)}s (latency)`,
  )
  console.log(`${'activity'.padEnd(28)} ${'req/s'.padStart(8)} ${'ok/sent'.padStart(9)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)}`)
  for (const r of results) console.log(`${r.kind.padEnd(28)} ${f(r.throughput)} ${`${r.ok}/${r.sent}`.padStart(9)} ${f(r.p50)} ${f(r.p99)}`)
  return results
}

runIfMain(import.meta.url, main)
