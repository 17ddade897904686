/**
 * From what chrono read to an instant, decided in the person's zone and never in the server's.
 *
 * chrono works in the server's local time (its `timezone` option shifts the reference by the
 * server's offset, and its `forwardDate` refiner compares against that shifted reference, with a
 * date-only result at noon). So Beacon gives chrono a reference that is the person's *calendar day*
 * at noon in server-local time, uses only the calendar fields chrono reads (day, month, year, hour,
 * minute, weekday: noon is far from any DST change, so adding days to it never lands on another
 * date), and makes every "forward" decision itself: a weekday, a day without a year, a bare time or
 * "the 5th" is the first such moment still ahead of *now* in the person's zone, at 17:00 when no
 * time was said.
 */
import type * as chrono from 'chrono-node'
import { addLocalDays, fromWallClock, wallClock, type WallClock } from '../time/zoned-time.ts'

/** End of the working day, used when a date has no time. */
export const END_OF_DAY_HOUR = 17

type Day = { year: number; month: number; day: number }

/** Tags Beacon's own chrono parsers add (see due-date.ts). */
export const TAG_DAY_OF_MONTH = 'beacon/dayOfMonth'
export const TAG_END_OF = 'beacon/endOf'

const CASUAL_TIME = /^casualReference\/(morning|afternoon|evening|night|tonight|noon|midnight|now)$/
const CASUAL_DAY = /^casualReference\/(today|tomorrow|yesterday|tonight|now)$/
/** "this morning", "today", "tonight": a named part of *today*, refused once it is over. */
const THIS_PART_OF_TODAY = /\b(?:this|today|tonight)\b/i
const SAYS_END_OF_DAY = /\b(?:eod|end of (?:the )?day)\b/i
const BACKWARD = /\b(?:last|past|previous)\b/i

/**
 * A reference for chrono: the person's calendar day at noon, server-local. Relative days computed
 * from it ("tomorrow", "fri", "in 3 days") are the right calendar days whatever the server's zone.
 */
export function chronoReference(now: WallClock): Date {
  return new Date(now.year, now.month - 1, now.day, 12, 0, 0)
}

/**
 * "in 2 hours": chrono adds hours on the server's wall clock, which is only exact where the server's
 * clocks do not change. No zone changes its clocks in early January 2001, so the duration is read
 * against that week and then added to the real now.
 */
const SAFE_REFERENCE = new Date(2001, 0, 10, 0, 0, 0)
const SAFE_REFERENCE_UTC = Date.UTC(2001, 0, 10, 0, 0, 0)

export interface Resolved {
  at: Date
  dateOnly: boolean
}

export function resolveDue(r: chrono.ParsedResult, parser: chrono.Chrono, zone: string, now: Date): Resolved | undefined {
  const tags = r.tags()
  const s = r.start
  if (tags.has('result/relativeDateAndTime')) {
    const again = parser.parse(r.text, SAFE_REFERENCE, { forwardDate: false })[0]
    if (!again) return undefined
    const g = (k: chrono.Component) => again.start.get(k) ?? 0
    const ms = Date.UTC(g('year'), g('month') - 1, g('day'), g('hour'), g('minute'), g('second')) - SAFE_REFERENCE_UTC
    return { at: new Date(now.getTime() + ms), dateOnly: false }
  }
  const casualTime = [...tags].some((t) => CASUAL_TIME.test(t))
  const hasTime = s.isCertain('hour') || casualTime
  let hour = hasTime ? (s.get('hour') ?? END_OF_DAY_HOUR) : END_OF_DAY_HOUR
  const minute = hasTime ? (s.get('minute') ?? 0) : 0
  // "at 3" for a task means the afternoon: nobody sets work due at 3 am by accident.
  if (s.isCertain('hour') && !s.isCertain('meridiem') && hour >= 1 && hour <= 7) hour += 12
  // "5pm EST": that zone's clock, a fixed offset.
  const fixedOffset = s.isCertain('timezoneOffset') ? s.get('timezoneOffset') : null
  const instant = (d: Day): Date =>
    fixedOffset === null
      ? fromWallClock({ ...d, hour, minute }, zone)
      : new Date(Date.UTC(d.year, d.month - 1, d.day, hour, minute) - fixedOffset * 60_000)
  const today = wallClock(now, zone)
  const said: Day = { year: s.get('year')!, month: s.get('month')!, day: s.get('day')! }
  const candidates = candidateDays(r, said, today, hasTime)
  let last: Date | undefined
  for (const d of candidates) {
    last = instant(d)
    if (last > now) break
  }
  return last && { at: last, dateOnly: !hasTime }
}

