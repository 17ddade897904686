import type Pino from 'pino'
import type { Logger } from '../core/logger.ts'
import { requireCommonJs } from '../core/require-commonjs.ts'

const pino = requireCommonJs<typeof Pino>('pino')

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

/**
 * Libraries log request bodies and URLs as *text* (the Slack WebClient at debug writes
 * "http request body: {"code":…,"client_secret":…}"), which key-path redaction never sees. Secret
 * keys in JSON, form or query text, bearer credentials and Slack tokens are blanked in every
 * message string before it is written.
 */
const SECRET_TEXT_KEYS = [
  'code',
  'client_secret',
  'clientSecret',
  'token',
  'access_token',
  'refresh_token',
  'bot_token',
  'user_token',
  'app_token',
  'signing_secret',
  'state_secret',
  'secret',
  'password',
  'client_assertion',
  'authorization',
].join('|')
const KEY_VALUE = new RegExp(`(["']?)\\b(${SECRET_TEXT_KEYS})\\1(\\s*[:=]\\s*)("(?:[^"\\\\]|\\\\.)*"|'(?:[^'\\\\]|\\\\.)*'|[^&\\s,;}"']+)`, 'gi')
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi
const SLACK_TOKEN = /\b(?:xox[a-z]|xapp)-[A-Za-z0-9-]+/gi
const SLACK_SIGNATURE = /\bv0=[0-9a-f]{64}\b/gi

export function scrubSecrets(text: string): string {
  return text
    .replace(BEARER, '$1 [redacted]')
    .replace(KEY_VALUE, (m: string, q: string, key: string, sep: string, value: string) =>
      // "status code: 404" stays readable; no secret is a short number.
      /^\d{1,4}$/.test(value) ? m : `${q}${key}${q}${sep}${value.startsWith('"') ? '"[redacted]"' : '[redacted]'}`,
    )
    .replace(SLACK_TOKEN, '[redacted slack token]')
    .replace(SLACK_SIGNATURE, 'v0=[redacted]')
}

/** Log lines appended to an open file, written asynchronously (the shell keeps the terminal for the chat). */
export function fileDestination(fd: number): Pino.DestinationStream {
  return pino.destination({ fd, sync: false })
}

export function createLogger(level: string, destination?: Pino.DestinationStream): Logger & Pino.Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      base: { app: 'beacon' },
      hooks: {
        logMethod(args, method) {
          return method.apply(this, args.map((a) => (typeof a === 'string' ? scrubSecrets(a) : a)) as Parameters<typeof method>)
        },
      },
      serializers: {
        // An error's message and stack are text too (a failed request can quote its own URL or body).
        err: (err: unknown) => {
          const out = pino.stdSerializers.err(err as Error) as unknown as Record<string, unknown>
          for (const k of ['message', 'stack'] as const) if (typeof out[k] === 'string') out[k] = scrubSecrets(out[k])
          return out
        },
      },
    },
    destination,
  )
}
