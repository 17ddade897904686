/**
 * A virtual clock for rate limits and backoff: `sleep(ms)` lets everything else run first, then
 * moves time to the sleeper's wake-up point (never backwards). Minutes of throttled traffic run in
 * real milliseconds, and the fakes that enforce limits read the same clock, so both sides agree.
 */
import type { Timers } from '../../adapters/teams/rate-limiter.ts'

export class VirtualTime implements Timers {
  private t: number
  /** Every sleep asked for, in order (to assert that a Retry-After was honoured). */
  readonly sleeps: number[] = []

  constructor(start = Date.UTC(2025, 0, 6, 9)) {
    this.t = start
  }

  now(): number {
    return this.t
  }

  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms)
    const wake = this.t + ms
    await new Promise<void>((resolve) => setImmediate(resolve))
    this.t = Math.max(this.t, wake)
  }
}
