import pino from 'pino'
import type { Logger } from '../core/logger.ts'

/**
 * Paths pino blanks out wherever they appear in a log object, so tokens and secrets never reach
 * the logs even when a whole request, config or error is logged.
 */
export const REDACT_PATHS = [
  '*.token',
  '*.botToken',
  '*.appToken',
  '*.userToken',
  '*.accessToken',
  '*.access_token',
  '*.clientSecret',
  '*.client_secret',
  '*.signingSecret',
  '*.appPassword',
  '*.password',
  '*.secret',
  '*.encryptionKey',
  '*.authorization',
  '*.Authorization',
  'headers.authorization',
  'headers["x-slack-signature"]',
  'req.headers.authorization',
  'req.headers["x-slack-signature"]',
  'config.slack.botToken',
  'config.slack.signingSecret',
  'config.slack.appToken',
  'config.slack.oauth.clientSecret',
  'config.slack.oauth.stateSecret',
  'config.teams.appPassword',
]

export function createLogger(level: string, destination?: pino.DestinationStream): Logger & pino.Logger {
  return pino({ level, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: { app: 'beacon' } }, destination)
}
