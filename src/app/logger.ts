import pino from 'pino'
import type { Logger } from '../core/logger.ts'

/**
 * Paths pino blanks out wherever they appear in a log object, so tokens and secrets never reach
 * the logs even when a whole request, config or error is logged.
 */
const SECRET_KEYS = [
  'token',
  'botToken',
  'appToken',
  'userToken',
  'accessToken',
  'access_token',
  'refresh_token',
  'clientSecret',
  'client_secret',
  'stateSecret',
  'signingSecret',
  'appPassword',
  'password',
  'secret',
  'encryptionKey',
  'taskWebhook',
  'authorization',
  'Authorization',
  '"x-slack-signature"',
]

/** Each secret key at the top level and up to three levels down (pino wildcards match one level). */
export const REDACT_PATHS = SECRET_KEYS.flatMap((k) => {
  const key = k.startsWith('"') ? `[${k}]` : `.${k}`
  return ['', '*', '*.*', '*.*.*'].map((prefix) => (prefix ? `${prefix}${key}` : key.startsWith('[') ? k : k))
})

export function createLogger(level: string, destination?: pino.DestinationStream): Logger & pino.Logger {
  return pino({ level, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: { app: 'beacon' } }, destination)
}
