/**
 * Idle resident memory of the serving process: the compiled `npm start` (plain node on dist/, built
 * here into a private folder as `npm ci` builds dist/) with Slack and Teams both configured against
 * local fakes, read from /proc/<pid>/status 3 s after it listens (start-up garbage still in the heap)
 * and 20 s after (idle: V8's memory reducer has shrunk the heap, the figure the goal is about).
 * Beside it, the same sources run through tsx (the dev path, and how `npm start` ran before).
 *
 *   npx tsx bench/idle-rss.ts            (BENCH_IDLE_MS=20000)
 */
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { startFakeBotFrameworkIssuer } from '../tests/support/bot-framework-auth.ts'
import { FakeSlackApi } from '../tests/support/fake-slack-api.ts'
import { startFakeGraph } from '../tests/support/fake-graph.ts'
import { buildBeacon, killHard, startBeacon, tempDataDir } from '../tests/support/run-beacon.ts'
import { APP_ID, APP_PASSWORD } from '../tests/adapters/teams/harness.ts'
import { runIfMain } from './run-if-main.ts'
import { addIssueRow } from './summary.ts'

const GOAL_MIB = 120

/** VmRSS of a process, or of its one node child when it is a wrapper (tsx starts Beacon in a child). */
function rssMiB(pid: number): number {
  const read = (p: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0) / 1024
  let kids: number[] = []
  try {
    kids = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(/\s+/).filter(Boolean).map(Number)
  } catch {
    // no children file: a plain process
  }
  return read(pid) + kids.reduce((sum, k) => sum + read(k), 0)
}

async function idleRss(compiled: string | undefined, env: Record<string, string>, idleMs: number): Promise<{ early: number; idle: number }> {
  const p = startBeacon('main', {
    env: { ...env, DATABASE_PATH: join(tempDataDir(), 'b.db') },
    ready: /listening on :(\d+)/,
    timeoutMs: 60_000,
    ...(compiled ? { compiled } : {}),
  })
  try {
    const [, port] = await p.ready
    await fetch(`http://127.0.0.1:${port}/healthz`)
    await sleep(3000)
    const early = rssMiB(p.child.pid!)
    await sleep(Math.max(0, idleMs - 3000))
    return { early, idle: rssMiB(p.child.pid!) }
  } finally {
    killHard(p.child)
    await p.exited
  }
}

export async function main(): Promise<void> {
  const idleMs = Number(process.env.BENCH_IDLE_MS ?? 20_000)
  const slack = await new FakeSlackApi().start()
  const [graph, issuer] = await Promise.all([startFakeGraph({ clientId: APP_ID, clientSecret: APP_PASSWORD }), startFakeBotFrameworkIssuer()])
  const env = {
    PORT: '0',
    LOG_LEVEL: 'info',
    SLACK_SIGNING_SECRET: 'bench-secret',
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_API_URL: slack.apiUrl,
    GRAPH_API_URL: graph.graphUrl,
    MICROSOFT_LOGIN_URL: graph.loginUrl,
    BOT_OPENID_METADATA_URL: issuer.metadataUrl,
    MICROSOFT_APP_ID: APP_ID,
    MICROSOFT_APP_PASSWORD: APP_PASSWORD,
  }
  const out = buildBeacon()
  try {
    const compiled = await idleRss(out, env, idleMs)
    const viaTsx = await idleRss(undefined, env, idleMs)
    const f = (x: number) => x.toFixed(0).padStart(8)
    console.log('RSS of the serving process (Slack + Teams configured, SQLite, in-process jobs), MiB')
    console.log(`process                                3 s  ${String(idleMs / 1000).padStart(3)} s idle   goal`)
    console.log(
      `compiled (npm start: node dist)   ${f(compiled.early)}  ${f(compiled.idle)}   < ${GOAL_MIB}: ${compiled.idle < GOAL_MIB ? 'met' : 'NOT MET'}`,
    )
    console.log(`sources via tsx (wrapper + child) ${f(viaTsx.early)}  ${f(viaTsx.idle)}   (npm run dev; npm start before the build step)`)
    addIssueRow({
      what: `idle RSS of the serving process (${idleMs / 1000} s idle)`,
      beacon: `${compiled.idle.toFixed(0)} MiB (${compiled.early.toFixed(0)} at 3 s)`,
      floor: `— (tsx: ${viaTsx.idle.toFixed(0)} MiB)`,
      ratio: '—',
      goal: `< ${GOAL_MIB} MiB`,
      met: compiled.idle < GOAL_MIB,
    })
  } finally {
    rmSync(out, { recursive: true, force: true })
    await slack.stop()
    await Promise.all([graph.close(), issuer.close()])
  }
}

runIfMain(import.meta.url, main)
