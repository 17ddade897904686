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
  constructor(message: string, opts: { cause?: unknown; userMessage?: string } = {}) {
    super('job_permanent', message, opts)
    this.name = 'PermanentJobError'
  }
}

/**
 * The platform will never deliver to this person or conversation as things stand (the bot was
 * removed, the person never installed the app or blocked it). Permanent, so no retry storm; the
 * `userMessage` says why, for whoever should hear about it instead.
 */
export class UndeliverableError extends PermanentJobError {
  constructor(
    message: string,
    readonly target: 'person' | 'conversation',
    opts: { cause?: unknown; userMessage?: string } = {},
  ) {
    super(message, opts)
    this.name = 'UndeliverableError'
  }
}

export function isBeaconError(e: unknown): e is BeaconError {
  return e instanceof BeaconError
}
