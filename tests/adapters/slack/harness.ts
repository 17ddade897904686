/**
 * Beacon with the Slack adapter on a real HTTP port, a real SQLite file in a tmp dir and a fake
 * Slack Web API. `capabilities` replaces the feature set so adapter tests do not depend on how a
 * feature answers; `compose: true` goes through the real composition root instead.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createSlackAdapter } from '../../../src/app/chat-adapters.ts'
import { buildCapabilities } from '../../../src/app/capabilities.ts'
import { loadConfig } from '../../../src/app/config.ts'
import type { Adapter, BeaconContext } from '../../../src/app/context.ts'
import { createHttpApp, finishHttpApp } from '../../../src/app/http-server.ts'
import { sqliteStorage } from '../../../src/storage/open.ts'
import type { Capability } from '../../../src/core/capability.ts'
import { Dispatcher, type DispatchOptions, type DispatchResult } from '../../../src/core/dispatcher.ts'
import type { InboundEvent } from '../../../src/core/events.ts'
import { silentLogger } from '../../../src/core/logger.ts'
import { MapPlatformDirectory } from '../../../src/core/platform-directory.ts'
import { systemClock, type Turn } from '../../../src/core/ports.ts'
import { createJobQueue } from '../../../src/jobs/create-queue.ts'
import { closeDb, openDb } from '../../../src/storage/db.ts'
import { FakeSlackApi } from '../../support/fake-slack-api.ts'

export const SIGNING_SECRET = 'test-signing-secret'
/** 32 bytes, hex. */
export const ENCRYPTION_KEY = 'a'.repeat(64)

/** Records what reached the core, and how the dispatcher answered. */
export class RecordingDispatcher extends Dispatcher {
  readonly seen: { event: InboundEvent; result: DispatchResult }[] = []
  override async dispatch(event: InboundEvent, turn: Turn, opts?: DispatchOptions): Promise<DispatchResult> {
    const result = await super.dispatch(event, turn, opts)
    this.seen.push({ event, result })
    return result
  }
}

export interface Harness {
  url: string
  eventsUrl: string
  fake: FakeSlackApi
  ctx: BeaconContext
  adapter: Adapter
  /** Only with `compose`: the running Beacon. */
  beacon?: import('../../../src/app/compose.ts').Beacon
  /** Only with custom capabilities (the composed root builds its own dispatcher). */
  dispatcher?: RecordingDispatcher
  close(): Promise<void>
}

export interface HarnessOptions {
  capabilities?: Capability[]
  env?: Record<string, string>
  /** Use composeBeacon (src/app/compose.ts) as `npm start` does. */
  compose?: boolean
  fake?: FakeSlackApi
  /** Use this folder for the SQLite file and leave it in place on close (restart tests own it). */
  dataDir?: string
  /** Leave the fake Slack API running on close (another Beacon will use it next). */
  keepFake?: boolean
  /** With `compose`: extra composition-root options (a clock, …). */
  composeOptions?: import('../../../src/app/compose.ts').ComposeOptions
}

export async function startHarness(o: HarnessOptions = {}): Promise<Harness> {
  const fake = o.fake ?? (await new FakeSlackApi().start())
  const dir = o.dataDir ?? mkdtempSync(join(tmpdir(), 'beacon-slack-'))
  const cleanup = async () => {
    if (!o.keepFake) await fake.stop()
    if (!o.dataDir) rmSync(dir, { recursive: true, force: true })
  }
  const config = loadConfig({
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_API_URL: fake.apiUrl,
    DATABASE_PATH: join(dir, 'beacon.db'),
    LOG_LEVEL: 'silent',
    PORT: '0',
    ...o.env,
  })

  if (o.compose) {
    const { composeBeacon } = await import('../../../src/app/compose.ts')
    const beacon = await composeBeacon(config, { log: silentLogger, ...o.composeOptions })
    const port = await beacon.listen(0)
    const url = `http://127.0.0.1:${port}`
    return {
      url,
      eventsUrl: `${url}/slack/events`,
      fake,
      ctx: beacon.ctx,
      adapter: beacon.adapters[0]!,
      beacon,
      async close() {
        await beacon.close()
        await cleanup()
      },
    }
  }

  const log = silentLogger
  const db = openDb(config.databasePath)
  const storage = sqliteStorage(db)
  const { repos } = storage
  const queue = await createJobQueue({ prefix: 'test', storage, log })
  const platforms = new MapPlatformDirectory()
  const capabilities = o.capabilities ?? buildCapabilities({ config, log, repos, queue, platforms, clock: systemClock }).capabilities
  const dispatcher = new RecordingDispatcher(capabilities, repos.processedEvents, log)
  const ctx: BeaconContext = { config, log, storage, db, repos, queue, platforms, dispatcher, clock: systemClock }
  const http = createHttpApp(ctx)
  const adapter = await createSlackAdapter(ctx, http, { retryConfig: { retries: 2, minTimeout: 10, maxTimeout: 50 } })
  finishHttpApp(http, ctx)
  platforms.register(adapter.platform)
  await queue.start()
  await adapter.start()
  const server: Server = await new Promise((resolve) => {
    const s = http.listen(0, '127.0.0.1', () => resolve(s))
  })
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url,
    eventsUrl: `${url}/slack/events`,
    fake,
    ctx,
    adapter,
    dispatcher,
    async close() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await adapter.stop()
      await queue.close()
      closeDb(db)
      await cleanup()
    },
  }
}

let seq = 0
/** A unique Events API envelope around `event`. */
export function envelope(event: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  seq += 1
  return {
    token: 'legacy-verification-token',
    team_id: 'T1',
    api_app_id: 'A1',
    type: 'event_callback',
    event_id: `Ev${Date.now()}${seq}`,
    event_time: Math.floor(Date.now() / 1000),
    event,
    ...extra,
  }
}
