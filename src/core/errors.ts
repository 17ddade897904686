/**
 * Every error Beacon raises on purpose carries a stable `code` so adapters can turn it into the
 * right status or a friendly reply, and tests can assert on it without matching prose.
 */
export type ErrorCode =
  | 'bad_input'
  | 'bad_thread_id'
  | 'not_found'
  | 'forbidden'
  | 'not_supported'
  | 'platform_error'
  | 'rate_limited'
  | 'config_invalid'
  | 'job_invalid'
  | 'job_permanent'
  | 'conflict'
  | 'unavailable'

export class BeaconError extends Error {
  readonly code: ErrorCode
  /** Safe to show to the person who caused it. */
  readonly userMessage: string | undefined

  constructor(code: ErrorCode, message: string, opts: { userMessage?: string; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause })
    this.name = 'BeaconError'
    this.code = code
    this.userMessage = opts.userMessage
  }
}

/** A job failure that retrying cannot fix (bad payload, deleted target): fail once, never retry. */
export class PermanentJobError extends BeaconError {
  constructor(message: string, opts: { cause?: unknown } = {}) {
    super('job_permanent', message, opts)
    this.name = 'PermanentJobError'
  }
}

export function isBeaconError(e: unknown): e is BeaconError {
  return e instanceof BeaconError
}
