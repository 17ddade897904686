import type { Logger as BoltLogger } from '@slack/bolt'
import { LogLevel } from './bolt.ts'
import type { Logger } from '../../src/core/logger.ts'

function line(msg: unknown[]): { text: string; err?: unknown } {
  const err = msg.find((m) => m instanceof Error)
  const text = msg
    .filter((m) => m !== err)
    .map((m) => (typeof m === 'string' ? m : JSON.stringify(m)))
    .join(' ')
  return err === undefined ? { text } : { text, err }
}

/**
 * Bolt and the WebClient log through Beacon's pino logger, so levels and secret redaction are
 * decided in one place. Bolt's own setLevel is ignored: LOG_LEVEL rules.
 */
export function boltLogger(log: Logger): BoltLogger {
  const at =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...msg: unknown[]) => {
      // Bolt logs at debug twice per request (its ack): below LOG_LEVEL the line is not even built.
      if (log.isLevelEnabled?.(level) === false) return
      const { text, err } = line(msg)
      log[level](err === undefined ? {} : { err }, text)
    }
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    setLevel: () => undefined,
    getLevel: () => LogLevel.INFO,
    setName: () => undefined,
  }
}
