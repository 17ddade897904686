/**
 * Sliding-window rate limits for calls to Teams (Bot Connector) and Graph, keyed by conversation,
 * tenant or channel. Time comes from injected `Timers`, so tests run minutes of traffic in
 * milliseconds on a virtual clock.
 *
 * A call counts from the moment it leaves until it completes, then at its completion time. The
 * server timestamps a call somewhere in between, so counting the later bound (and in-flight calls
 * always) never lets more than `limit` calls land in any server-side window, whatever the latency.
 */

export interface Timers {
  now(): number
  sleep(ms: number): Promise<void>
}

export const realTimers: Timers = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
}

export interface Window {
  limit: number
  ms: number
}

/** Teams: ~7 per second, 60 per 30 s and 1,800 per hour for one bot in one conversation. */
export const TEAMS_CONVERSATION_LIMITS: Window[] = [
  { limit: 7, ms: 1_000 },
  { limit: 60, ms: 30_000 },
  { limit: 1_800, ms: 3_600_000 },
]
/** Teams: ~50 operations per second per bot per tenant. */
export const TEAMS_TENANT_LIMITS: Window[] = [{ limit: 50, ms: 1_000 }]
/** Graph: 4 requests per second per app per channel (channel messages). */
export const GRAPH_CHANNEL_LIMITS: Window[] = [{ limit: 4, ms: 1_000 }]

interface Entry {
  /** Infinity while the call is in flight. */
  at: number
}

export class SlidingWindowLimiter {
  private readonly entries = new Map<string, Entry[]>()
  private readonly pausedUntil = new Map<string, number>()
  private readonly longest: number

  constructor(private readonly windows: Window[]) {
    this.longest = Math.max(...windows.map((w) => w.ms))
  }

  /** How long `key` must wait at `now` (0: it may go). */
  waitMs(key: string, now: number): number {
    let wait = Math.max(0, (this.pausedUntil.get(key) ?? 0) - now)
    const list = this.prune(key, now)
    for (const w of this.windows) {
      const recent = list.filter((e) => e.at > now - w.ms)
      if (recent.length < w.limit) continue
      // The window frees up when its oldest counted call leaves it; an in-flight call frees nothing yet.
      const oldest = recent.map((e) => e.at).sort((a, b) => a - b)[recent.length - w.limit]!
      wait = Math.max(wait, Number.isFinite(oldest) ? oldest + w.ms - now : 50)
    }
    return wait
  }

  /** Record a call starting now; the returned function marks it complete. */
  take(key: string): (at: number) => void {
    const entry: Entry = { at: Infinity }
    const list = this.entries.get(key) ?? []
    list.push(entry)
    this.entries.set(key, list)
    return (at) => {
      entry.at = at
    }
  }

  /** The server said "slow down" (429 with Retry-After): nothing goes for this key until then. */
  pause(key: string, until: number): void {
    this.pausedUntil.set(key, Math.max(until, this.pausedUntil.get(key) ?? 0))
  }

  private prune(key: string, now: number): Entry[] {
    const list = (this.entries.get(key) ?? []).filter((e) => e.at > now - this.longest)
    if (list.length) this.entries.set(key, list)
    else this.entries.delete(key)
    if ((this.pausedUntil.get(key) ?? 0) <= now) this.pausedUntil.delete(key)
    return list
  }
}

/**
 * Waits until every (limiter, key) pair allows a call, then records it in all of them at once
 * (synchronously, so two callers never both take the last slot). Resolves with the completion marker.
 */
export async function acquire(timers: Timers, slots: [SlidingWindowLimiter, string][]): Promise<() => void> {
  for (;;) {
    const now = timers.now()
    const wait = Math.max(0, ...slots.map(([l, k]) => l.waitMs(k, now)))
    if (wait <= 0) {
      const done = slots.map(([l, k]) => l.take(k))
      return () => {
        const at = timers.now()
        for (const d of done) d(at)
      }
    }
    await timers.sleep(wait)
  }
}

/** Retry-After in ms: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null | undefined, now: number): number | undefined {
  if (!header) return undefined
  const secs = Number(header)
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000)
  const date = Date.parse(header)
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined
}

/** Backoff before attempt `attempt + 1`: the server's Retry-After when given, else doubling from `baseMs`, capped. */
export function backoffMs(attempt: number, retryAfter: number | undefined, baseMs = 1_000, capMs = 60_000): number {
  return retryAfter ?? Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1))
}
