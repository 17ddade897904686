import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type express from 'express'
import { Dispatcher } from '../core/dispatcher.ts'
import type { Logger } from '../core/logger.ts'
import { MapPlatformDirectory } from '../core/platform-directory.ts'
import { systemClock, type Clock } from '../core/ports.ts'
import { createJobQueue } from '../jobs/create-queue.ts'
import { closeDb, openDb } from '../storage/db.ts'
import { sqliteRepositories } from '../storage/repositories/index.ts'
import { buildCapabilities } from './capabilities.ts'
import type { Timers as TeamsTimers } from '../../adapters/teams/rate-limiter.ts'
import type { Config } from './config.ts'
import type { Adapter, BeaconContext } from './context.ts'
import { createHttpApp, finishHttpApp } from './http-server.ts'
import { mountDashboard } from './dashboard/routes.ts'
import { createLogger } from './logger.ts'

export interface Beacon {
  ctx: BeaconContext
  http: express.Express
  adapters: Adapter[]
  /** Start serving HTTP (port 0 picks a free one; no host: every interface); resolves with the bound port, rejects with the listen error (EADDRINUSE…). */
  listen(port?: number, host?: string): Promise<number>
  /** Graceful: stop accepting, finish in-flight work, close the queue and database. */
  close(): Promise<void>
}

export interface ComposeOptions {
  log?: Logger
  clock?: Clock
  /** Skip the Slack/Teams adapters even when configured (the shell adds its own). */
  withoutChatAdapters?: boolean
  /** More adapters, created once the context exists (the local shell). */
  extraAdapters?: (ctx: BeaconContext) => Promise<Adapter[]>
  /** Time for the Teams adapter's rate limits and retry backoff (tests: a virtual clock). */
  teamsTimers?: TeamsTimers
}

/** The composition root: the only place that knows which implementation backs each port. */
export async function composeBeacon(config: Config, opts: ComposeOptions = {}): Promise<Beacon> {
  const log = opts.log ?? createLogger(config.logLevel)
  const db = openDb(config.databasePath)
  const repos = sqliteRepositories(db)
  const queue = await createJobQueue({ ...(config.redisUrl ? { redisUrl: config.redisUrl } : {}), prefix: config.queuePrefix, db, log })
  const platforms = new MapPlatformDirectory()
  const clock = opts.clock ?? systemClock
  const features = buildCapabilities({ config, log, repos, queue, platforms, clock })
  const dispatcher = new Dispatcher(features.capabilities, repos.processedEvents, log)
  const ctx: BeaconContext = { config, log, db, repos, queue, platforms, dispatcher, clock }

  const http = createHttpApp(ctx)
  const adapters: Adapter[] = []
  if (!opts.withoutChatAdapters) {
    // Loaded on demand: the shell and the CLI never pay for Bolt or botbuilder.
    if (config.slack) adapters.push(await (await import('../../adapters/slack/index.ts')).createSlackAdapter(ctx, http))
    if (config.teams) adapters.push(await (await import('../../adapters/teams/index.ts')).createTeamsAdapter(ctx, http, opts.teamsTimers ? { timers: opts.teamsTimers } : {}))
  }
  if (!config.teams) {
    // Without an app id (or TEAMS_ANONYMOUS) nothing may reach the bot unauthenticated.
    http.post('/api/messages', (_req, res) => void res.status(401).json({ ok: false, error: 'teams_not_configured' }))
  }
  if (opts.extraAdapters) adapters.push(...(await opts.extraAdapters(ctx)))
  mountDashboard(http, features.adoption, ctx, features.impact)
  finishHttpApp(http, ctx)
  for (const a of adapters) platforms.register(a.platform)
  features.registerJobs()
  await queue.start()
  const scheduled = features.scheduleJobs().catch((err: unknown) => log.error({ err }, 'could not set up repeatable jobs'))
  for (const a of adapters) await a.start()

  let server: Server | undefined
  let closed = false
  return {
    ctx,
    http,
    adapters,
    listen: (port = config.port, host?: string) =>
      new Promise((resolve, reject) => {
        // Not express's app.listen: it calls the success callback on a listen error too.
        const s = createServer(http)
        s.once('error', reject)
        s.listen(port, host, () => {
          server = s
          resolve((s.address() as AddressInfo).port)
        })
      }),
    async close() {
      if (closed) return
      closed = true
      if (server) {
        const s = server
        const stopped = new Promise<void>((resolve) => s.close(() => resolve()))
        s.closeIdleConnections()
        await stopped
      }
      for (const a of adapters) await a.stop().catch((err: unknown) => log.warn({ err }, 'adapter stop failed'))
      await queue.close()
      // Setting up schedules can hang while Redis is down; it must not hold up shutdown.
      await Promise.race([scheduled, new Promise((r) => setTimeout(r, 1000).unref())])
      closeDb(db)
    },
  }
}