/** The days the words could mean, in order; the first one still ahead wins (else it is past). */
function candidateDays(r: chrono.ParsedResult, said: Day, today: Day, hasTime: boolean): Day[] {
  const tags = r.tags()
  const s = r.start
  if (tags.has('result/relativeDate')) return [monthEndClamped(r, said, today)]
  // "this week" as a deadline is its working end, like "eow": Friday (from a weekend, the next one).
  if (/^this\s+week$/i.test(r.text.trim())) return [addLocalDays(today, (5 - weekdayOf(today) + 7) % 7)]
  if (tags.has(TAG_DAY_OF_MONTH)) {
    // "by the 5th": this month's if still ahead, else the next month that has one.
    return range(13)
      .map((i) => ({ ...addMonths(today, i), day: said.day }))
      .filter(isRealDay)
  }
  const dateSaid = ['day', 'month', 'year', 'weekday'].some((k) => s.isCertain(k as chrono.Component))
  const casualDay = [...tags].some((t) => CASUAL_DAY.test(t))
  // chrono merges "friday eod" into one reading (losing the tag): the weekday names the day.
  const weekdayOnly = !s.isCertain('day') && !s.isCertain('month')
  if (s.isCertain('weekday') && (weekdayOnly || SAYS_END_OF_DAY.test(r.text))) {
    // "last fri" means last week's (past: refused); "next fri" is chrono's next-week reading.
    if (BACKWARD.test(r.text) || /\bnext\b/i.test(r.text)) return [said]
    return range(8)
      .map((i) => addLocalDays(today, i))
      .filter((d) => weekdayOf(d) === s.get('weekday'))
  }
  if (s.isCertain('month') && !s.isCertain('year')) {
    // "march 13", "dec 3": this year's while still ahead, else the next year that has that day.
    return range(5)
      .map((i) => ({ ...said, year: today.year + i }))
      .filter(isRealDay)
  }
  if (!dateSaid && !casualDay && hasTime && !THIS_PART_OF_TODAY.test(r.text) && !tags.has(TAG_END_OF)) {
    // A bare time ("5pm", "at 3", "by noon"): today if still ahead, else tomorrow.
    return [today, addLocalDays(today, 1)]
  }
  return [said]
}

/**
 * "in a month" on 31 Jan: chrono overflows to 3 Mar; a person means the last day of February.
 * chrono keeps the reference's day of month unless the target month is too short for it.
 */
function monthEndClamped(r: chrono.ParsedResult, said: Day, today: Day): Day {
  if (r.start.isCertain('day') || said.day === today.day) return said
  const lastOfPrevious = new Date(Date.UTC(said.year, said.month - 1, 0))
  return { year: lastOfPrevious.getUTCFullYear(), month: lastOfPrevious.getUTCMonth() + 1, day: lastOfPrevious.getUTCDate() }
}

function addMonths(d: Day, n: number): { year: number; month: number } {
  const m = d.month - 1 + n
  return { year: d.year + Math.floor(m / 12), month: (m % 12) + 1 }
}

function isRealDay(d: Day): boolean {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day))
  return t.getUTCMonth() === d.month - 1 && t.getUTCDate() === d.day
}

const weekdayOf = (d: Day): number => new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay()

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i)
