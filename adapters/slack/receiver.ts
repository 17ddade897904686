/**
 * The Bolt receiver for the configured mode: HTTP (ExpressReceiver on Beacon's shared express app,
 * signature verified on the raw bytes) or Socket Mode (SLACK_APP_TOKEN). In OAuth mode the install
 * routes always live on the shared app, so Socket Mode does not open a second port for them.
 */
import type { InstallationStore, Logger as BoltLogger, Receiver } from '@slack/bolt'
import { ErrorCode, ExpressReceiver, SocketModeReceiver } from './bolt.ts'
import type express from 'express'
import type { SlackConfig } from './host.ts'
import { NotAcceptedError } from './intake.ts'
import { BOT_SCOPES, PATHS } from './scopes.ts'
import type { WebClientOptions } from './slack-clients.ts'

export interface BuiltReceiver {
  receiver: Receiver
  mode: 'http' | 'socket'
  start(): Promise<void>
  stop(): Promise<void>
}

export interface ReceiverOptions {
  config: SlackConfig
  publicUrl: string
  http: express.Express
  logger: BoltLogger
  clientOptions: WebClientOptions
  installationStore?: InstallationStore
}

function oauthOptions(o: ReceiverOptions) {
  const oauth = o.config.oauth
  if (!oauth || !o.installationStore) return {}
  return {
    clientId: oauth.clientId,
    clientSecret: oauth.clientSecret,
    stateSecret: oauth.stateSecret,
    installationStore: o.installationStore,
    scopes: [...BOT_SCOPES],
    redirectUri: `${o.publicUrl}${PATHS.oauthRedirect}`,
    installerOptions: {
      installPath: PATHS.install,
      redirectUriPath: PATHS.oauthRedirect,
      // oauth.v2.access must go to the same Web API (SLACK_API_URL) as everything else.
      clientOptions: o.clientOptions,
    },
  }
}

export function buildReceiver(o: ReceiverOptions): BuiltReceiver {
  if (o.config.appToken) return socketMode(o, o.config.appToken)
  if (!o.config.signingSecret) throw new Error('SLACK_SIGNING_SECRET is required for Slack over HTTP')
  const receiver = new ExpressReceiver({
    signingSecret: o.config.signingSecret,
    logger: o.logger,
    app: o.http,
    endpoints: PATHS.events,
    // The HTTP answer leaves as soon as a listener calls ack(), which is always after the delivery
    // was written to the inbox (intake.ts): persist, ack, then work.
    processBeforeResponse: false,
    // Bolt answers 500 when it cannot make sense of a correctly signed body (an `event: null`, a
    // view_submission without its view): Beacon's listeners catch their own errors, so what reaches
    // here before an ack is a malformed request: 400, and Slack does not retry it.
    processEventErrorHandler: async ({ error, logger, response }) => {
      if (response.headersSent) return false
      if (error instanceof NotAcceptedError) {
        // Not stored (shutting down, database locked): no 200, so Slack delivers it again.
        response.writeHead(503, { 'retry-after': '1' })
        response.end()
        return true
      }
      const auth = (error as { code?: unknown }).code === ErrorCode.AuthorizationError
      if (!auth) logger.warn('slack request not understood; answered 400', error instanceof Error ? error.message : String(error))
      response.writeHead(auth ? 401 : 400)
      response.end()
      return true
    },
    ...oauthOptions(o),
  })
  // The shared app is served by Beacon's own server; Bolt's start() would open a second one.
  return { receiver, mode: 'http', start: async () => undefined, stop: async () => undefined }
}

function socketMode(o: ReceiverOptions, appToken: string): BuiltReceiver {
  const opts = oauthOptions(o)
  const receiver = new SocketModeReceiver({
    appToken,
    logger: o.logger,
    ...opts,
    installerOptions: { ...opts.installerOptions, clientOptions: o.clientOptions },
  })
  const installer = receiver.installer
  if (installer) {
    const installUrlOptions = { scopes: [...BOT_SCOPES], redirectUri: `${o.publicUrl}${PATHS.oauthRedirect}` }
    o.http.get(PATHS.install, (req, res, next) => {
      installer.handleInstallPath(req, res, undefined, installUrlOptions).catch(next)
    })
    o.http.get(PATHS.oauthRedirect, (req, res, next) => {
      installer.handleCallback(req, res).catch(next)
    })
  }
  return {
    receiver,
    mode: 'socket',
    // receiver.start() would also listen on installerOptions.port for OAuth; the routes above replace it.
    start: async () => {
      await receiver.client.start()
    },
    stop: async () => {
      await receiver.client.disconnect()
    },
  }
}
