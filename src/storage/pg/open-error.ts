/**
 * PostgreSQL start-up errors, without the driver: src/app/run.ts tells them apart on every start,
 * and an SQLite deployment must not load pg (and its ~10 MiB) just for that.
 */
import { BeaconError } from '../../core/errors.ts'

/** PostgreSQL cannot be reached or migrated: a setup problem (URL, server, rights), not a bug. */
export class PostgresOpenError extends BeaconError {
  constructor(url: string, cause: unknown) {
    super('unavailable', `cannot open PostgreSQL at ${redactUrl(url)}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause })
    this.name = 'PostgresOpenError'
  }
}

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url)
    if (u.password) u.password = '***'
    return u.toString()
  } catch {
    return 'postgres://…'
  }
}
