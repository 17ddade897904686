/**
 * The Teams adapter: botbuilder's CloudAdapter at POST /api/messages, a TeamsActivityHandler that
 * translates activities into core events, and the ChatPlatform the core posts through. botbuilder
 * never leaves this folder, so moving to the Teams SDK replaces this folder and nothing else.
 */
import type { TurnContext } from 'botbuilder'
import type express from 'express'
import type { Adapter, DeliveryInbox, InboxRun } from '../../src/core/adapter-host.ts'
import { requireCommonJs } from '../../src/core/require-commonjs.ts'
import { createTeamsAuth, type TeamsEndpoints } from './auth.ts'
import { BeaconTeamsBot } from './bot.ts'
import { connectorTransport } from './connector-transport.ts'
import type { TeamsHost } from './host.ts'
import { GraphClient } from './graph-client.ts'
import { activityKey, ReplayableCloudAdapter, withInboxTurn } from './intake.ts'
import { TeamsDirectory } from './references.ts'
import { realTimers, type Timers } from './rate-limiter.ts'
import { Roster } from './roster.ts'
import { RosterEmails } from './roster-emails.ts'
import { TeamGroups } from './team-groups.ts'
import { TeamsPlatform } from './teams-platform.ts'
import { tenantRemoval } from './tenant-removal.ts'
import { activityEnvelope } from './translate-activity.ts'

export const TEAMS_MESSAGES_PATH = '/api/messages'

export interface TeamsAdapterOptions {
  /** Time for rate limits and retry backoff; tests pass a virtual clock. */
  timers?: Timers
}

export async function createTeamsAdapter(host: TeamsHost, app: express.Express, opts: TeamsAdapterOptions = {}): Promise<Adapter> {
  const config = host.config
  const endpoints: TeamsEndpoints = { loginUrl: config.loginUrl, openIdMetadataUrl: config.openIdMetadataUrl }
  const log = host.log.child({ adapter: 'teams' })
  const scoped = { ...host, log }
  const timers = opts.timers ?? realTimers
  const { auth, tokens, appId } = createTeamsAuth(config, endpoints, connectorTransport({ timers, log }))
  const adapter = new ReplayableCloudAdapter(auth)
  const directory = new TeamsDirectory(host, host.references)
  const teamGroups = new TeamGroups(adapter, appId, directory.repo, log)
  const rosterEmails = new RosterEmails(scoped, adapter, appId, directory)
  const platform = new TeamsPlatform(host, adapter, appId, directory, new GraphClient(config.graphApiUrl, tokens, timers), teamGroups, rosterEmails)
  // The inbox is made below (its replay needs the bot); removal only runs once activities flow.
  const bot = new BeaconTeamsBot(
    scoped,
    platform,
    directory,
    new Roster(scoped, adapter, appId, directory),
    tenantRemoval(scoped, directory, (): DeliveryInbox => inbox),
  )

  adapter.onTurnError = async (context: TurnContext, err: Error) => {
    log.error({ err, type: context.activity.type, name: context.activity.name }, 'teams turn failed')
    // An invoke must still get an answer; a message turn has nothing more to say than the dispatcher did.
    if (context.activity.type === 'invoke') await context.sendActivity({ type: 'invokeResponse', value: { status: 500 } })
  }

  // Without an app id botbuilder skips authentication entirely; that is only acceptable on purpose.
  const refuseAll = !appId && !config.anonymous
  let accepting = true
  const logic = (context: TurnContext): Promise<void> => bot.run(context)
  // Activities a killed process accepted but never finished: run again without a live request.
  const inbox = host.openInbox('teams', log, (body, run) => withInboxTurn(run, (l) => adapter.replay(appId, body, l), logic))
  const json = requireCommonJs<typeof express>('express').json({ limit: '1mb' })

  app.post(
    TEAMS_MESSAGES_PATH,
    (req, res, next) => {
      // Refuse before parsing: an unauthenticated request gets no work done on its behalf.
      if (refuseAll || (appId && !/^Bearer\s+\S+$/i.test(req.headers.authorization ?? ''))) {
        res.status(401).json({ ok: false, error: 'unauthorized' })
        return
      }
      if (!accepting) {
        res.status(503).json({ ok: false, error: 'shutting_down' })
        return
      }
      json(req, res, (err?: unknown) => {
        if (err) res.status(400).json({ ok: false, error: 'bad_request' })
        else next()
      })
    },
    async (req, res) => {
      const envelope = activityEnvelope.safeParse(req.body)
      if (!envelope.success) {
        res.status(400).json({ ok: false, error: 'bad_request', detail: envelope.error.issues.map((i) => i.path.join('.') || 'body').join(', ') })
        return
      }
      if (appId) {
        // Validate the JWT before botbuilder does: it turns some bad tokens (invalid signature) into
        // 500 and logs to stderr; every authentication failure here is a plain 401.
        try {
          await auth.authenticateRequest(req.body as Parameters<typeof auth.authenticateRequest>[0], req.headers.authorization ?? '')
        } catch (err) {
          log.info({ reason: err instanceof Error ? err.message.slice(0, 120) : 'unknown' }, 'teams request refused: bad token')
          res.status(401).json({ ok: false, error: 'unauthorized' })
          return
        }
      }
      // A valid Bot Framework token is endorsed for every channel it relays (Web Chat, Direct Line,
      // …); only Teams activities carry Teams identities, so only they may act in a tenant.
      if (!acceptsChannel(envelope.data.channelId, config.anonymous)) {
        log.info({ channelId: envelope.data.channelId.slice(0, 40) }, 'teams request refused: not a Teams channel')
        res
          .status(403)
          .json({ ok: false, error: 'unsupported_channel', detail: 'Beacon accepts activities from Microsoft Teams (channelId "msteams") only' })
        return
      }
      const key = activityKey(req.body)
      let run: InboxRun | 'duplicate' | undefined
      try {
        run = key === undefined ? undefined : await inbox.accept(key, req.body)
      } catch (err) {
        // Not stored, so not accepted: no 200, and Bot Framework may try again.
        log.warn({ err }, 'could not store a teams activity; answered 503')
        res.status(503).json({ ok: false, error: 'unavailable' })
        return
      }
      if (run === 'duplicate') {
        log.info({ key }, 'duplicate teams activity answered and ignored')
        res.status(200).json({})
        return
      }
      const process = async (l: (context: TurnContext) => Promise<void>) => {
        try {
          await adapter.process(req, res, l)
        } catch (err) {
          log.error({ err }, 'teams request failed')
          if (!res.headersSent) res.status(500).json({ ok: false, error: 'internal_error' })
        }
      }
      await (run ? inbox.run(run, () => withInboxTurn(run, process, logic)) : process(logic))
    },
  )

  return {
    platform,
    async start() {
      if (!appId) {
        log.warn(
          { anonymous: true },
          '!!! TEAMS_ANONYMOUS=true: /api/messages accepts UNAUTHENTICATED Bot Framework traffic. ' +
            'Use only for local testing (Bot Framework Emulator); set MICROSOFT_APP_ID in any shared environment. !!!',
        )
      }
      log.info({ path: TEAMS_MESSAGES_PATH, authenticated: Boolean(appId), graph: config.graphApiUrl }, 'teams adapter ready')
      inbox.start()
    },
    async stop() {
      accepting = false
      await inbox.stop()
    },
  }
}

/** `msteams` always; the Bot Framework Emulator only in TEAMS_ANONYMOUS local testing. */
export function acceptsChannel(channelId: string, anonymous: boolean): boolean {
  return channelId === 'msteams' || (anonymous && channelId === 'emulator')
}
