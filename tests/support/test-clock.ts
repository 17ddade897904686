/**
 * The one test clock. Core code reads it through the `Clock` port (`now(): Date`); the Teams rate
 * limiter and the platform fakes that enforce limits read it as `Timers` (`now(): number`, `sleep`),
 * so both sides of a throttled exchange agree on the time. Time moves only when the test says so
 * (`set`, `advance`, or a `sleep` through `timers`), so a busy machine cannot change what happens.
 * The in-memory job queue (memory-queue.ts) runs the jobs that fall due as the test moves it.
 */
import type { Timers } from '../../adapters/teams/rate-limiter.ts'
import type { Clock } from '../../src/core/ports.ts'

/** A Monday morning in UTC, far from any DST change. */
export const DEFAULT_START = Date.UTC(2025, 0, 6, 9)

export type Instant = Date | string | number

const toMs = (at: Instant): number => (typeof at === 'number' ? at : new Date(at).getTime())

export class TestClock implements Clock {
  private t: number

  /** `onWallClock`: `start` is an offset added to the wall clock instead of an instant (see `followingWallClock`). */
  private constructor(
    start: Instant,
    private readonly onWallClock: boolean,
  ) {
    this.t = toMs(start)
  }

  /** A clock standing still at `start` until the test moves it. */
  static at(start: Instant = DEFAULT_START): TestClock {
    return new TestClock(start, false)
  }

  /**
   * A clock that follows the wall clock, shifted by whatever the test `advance`s: for a running
   * Beacon whose queue uses real timers, where only "days later" (staleness, cache expiry) is faked.
   */
  static followingWallClock(): TestClock {
    return new TestClock(0, true)
  }

  now(): Date {
    return new Date(this.nowMs())
  }

  nowMs(): number {
    return (this.onWallClock ? Date.now() : 0) + this.t
  }

  /** Jump to an instant (tests of calendar edges: midnight, DST, week boundaries). */
  set(at: Instant): void {
    if (this.onWallClock) throw new Error('a clock following the wall clock can only advance')
    this.t = toMs(at)
  }

  advance(ms: number): void {
    this.t += ms
  }

  /**
   * The same clock as the rate limiter's `Timers`: `sleep(ms)` lets everything else run first, then
   * moves time to the sleeper's wake-up point (never backwards), so minutes of throttled traffic
   * run in real milliseconds.
   */
  readonly timers: Timers & { /** Every sleep asked for, in order (to assert that a Retry-After was honoured). */ readonly sleeps: number[] } = {
    sleeps: [],
    now: () => this.nowMs(),
    sleep: async (ms: number) => {
      this.timers.sleeps.push(ms)
      const wake = this.nowMs() + ms
      await new Promise<void>((resolve) => setImmediate(resolve))
      this.t += Math.max(0, wake - this.nowMs())
    },
  }
}
