import { dirname, join } from 'node:path'
import pino from 'pino'
import { createShellAdapter, type ShellAdapter } from '../../adapters/shell/index.ts'
import { composeBeacon, type Beacon } from './compose.ts'
import { ConfigError, loadConfig, type Config } from './config.ts'
import { createLogger } from './logger.ts'

/** Reads the environment, or prints every problem at once and exits non-zero. */
export function configOrExit(env: Record<string, string | undefined> = process.env): Config {
  try {
    return loadConfig(env)
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\nSee .env.example for every variable and its meaning.\n`)
      process.exit(2)
    }
    throw err
  }
}

/** HTTP mode: Slack and/or Teams, health checks; SIGTERM drains and exits cleanly. */
export async function serve(config: Config): Promise<Beacon> {
  const log = createLogger(config.logLevel)
  const beacon = await composeBeacon(config, { log })
  const port = await beacon.listen(config.port)
  log.info(
    { port, slack: Boolean(config.slack), teams: Boolean(config.teams), queue: config.redisUrl ? 'bullmq' : 'in-process' },
    `Beacon listening on :${port}`,
  )
  onShutdown(async (signal) => {
    log.info({ signal }, 'shutting down: finishing in-flight work')
    await beacon.close()
    log.info({}, 'stopped')
  })
  return beacon
}

/** The local shell on the embedded defaults; logs go to a file so the terminal stays a chat. */
export async function shell(config: Config): Promise<void> {
  const logFile = join(dirname(config.databasePath), 'beacon-shell.log')
  const log = createLogger(config.logLevel, pino.destination({ dest: logFile, mkdir: true, sync: false }))
  let adapter: ShellAdapter | undefined
  const beacon = await composeBeacon(config, {
    log,
    withoutChatAdapters: true,
    extraAdapters: async (ctx) => [(adapter = await createShellAdapter(ctx, { input: process.stdin, output: process.stdout }))],
  })
  // The dashboard links `/beacon dashboard` hands out point here; a taken port only costs the links.
  await beacon.listen(config.port).catch((err: unknown) => log.warn({ err, port: config.port }, 'dashboard not served: the port is taken'))
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
