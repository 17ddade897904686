import { closeSync, existsSync, openSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { ShellAdapter } from '../../adapters/shell/index.ts'
import { DatabaseOpenError, ensureDir } from '../storage/db.ts'
import { PostgresOpenError } from '../storage/pg/open-error.ts'
import { composeBeacon, type Beacon, type Role } from './compose.ts'
import { ConfigError, listenHost, loadConfig, type Config } from './config.ts'
import { createLogger, fileDestination } from './logger.ts'
import { clockFromEnvironment } from './test-clock-file.ts'

/**
 * Loads `.env` from the working directory into process.env, the way `.env.example` promises.
 * Variables already in the real environment win (Node's loader never overwrites them).
 */
export function loadDotEnv(cwd: string = process.cwd()): void {
  const file = join(cwd, '.env')
  if (!existsSync(file)) return
  try {
    process.loadEnvFile(file)
  } catch (err) {
    throw new ConfigError([`.env: cannot be read (${err instanceof Error ? err.message : String(err)})`])
  }
}

/** Reads the environment (and `.env`), or prints every problem at once and exits 2. */
export function configOrExit(env: Record<string, string | undefined> = process.env): Config {
  try {
    if (env === process.env) loadDotEnv()
    return loadConfig(env)
  } catch (err) {
    return exitOnStartupError(err)
  }
}

/**
 * Start-up problems a person can fix in their settings (bad variables, a database path that
 * cannot be written, a taken port) become one line naming the variable and exit code 2, not a
 * stack trace. Anything else is a bug and is rethrown.
 */
export function exitOnStartupError(err: unknown): never {
  const line = startupProblem(err)
  if (line === undefined) throw err
  process.stderr.write(`${line}\nSee .env.example for every variable and its meaning.\n`)
  process.exit(2)
}

function startupProblem(err: unknown): string | undefined {
  if (err instanceof ConfigError) return err.message
  if (err instanceof DatabaseOpenError)
    return `Beacon cannot start: DATABASE_PATH: ${err.message}; set DATABASE_PATH to a file in a folder you can write.`
  if (err instanceof PostgresOpenError)
    return (
      `Beacon cannot start: DATABASE_URL: ${err.message}; ` +
      'check the URL, that the server runs, and that the user may create tables in that database.'
    )
  if (err instanceof ListenError) return `Beacon cannot start: ${err.message}`
  return undefined
}

/** HTTP could not listen; names PORT or HOST, whichever the person has to change. */
export class ListenError extends Error {
  constructor(port: number, host: string | undefined, cause: unknown) {
    super(listenProblem(port, host, cause), { cause })
    this.name = 'ListenError'
  }
}

function listenProblem(port: number, host: string | undefined, cause: unknown): string {
  const code = typeof cause === 'object' && cause !== null && 'code' in cause ? String(cause.code) : ''
  const where = `${host ?? 'every interface'} port ${port}`
  if (code === 'EADDRINUSE') return `PORT: ${port} is already in use (on ${host ?? 'every interface'}); set PORT to a free port.`
  if (code === 'EACCES') return `PORT: ${port} needs more privileges on this machine; set PORT to 1024 or higher.`
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return `HOST: ${host} is not an address of this machine; unset HOST or use 127.0.0.1 or 0.0.0.0.`
  return `cannot listen on ${where}: ${cause instanceof Error ? cause.message : String(cause)}`
}

async function listenOn(beacon: Beacon, config: Config, mode: Config['mode']): Promise<number> {
  const host = listenHost(config, mode)
  try {
    return await beacon.listen(config.port, host)
  } catch (err) {
    throw new ListenError(config.port, host, err)
  }
}

/** HTTP mode: Slack and/or Teams, health checks; SIGTERM drains and exits cleanly. `role` splits web from worker processes. */
export async function serve(config: Config, opts: { role?: Role } = {}): Promise<Beacon> {
  const log = createLogger(config.logLevel)
  const role = opts.role ?? 'all'
  const beacon = await composeBeacon(config, { log, role, clock: clockFromEnvironment(process.env) })
  const port = await listenOn(beacon, config, 'serve').catch(async (err: unknown) => {
    await beacon.close()
    throw err
  })
  log.info(
    {
      port,
      role,
      slack: Boolean(config.slack),
      teams: Boolean(config.teams),
      queue: config.redisUrl ? 'bullmq' : 'in-process',
      database: beacon.ctx.storage.kind,
    },
    `Beacon ${role === 'all' ? '' : `${role} `}listening on :${port}`,
  )
  onShutdown(async (signal) => {
    log.info({ signal }, 'shutting down: finishing in-flight work')
    await beacon.close()
    log.info({}, 'stopped')
  })
  return beacon
}

/** Where the shell writes its logs: next to the database, so one folder holds what the shell keeps. */
export function shellLogPath(config: Pick<Config, 'databasePath'>): string {
  return join(dirname(config.databasePath), 'beacon-shell.log')
}

/** The local shell on the embedded defaults; logs go to a file so the terminal stays a chat. */
export async function shell(config: Config): Promise<void> {
  const logFile = shellLogPath(config)
  let fd: number
  try {
    ensureDir(dirname(logFile))
    fd = openSync(logFile, 'a')
  } catch (err) {
    throw new DatabaseOpenError(config.databasePath, err)
  }
  const log = createLogger(config.logLevel, fileDestination(fd))
  let adapter: ShellAdapter | undefined
  const beacon = await composeBeacon(config, {
    log,
    withoutChatAdapters: true,
    // Loaded here: a serving process never needs the shell.
    extraAdapters: async (ctx) => {
      const { createShellAdapter } = await import('../../adapters/shell/index.ts')
      return [(adapter = await createShellAdapter(ctx, { input: process.stdin, output: process.stdout }))]
    },
  }).catch((err: unknown) => {
    closeSync(fd)
    throw err
  })
  // The dashboard links `/beacon dashboard` hands out point here; a taken port only costs the links.
  const port = await listenOn(beacon, config, 'shell').catch((err: unknown) => {
    log.warn({ err }, 'dashboard not served')
    process.stdout.write(`Dashboard not served: ${err instanceof Error ? err.message : String(err)} Everything else in the shell works.\n`)
    return undefined
  })
  log.info({ databasePath: config.databasePath, port, host: listenHost(config, 'shell') }, 'shell started')
  let closing = false
  const close = async () => {
    if (closing) return
    closing = true
    await beacon.close()
  }
  onShutdown(close)
  await adapter!.run()
  await close()
}

function onShutdown(fn: (signal: string) => Promise<void>): void {
  let done = false
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      if (done) return
      done = true
      fn(signal).then(
        () => process.exit(0),
        (err: unknown) => {
          process.stderr.write(`shutdown failed: ${String(err)}\n`)
          process.exit(1)
        },
      )
    })
  }
}
