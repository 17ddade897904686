/**
 * Beacon with Teams on a real HTTP port, a real SQLite file and local fakes for everything
 * Microsoft runs: the Bot Connector (serviceUrl), Graph + Azure AD token endpoint, and the Bot
 * Framework token issuer. `viaCompose` goes through composeBeacon exactly as `npm start` does;
 * `withCapabilities` builds the context by hand to plug in a test capability.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { createTeamsAdapter } from '../../../src/app/chat-adapters.ts'
import { composeBeacon, type Beacon } from '../../../src/app/compose.ts'
import { loadConfig } from '../../../src/app/config.ts'
import type { Adapter, BeaconContext } from '../../../src/app/context.ts'
import { createHttpApp, finishHttpApp } from '../../../src/app/http-server.ts'
import { sqliteStorage } from '../../../src/storage/open.ts'
import { createLogger } from '../../../src/app/logger.ts'
import type { Capability } from '../../../src/core/capability.ts'
import { Dispatcher } from '../../../src/core/dispatcher.ts'
import { MapPlatformDirectory } from '../../../src/core/platform-directory.ts'
import { systemClock, type Clock } from '../../../src/core/ports.ts'
import { createJobQueue } from '../../../src/jobs/create-queue.ts'
import { closeDb, openDb } from '../../../src/storage/db.ts'
import { startFakeBotFrameworkIssuer, type FakeBotFrameworkIssuer } from '../../support/bot-framework-auth.ts'
import { startFakeBotConnector, type ConnectorOptions, type FakeBotConnector } from '../../support/fake-bot-connector.ts'
import { startFakeGraph, type FakeGraph, type FakeGraphOptions } from '../../support/fake-graph.ts'
import type { Timers } from '../../../adapters/teams/rate-limiter.ts'

export const APP_ID = '00000000-0000-0000-0000-00000000b0b0'
export const APP_PASSWORD = 'test-app-password'

export interface HarnessOptions {
  /** Default: authenticated with APP_ID. */
  auth?: 'app' | 'anonymous' | 'none'
  /** viaCompose: more environment variables (e.g. KNOWLEDGE_REFRESH_DEBOUNCE_MS). */
  env?: Record<string, string>
  /** The adapter's time for rate limits and backoff (a virtual clock). */
  timers?: Timers
  /** viaCompose: the features' clock. */
  clock?: Clock
  /** How the fake Bot Connector and Graph behave (rate enforcement on the same clock). */
  connector?: ConnectorOptions
  graph?: FakeGraphOptions
}

export interface Harness {
  url: string
  connector: FakeBotConnector
  graph: FakeGraph
  issuer: FakeBotFrameworkIssuer
  ctx: BeaconContext
  adapter: Adapter
  logs: string[]
  /** POST an activity; signs a valid token unless `token` is given (null: no header). */
  post(activity: unknown, opts?: { token?: string | null; raw?: string }): Promise<{ status: number; body: unknown }>
  close(): Promise<void>
}

async function fakes(opts: HarnessOptions = {}) {
  const [connector, graph, issuer] = await Promise.all([
    startFakeBotConnector('/amer/', opts.connector),
    startFakeGraph({ clientId: APP_ID, clientSecret: APP_PASSWORD, ...opts.graph }),
    startFakeBotFrameworkIssuer(),
  ])
  return { connector, graph, issuer }
}

function env(dir: string, graph: FakeGraph, issuer: FakeBotFrameworkIssuer, auth: HarnessOptions['auth']): Record<string, string> {
  return {
    DATABASE_PATH: join(dir, 'beacon.db'),
    GRAPH_API_URL: graph.graphUrl,
    MICROSOFT_LOGIN_URL: graph.loginUrl,
    BOT_OPENID_METADATA_URL: issuer.metadataUrl,
    LOG_LEVEL: 'debug',
    PORT: '0',
    ...(auth === 'app' || auth === undefined ? { MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: APP_PASSWORD } : {}),
    ...(auth === 'anonymous' ? { TEAMS_ANONYMOUS: 'true' } : {}),
  }
}

