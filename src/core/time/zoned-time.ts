/**
 * Wall-clock arithmetic in IANA zones with nothing but Intl: what local time an instant is in a
 * zone, and which instant a local time in a zone is. Needed because a person's "5pm" is 17:00 in
 * their zone, and a zone's offset depends on the date (DST), not only on the zone.
 */

export interface WallClock {
  year: number
  /** 1..12 */
  month: number
  day: number
  hour: number
  minute: number
  /** 0 = Sunday … 6 = Saturday */
  weekday: number
}

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    })
    formatters.set(zone, f)
  }
  return f
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']

/** A zone Intl understands, or UTC: a stale or empty profile setting must not break a reminder. */
export function safeZone(zone: string | undefined): string {
  if (!zone) return 'UTC'
  try {
    formatter(zone)
    return zone
  } catch {
    return 'UTC'
  }
}

export function wallClock(at: Date, zone: string): WallClock & { second: number } {
  const parts: Record<string, string> = {}
  for (const p of formatter(safeZone(zone)).formatToParts(at)) parts[p.type] = p.value
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: WEEKDAYS.indexOf(parts.weekday ?? 'Sun'),
  }
}

/** Minutes east of UTC of `zone` at instant `at` (Tokyo +540, New York -300 or -240). */
export function zoneOffsetMinutes(at: Date, zone: string): number {
  const w = wallClock(at, zone)
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second)
  return Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60_000)
}

const DAY_MS = 86_400_000

/**
 * The instant at which clocks in `zone` show this local time. A time that happens twice (the hour
 * repeated when clocks go back) is its first occurrence. A time that never happens (02:30 on a
 * spring-forward night, or midnight in Santiago and Havana, whose clocks jump from 23:59 to 01:00)
 * moves forward by the size of the jump, like the clocks do: New York's skipped 02:30 is 03:30 EDT.
 */
export function fromWallClock(w: Pick<WallClock, 'year' | 'month' | 'day' | 'hour' | 'minute'>, zone: string): Date {
  const guess = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute)
  // The offsets in force around this day: at most two unless the zone changes twice within a day.
  const offsets = new Set([-DAY_MS, 0, DAY_MS].map((d) => zoneOffsetMinutes(new Date(guess + d), zone)))
  const candidates = [...offsets].map((off) => guess - off * 60_000).sort((a, b) => a - b)
  const real = candidates.find((t) => zoneOffsetMinutes(new Date(t), zone) * 60_000 === guess - t)
  // No candidate shows this wall time: it falls in a gap. Reading it with the offset from before the
  // jump (the smaller one, so the later instant) lands the same distance past the gap.
  return new Date(real ?? candidates.at(-1)!)
}

/** The same wall time `days` calendar days later ("snooze a day" keeps 17:00 across a DST change). */
export function addCalendarDays(at: Date, days: number, zone: string): Date {
  const z = safeZone(zone)
  const w = wallClock(at, z)
  const moved = fromWallClock({ ...addLocalDays(w, days), hour: w.hour, minute: w.minute }, z)
  return new Date(moved.getTime() + (((at.getTime() % 60_000) + 60_000) % 60_000))
}

/** "2025-03-05": the local calendar day, for once-a-day bookkeeping. */
export function localDay(at: Date, zone: string): string {
  const w = wallClock(at, zone)
  return `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`
}

/** Calendar arithmetic on a local date (month/year roll over correctly). */
export function addLocalDays(w: Pick<WallClock, 'year' | 'month' | 'day'>, days: number): { year: number; month: number; day: number } {
  const d = new Date(Date.UTC(w.year, w.month - 1, w.day + days))
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() }
}

/** "Tue 4 Mar, 17:00" (year added when it is not the current one), in `zone`. */
export function formatInZone(at: Date, zone: string, opts: { now: Date; dateOnly?: boolean }): string {
  const z = safeZone(zone)
  const sameYear = wallClock(at, z).year === wallClock(opts.now, z).year
  const date = new Intl.DateTimeFormat('en-GB', {
    timeZone: z,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    ...(sameYear ? {} : { year: 'numeric' }),
  }).format(at)
  if (opts.dateOnly) return date
  const time = new Intl.DateTimeFormat('en-GB', { timeZone: z, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at)
  return `${date}, ${time}`
}
