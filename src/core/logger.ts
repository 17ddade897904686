/** The slice of a structured logger the core uses; pino's Logger satisfies it. */
export interface Logger {
  debug(obj: object, msg?: string): void
  info(obj: object, msg?: string): void
  warn(obj: object, msg?: string): void
  error(obj: object, msg?: string): void
  child(bindings: Record<string, unknown>): Logger
  /** Whether a line at `level` would be written (pino's); absent: assume it would. */
  isLevelEnabled?(level: string): boolean
}

export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child() {
    return silentLogger
  },
}