function poster(url: string, connector: FakeBotConnector, issuer: FakeBotFrameworkIssuer, signed: boolean): Harness['post'] {
  return async (activity, opts = {}) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' }
    const token = opts.token === undefined ? (signed ? issuer.token({ audience: APP_ID, serviceUrl: connector.serviceUrl }) : null) : opts.token
    if (token) headers.authorization = `Bearer ${token}`
    const res = await fetch(`${url}/api/messages`, { method: 'POST', headers, body: opts.raw ?? JSON.stringify(activity) })
    const text = await res.text()
    let body: unknown = text
    try {
      body = text ? (JSON.parse(text) as unknown) : undefined
    } catch {
      /* keep text */
    }
    return { status: res.status, body }
  }
}

const captureLogs = (logs: string[]) => createLogger('debug', { write: (s: string) => void logs.push(s) })

export async function viaCompose(opts: HarnessOptions = {}): Promise<Harness> {
  const { connector, graph, issuer } = await fakes(opts)
  const dir = mkdtempSync(join(tmpdir(), 'beacon-teams-'))
  const logs: string[] = []
  const beacon: Beacon = await composeBeacon(loadConfig({ ...env(dir, graph, issuer, opts.auth), ...opts.env }), {
    log: captureLogs(logs),
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.timers ? { teamsTimers: opts.timers } : {}),
  })
  const port = await beacon.listen(0)
  const url = `http://127.0.0.1:${port}`
  return {
    url,
    connector,
    graph,
    issuer,
    ctx: beacon.ctx,
    adapter: beacon.adapters[0]!,
    logs,
    post: poster(url, connector, issuer, opts.auth !== 'anonymous' && opts.auth !== 'none'),
    async close() {
      await beacon.close()
      await Promise.all([connector.close(), graph.close(), issuer.close()])
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

export async function withCapabilities(capabilities: Capability[], opts: HarnessOptions = {}): Promise<Harness> {
  const { connector, graph, issuer } = await fakes(opts)
  const dir = mkdtempSync(join(tmpdir(), 'beacon-teams-'))
  const config = loadConfig(env(dir, graph, issuer, opts.auth))
  // Neither an app id nor TEAMS_ANONYMOUS: the env alone would not enable Teams, so force it to
  // prove the adapter itself refuses rather than silently running botbuilder unauthenticated.
  if (opts.auth === 'none')
    config.teams = {
      appType: 'MultiTenant',
      anonymous: false,
      graphApiUrl: graph.graphUrl,
      loginUrl: graph.loginUrl,
      openIdMetadataUrl: issuer.metadataUrl,
    }
  const logs: string[] = []
  const log = captureLogs(logs)
  const db = openDb(config.databasePath)
  const storage = sqliteStorage(db)
  const { repos } = storage
  const queue = await createJobQueue({ prefix: 'test', storage, log })
  const platforms = new MapPlatformDirectory()
  const ctx: BeaconContext = {
    config,
    log,
    storage,
    db,
    repos,
    queue,
    platforms,
    dispatcher: new Dispatcher(capabilities, repos.processedEvents, log),
    clock: systemClock,
  }
  const app = createHttpApp(ctx)
  const adapter = await createTeamsAdapter(ctx, app, opts.timers ? { timers: opts.timers } : {})
  finishHttpApp(app, ctx)
  platforms.register(adapter.platform)
  await adapter.start()
  const server = await new Promise<import('node:http').Server>((r) => {
    const s = app.listen(0, '127.0.0.1', () => r(s))
  })
  const url = `http://127.0.0.1:${(server.address() as import('node:net').AddressInfo).port}`
  return {
    url,
    connector,
    graph,
    issuer,
    ctx,
    adapter,
    logs,
    post: poster(url, connector, issuer, opts.auth !== 'anonymous' && opts.auth !== 'none'),
    async close() {
      await new Promise<void>((r) => {
        server.close(() => r())
        server.closeIdleConnections()
      })
      await adapter.stop()
      await queue.close()
      closeDb(db)
      await Promise.all([connector.close(), graph.close(), issuer.close()])
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
