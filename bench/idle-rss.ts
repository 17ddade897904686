/**
 * Idle resident memory of the serving process: the compiled `npm start` (plain node on dist/, built
 * here into a private folder as `npm ci` builds dist/, with npm start's node flags) with Slack and
 * Teams both configured against local fakes, read from /proc/<pid>/status 3 s after it listens
 * (start-up garbage still in the heap) and 20 s after (idle, the figure the goal is about). Its floor,
 * measured the same way: bare Node serving the same two libraries (bench/bare-serving.mjs: a bare
 * Bolt app and botbuilder's CloudAdapter), with the same node flags. Beside them, the sources through tsx (the dev path).
 *
 *   npx tsx bench/idle-rss.ts            (BENCH_IDLE_MS=20000)
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { startFakeBotFrameworkIssuer } from '../tests/support/bot-framework-auth.ts'
import { FakeSlackApi } from '../tests/support/fake-slack-api.ts'
import { startFakeGraph } from '../tests/support/fake-graph.ts'
import { buildBeacon, killHard, startBeacon, tempDataDir } from '../tests/support/run-beacon.ts'
import { APP_ID, APP_PASSWORD } from '../tests/adapters/teams/harness.ts'
import { runIfMain } from './run-if-main.ts'
import { startFlags } from './start-flags.ts'
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

interface Running {
  child: ChildProcess
  ready: Promise<RegExpMatchArray>
  exited: Promise<unknown>
}

/** The floor: plain node on bench/bare-serving.mjs, with npm start's node flags (as Beacon's compiled run). */
function startBare(env: Record<string, string>): Running {
  const child = spawn(process.execPath, [...startFlags(), join(import.meta.dirname, 'bare-serving.mjs')], {
    env: { ...process.env, ...env, NODE_OPTIONS: '' },
  })
  const exited = new Promise((r) => child.on('close', r))
  let out = ''
  const ready = new Promise<RegExpMatchArray>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      const m = /listening on :(\d+)/.exec(out)
      if (m) resolve(m)
    })
    child.stderr.on('data', (d: Buffer) => (out += d.toString()))
    void exited.then(() => reject(new Error(`bare-serving.mjs exited: ${out}`)))
  })
  return { child, ready, exited }
}

async function idleRss(p: Running, idleMs: number): Promise<{ early: number; idle: number }> {
  try {
    const [, port] = await p.ready
    await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined)
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
  const beacon = (compiled?: string) =>
    startBeacon('main', {
      // npm start's node flags reach the compiled entry through NODE_OPTIONS (V8 memory flags are allowed there).
      env: { ...env, DATABASE_PATH: join(tempDataDir(), 'b.db'), ...(compiled ? { NODE_OPTIONS: startFlags().join(' ') } : {}) },
      ready: /listening on :(\d+)/,
      timeoutMs: 60_000,
      ...(compiled ? { compiled } : {}),
    })
  try {
    const floor = await idleRss(startBare(env), idleMs)
    const compiled = await idleRss(beacon(out), idleMs)
    const viaTsx = await idleRss(beacon(), idleMs)
    const f = (x: number) => x.toFixed(0).padStart(8)
    const ratio = compiled.idle / floor.idle
    console.log(
      `RSS of the serving process (Slack + Teams configured, SQLite, in-process jobs), MiB; npm start flags: ${startFlags().join(' ') || 'none'}`,
    )
    console.log(`process                                        3 s  ${String(idleMs / 1000).padStart(3)} s idle   goal`)
    console.log(`floor: bare Node + Bolt + botbuilder      ${f(floor.early)}  ${f(floor.idle)}`)
    console.log(
      `compiled (npm start: node dist)           ${f(compiled.early)}  ${f(compiled.idle)}   ` +
        `< ${GOAL_MIB}: ${compiled.idle < GOAL_MIB ? 'met' : 'NOT MET'} (×${ratio.toFixed(2)} the floor)`,
    )
    console.log(`sources via tsx (wrapper + child)         ${f(viaTsx.early)}  ${f(viaTsx.idle)}   (npm run dev)`)
    addIssueRow({
      what: `idle RSS of the serving process (${idleMs / 1000} s idle)`,
      beacon: `${compiled.idle.toFixed(0)} MiB (${compiled.early.toFixed(0)} at 3 s)`,
      floor: `bare Node + Bolt + botbuilder: ${floor.idle.toFixed(0)} MiB`,
      ratio: `×${ratio.toFixed(2)}`,
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
