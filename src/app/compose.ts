import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type express from 'express'
import { Dispatcher } from '../core/dispatcher.ts'
import type { Logger } from '../core/logger.ts'
import { MapPlatformDirectory } from '../core/platform-directory.ts'
import { systemClock, type Clock } from '../core/ports.ts'
import { createJobQueue } from '../jobs/create-queue.ts'
import { openStorage, sqliteDbOf } from '../storage/open.ts'
import { buildCapabilities } from './capabilities.ts'
import { createSlackAdapter, createTeamsAdapter } from './chat-adapters.ts'
import type { Timers as TeamsTimers } from '../../adapters/teams/rate-limiter.ts'
import { type Config, ConfigError } from './config.ts'
import type { Adapter, BeaconContext } from './context.ts'
import { createHttpApp, finishHttpApp } from './http-server.ts'
import { mountDashboard } from './dashboard/routes.ts'
import { createLogger } from './logger.ts'

export interface Beacon {
  ctx: BeaconContext
  http: express.Express
  adapters: Adapter[]
  /**
   * Start serving HTTP (port 0 picks a free one; no host: every interface); resolves with the bound
   * port, rejects with the listen error (EADDRINUSE…).
   */
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
  /**
   * What this process does (`beacon serve --role`): `web` takes chat traffic and enqueues jobs but
   * runs none; `worker` runs jobs and schedules and serves only the health checks (its adapters
   * are there to post, not to listen); `all` (default) does both.
   */
  role?: Role
}

export type Role = 'web' | 'worker' | 'all'
export const ROLES: readonly Role[] = ['web', 'worker', 'all']

/** The composition root: the only place that knows which implementation backs each port. */
export async function composeBeacon(config: Config, opts: ComposeOptions = {}): Promise<Beacon> {
  const log = opts.log ?? createLogger(config.logLevel)
  const role = opts.role ?? 'all'
  if (config.databaseUrl && !config.redisUrl) {
    // Processes on several hosts share jobs only through Redis; an in-process queue would strand them.
    throw new ConfigError(['REDIS_URL: required with DATABASE_URL (PostgreSQL): jobs run on BullMQ so every web and worker process shares them'])
  }
  const storage = await openStorage(config, { onIdleError: (err) => log.warn({ err }, 'a PostgreSQL connection broke; the pool replaces it') })
  const { repos } = storage
  const queue = await createJobQueue({ ...(config.redisUrl ? { redisUrl: config.redisUrl } : {}), prefix: config.queuePrefix, storage, log }).catch(
    async (err: unknown) => {
      await storage.close()
      throw err
    },
  )
  const platforms = new MapPlatformDirectory()
  const clock = opts.clock ?? systemClock
  const features = buildCapabilities({ config, log, repos, queue, platforms, clock })
  const dispatcher = new Dispatcher(features.capabilities, repos.processedEvents, log, features.beaconHelpNote)
  const ctx: BeaconContext = {
    config,
    log,
    storage,
    get db() {
      return sqliteDbOf(storage)
    },
    repos,
    queue,
    platforms,
    dispatcher,
    clock,
  }

  const http = createHttpApp(ctx)
  // A worker's adapters mount their routes on an app nobody serves: it posts, it does not listen.
  const routes = role === 'worker' ? createHttpApp(ctx) : http
  const adapters: Adapter[] = []
  if (!opts.withoutChatAdapters) {
    // Loaded on demand: the shell and the CLI never pay for Bolt or botbuilder.
    if (config.slack) adapters.push(await createSlackAdapter(ctx, routes))
    if (config.teams) adapters.push(await createTeamsAdapter(ctx, routes, opts.teamsTimers ? { timers: opts.teamsTimers } : {}))
  }
  if (!config.teams && role !== 'worker') {
    // Without an app id (or TEAMS_ANONYMOUS) nothing may reach the bot unauthenticated.
    http.post('/api/messages', (_req, res) => void res.status(401).json({ ok: false, error: 'teams_not_configured' }))
  }
  if (opts.extraAdapters) adapters.push(...(await opts.extraAdapters(ctx)))
  if (role !== 'worker') mountDashboard(http, features.adoption, ctx, features.impact)
  finishHttpApp(http, ctx)
  for (const a of adapters) platforms.register(a.platform)
  features.registerJobs()
  const runsJobs = role !== 'web'
  if (runsJobs) await queue.start()
  const scheduled = runsJobs
    ? features.scheduleJobs().catch((err: unknown) => log.error({ err }, 'could not set up repeatable jobs'))
    : Promise.resolve()
  // Only a process that takes traffic connects inbound (Socket Mode) and replays its inbox.
  const listening = role === 'worker' ? [] : adapters
  for (const a of listening) await a.start()

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
        // Idle keep-alive connections outlive the clients' and load balancers' own (undici 4 s, AWS
        // ALB 60 s), so the client closes an idle connection first: a server closing it at the moment
        // a client reuses it fails that request ("other side closed"), which clients do not retry.
        s.keepAliveTimeout = 65_000
        s.headersTimeout = 66_000
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
      for (const a of listening) await a.stop().catch((err: unknown) => log.warn({ err }, 'adapter stop failed'))
      await queue.close()
      // Setting up schedules can hang while Redis is down; it must not hold up shutdown.
      await Promise.race([scheduled, new Promise((r) => setTimeout(r, 1000).unref())])
      await storage.close()
    },
  }
}
