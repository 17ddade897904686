/**
 * Beacon's Slack adapter: Bolt receives (HTTP on /slack/events or Socket Mode), the translators
 * turn Slack payloads into core events, and SlackPlatform answers the core through the Web API.
 */
import type express from 'express'
import type { Adapter } from '../../src/core/adapter-host.ts'
import type { InboundEvent } from '../../src/core/events.ts'
import { onceTurn } from '../../src/core/once-turn.ts'
import type { Turn } from '../../src/core/ports.ts'
import { boltLogger } from './bolt-logger.ts'
import type { SlackDeps } from './deps.ts'
import type { SlackHost } from './host.ts'
import { SealedInstallationStore } from './installation-store.ts'
import { IntakeApp } from './intake.ts'
import { listenToEvents } from './listen-events.ts'
import { listenToInteractions } from './listen-interactions.ts'
import { DEFAULT_TTL, SlackDirectory } from './people-cache.ts'
import { buildReceiver } from './receiver.ts'
import { SecretBox } from './secret-box.ts'
import { RETRY_CONFIG, SlackClients, type WebClientOptions } from './slack-clients.ts'
import { SlackPlatform } from './slack-platform.ts'
import { WorkspaceRegistry } from './workspaces.ts'

export { renderCard, renderMessage, renderModal } from './render-block-kit.ts'
export { SlackPlatform } from './slack-platform.ts'

export interface SlackAdapterOptions {
  /** Web API retry policy (tests shorten it); 429s always wait for Retry-After. */
  retryConfig?: WebClientOptions['retryConfig']
}

export async function createSlackAdapter(host: SlackHost, http: express.Express, opts: SlackAdapterOptions = {}): Promise<Adapter> {
  const cfg = host.config
  const log = host.log.child({ adapter: 'slack' })
  const logger = boltLogger(log)
  const clientOptions: WebClientOptions = {
    slackApiUrl: cfg.apiUrl,
    logger,
    retryConfig: opts.retryConfig ?? RETRY_CONFIG,
    // Explicit although it is the default: a 429 waits for Retry-After and retries, never fails fast.
    rejectRateLimitedCalls: false,
  }

  let workspaces: WorkspaceRegistry | undefined
  let installations: SealedInstallationStore | undefined
  if (cfg.oauth) {
    const stored = host.installations
    if (!stored) throw new Error('BEACON_ENCRYPTION_KEY is required for Slack OAuth')
    installations = new SealedInstallationStore(stored.rows, new SecretBox(stored.key, stored.previousKeys), {
      onStored: async (inst) => {
        if (inst.team?.id) await workspaces?.ensure(inst.team.id, inst.team.name)
      },
    })
  }
  const clients = new SlackClients(clientOptions, installations ? { installations } : { botToken: cfg.botToken! })
  workspaces = new WorkspaceRegistry(host.repos.workspaces, clients, log)
  const directory = new SlackDirectory(clients, host.repos, host.clock, log, DEFAULT_TTL, cfg.departmentField)
  const platform = new SlackPlatform(clients, directory)

  // Single workspace: learn who the token is now, so a wrong token fails at start-up, not on the first event.
  const single = installations ? undefined : await clients.bootstrapSingle()
  if (single) await workspaces.ensure(single.teamId, single.teamName)

  const built = buildReceiver({
    config: cfg,
    publicUrl: host.publicUrl,
    http,
    logger,
    clientOptions,
    ...(installations ? { installationStore: installations } : {}),
  })
  const app = new IntakeApp({
    receiver: built.receiver,
    logger,
    clientOptions,
    // Beacon keeps no Bolt conversation state; skipping the store saves work on every event.
    convoStore: false,
    ...(single
      ? { token: single.token, ...(single.botId ? { botId: single.botId } : {}), ...(single.botUserId ? { botUserId: single.botUserId } : {}) }
      : {}),
  })
  app.error(async (err) => {
    log.error({ err }, 'bolt error')
  })

  let accepting = true
  const inbox = host.openInbox('slack', log, (body, run) => app.replay(body, run))
  app.useInbox({ inbox, log, accepting: () => accepting })
  const inFlight = new Set<Promise<unknown>>()
  const deps: SlackDeps = {
    host,
    platform,
    clients,
    directory,
    workspaces,
    inbox,
    ...(installations ? { installations } : {}),
    async dispatch(teamId: string, event: InboundEvent, turn: Turn, run) {
      const work = (async () => {
        await workspaces.ensure(teamId)
        await host.dispatcher.dispatch(event, run ? onceTurn(turn, run.ledger) : turn, run ? { claimed: true } : {})
      })()
      inFlight.add(work)
      try {
        await work
      } finally {
        inFlight.delete(work)
      }
    },
  }
  listenToEvents(app, deps)
  listenToInteractions(app, deps)
  log.info({ mode: built.mode, oauth: Boolean(installations) }, 'slack adapter ready')

  let stopping: Promise<void> | undefined
  return {
    platform,
    async start() {
      await built.start()
      // What a killed process accepted but never finished: processed again, once.
      inbox.start()
    },
    stop() {
      // Refuse new deliveries un-acked (Slack redelivers them) while what was accepted finishes;
      // only then close the connection, so nothing accepted is cut off and nothing refused is acked.
      stopping ??= (async () => {
        accepting = false
        await inbox.stop()
        await Promise.allSettled([...inFlight])
        await built.stop()
      })()
      return stopping
    },
  }
}
