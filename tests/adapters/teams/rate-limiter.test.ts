/** The sliding-window limiter on a virtual clock: no window ever holds more than its limit. */
import { describe, expect, it } from 'vitest'
import { acquire, backoffMs, retryAfterMs, SlidingWindowLimiter, TEAMS_CONVERSATION_LIMITS } from '../../../adapters/teams/rate-limiter.ts'
import { withMentionTokens } from '../../../adapters/teams/roster.ts'
import { plainText } from '../../../adapters/teams/translate-activity.ts'
import { TestClock } from '../../support/test-clock.ts'

/** The most calls (by completion time) that fall in any window of `ms`. */
function busiest(times: number[], ms: number): number {
  const sorted = [...times].sort((a, b) => a - b)
  let best = 0
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= ms) j++
    best = Math.max(best, i - j + 1)
  }
  return best
}

describe('SlidingWindowLimiter', () => {
  it('150 concurrent calls in one conversation stay within 7/s and 60/30 s, even with latency', async () => {
    const time = TestClock.at().timers
    const limiter = new SlidingWindowLimiter(TEAMS_CONVERSATION_LIMITS)
    const landed: number[] = []
    await Promise.all(
      Array.from({ length: 150 }, async (_, i) => {
        const done = await acquire(time, [[limiter, 'conv']])
        // The server sees the call a little later than it left (latency varies).
        await time.sleep(i % 3 === 0 ? 120 : 5)
        landed.push(time.now())
        done()
      }),
    )
    expect(landed).toHaveLength(150)
    expect(busiest(landed, 1_000)).toBeLessThanOrEqual(7)
    expect(busiest(landed, 30_000)).toBeLessThanOrEqual(60)
  })

  it('keys are independent, and a pause (429) holds only its key', async () => {
    const time = TestClock.at().timers
    const limiter = new SlidingWindowLimiter([{ limit: 1, ms: 1_000 }])
    limiter.pause('a', time.now() + 5_000)
    expect(limiter.waitMs('a', time.now())).toBe(5_000)
    expect(limiter.waitMs('b', time.now())).toBe(0)
  })

  it('Retry-After as seconds or an HTTP date; backoff doubles without one', () => {
    const now = Date.UTC(2025, 0, 1)
    expect(retryAfterMs('3', now)).toBe(3_000)
    expect(retryAfterMs(new Date(now + 10_000).toUTCString(), now)).toBe(10_000)
    expect(retryAfterMs('soon', now)).toBeUndefined()
    expect([1, 2, 3].map((a) => backoffMs(a, undefined))).toEqual([1_000, 2_000, 4_000])
    expect(backoffMs(4, 7_000)).toBe(7_000)
  })
})

describe('withMentionTokens', () => {
  it('turns confirmed mentions into id tokens and leaves the rest as plain text', () => {
    const text = 'task <at>Sam Lee</at> and <at>Gus</at> review &amp; ship'
    const out = withMentionTokens(text, [{ text: '<at>Sam Lee</at>', personId: 'aad-sam-2', displayName: 'Sam <Lee>' }], plainText)
    expect(out).toBe('task <@aad-sam-2|Sam Lee> and @Gus review & ship')
  })
})
