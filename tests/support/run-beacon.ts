import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { createRequire } from 'node:module'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

const ROOT = resolve(import.meta.dirname, '../..')
/**
 * Node with tsx's loader in-process, not the `tsx` CLI: the CLI relays signals to a child process and
 * SIGKILLs it when the child does not confirm a signal within 30 ms, which a busy machine easily misses.
 */
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href // by URL: the child's cwd may be anywhere
const entryArgs = (entry: 'main' | 'cli', args: string[] = []) => ['--import', TSX_LOADER, join(ROOT, `src/app/${entry}.ts`), ...args]

/** Starting a process compiles the sources: on a busy two-core machine that alone can take 10 s or more. */
const START_TIMEOUT_MS = 60_000

/** Variables a developer's shell may have that would change what Beacon does. */
const CONTRACT = /^(PORT|HOST|DATABASE_|REDIS_URL|QUEUE_PREFIX|SLACK_|MICROSOFT_|TEAMS_|GRAPH_|KNOWLEDGE_|PUBLIC_URL|BEACON_|LOG_LEVEL)/

export interface RunResult {
  code: number | null
  stdout: string
  stderr: string
}

/** A fresh data folder, so each run starts from an empty database. */
export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'beacon-run-'))
}

/**
 * The command line for an entry point. Tests run the TypeScript sources through tsx, so they test
 * the code in the tree and need no build; `compiled` (an output folder of scripts/build.mjs) runs
 * the JavaScript that `npm start` runs in production, with plain node.
 */
function entryCommand(entry: 'main' | 'cli', compiled: string | undefined, args: string[]): [string, string[]] {
  if (compiled) return [process.execPath, [join(compiled, `src/app/${entry}.js`), ...args]]
  return [process.execPath, entryArgs(entry, args)]
}

/** Runs a Beacon entry point (src/app/main.ts or cli.ts) as a real process with piped stdin. */
/** `cwd` (default the checkout) is the folder the process runs in: where it looks for `.env` and resolves relative paths. */
export function runBeacon(
  entry: 'main' | 'cli',
  opts: { args?: string[]; env?: Record<string, string>; stdin?: string; timeoutMs?: number; cwd?: string; compiled?: string } = {},
): Promise<RunResult> {
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !CONTRACT.test(k)) env[k] = v
  Object.assign(env, opts.env)
  return new Promise((resolvePromise, reject) => {
    const [cmd, argv] = entryCommand(entry, opts.compiled, opts.args ?? [])
    const child = spawn(cmd, argv, { cwd: opts.cwd ?? ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    const timer = setTimeout(() => {
      killHard(child) // a hung Beacon under the tsx wrapper must not outlive the test
      reject(new Error(`beacon ${entry} timed out\nstdout: ${stdout}\nstderr: ${stderr}`))
    }, opts.timeoutMs ?? START_TIMEOUT_MS)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolvePromise({ code, stdout, stderr })
    })
    child.stdin.end(opts.stdin ?? '')
  })
}

/** Starts a long-running Beacon process and resolves once a stdout line matches `ready`. */
/** With `stdin: 'pipe'`, the test types into the process (the shell) through `child.stdin`. */
export function startBeacon(
  entry: 'main' | 'cli',
  opts: { args?: string[]; env?: Record<string, string>; ready: RegExp; timeoutMs?: number; stdin?: 'pipe'; cwd?: string; compiled?: string },
) {
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !CONTRACT.test(k)) env[k] = v
  Object.assign(env, opts.env)
  const [cmd, argv] = entryCommand(entry, opts.compiled, opts.args ?? [])
  const child = spawn(cmd, argv, { cwd: opts.cwd ?? ROOT, env, stdio: [opts.stdin ?? 'ignore', 'pipe', 'pipe'] })
  // stdout and stderr are always pipes (only stdin varies), so they exist.
  const out = child.stdout!
  const err = child.stderr!
  let stdout = ''
  let stderr = ''
  err.on('data', (d: Buffer) => (stderr += d.toString()))
  const exited = new Promise<RunResult>((res) => child.on('close', (code) => res({ code, stdout, stderr })))
  const ready = new Promise<RegExpMatchArray>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`not ready in time\nstdout: ${stdout}\nstderr: ${stderr}`)), opts.timeoutMs ?? START_TIMEOUT_MS)
    out.on('data', (d: Buffer) => {
      stdout += d.toString()
      const m = stdout.match(opts.ready)
      if (m) {
        clearTimeout(timer)
        res(m)
      }
    })
    void exited.then((r) => rej(new Error(`exited with ${r.code} before ready\nstdout: ${r.stdout}\nstderr: ${r.stderr}`)))
  })
  return { child, ready, exited, output: () => ({ stdout, stderr }) }
}

/**
 * SIGKILL the Beacon process itself. `tsx` runs the entry point in a child node process and only
 * relays catchable signals, so killing the wrapper would leave Beacon running as an orphan.
 */
export function killHard(wrapper: ChildProcess): void {
  const kids = spawnSync('pgrep', ['-P', String(wrapper.pid)], { encoding: 'utf8' })
    .stdout.split(/\s+/)
    .filter(Boolean)
  for (const pid of kids) process.kill(Number(pid), 'SIGKILL')
  wrapper.kill('SIGKILL')
}

/**
 * `npm start` as a person types into it: each `type` sends lines, `until` waits for what the shell
 * prints after that point (answers, and DMs that jobs send a moment later), so nothing races.
 */
export function typeIntoShell(env: Record<string, string>, opts: { cwd?: string } = {}) {
  const p = startBeacon('main', { env, stdin: 'pipe', ready: /^/, ...opts })
  // `until` reports a process that died; the ready signal itself is not needed here.
  p.ready.catch(() => {})
  let from = 0
  return {
    output: () => p.output().stdout,
    /** Sends lines; later `until` calls only look at output printed after this. */
    type(...lines: string[]): void {
      from = p.output().stdout.length
      p.child.stdin!.write(lines.map((l) => `${l}\n`).join(''))
    },
    /** Resolves with the first match of `re` in what was printed since the last `type`. */
    async until(re: RegExp, timeoutMs = 20_000): Promise<RegExpMatchArray> {
      const start = from
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = p.output().stdout.slice(start).match(re)
          if (m) {
            p.child.stdout!.off('data', check)
            clearTimeout(timer)
            resolve(m)
          }
        }
        const timer = setTimeout(() => {
          p.child.stdout!.off('data', check)
          reject(new Error(`the shell never printed ${re}\n--- it printed:\n${p.output().stdout.slice(start)}\n--- stderr:\n${p.output().stderr}`))
        }, timeoutMs)
        p.child.stdout!.on('data', check)
        check()
      })
    },
    /** Ends the input, as Ctrl-D would, and waits for the process to exit. */
    async end(): Promise<RunResult> {
      p.child.stdin!.end()
      return p.exited
    },
  }
}

/**
 * Compiles Beacon as `npm ci` does (scripts/build.mjs, through `prepare`) into a fresh folder under
 * dist/, so its imports still resolve from the checkout's node_modules. Returns that folder.
 */
export function buildBeacon(): string {
  mkdirSync(join(ROOT, 'dist'), { recursive: true })
  const out = mkdtempSync(join(ROOT, 'dist', '.test-'))
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts/build.mjs'), out], { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`the build failed (${r.status})\n${r.stdout}\n${r.stderr}`)
  return out
}
