/**
 * Natural-language due dates ("tomorrow 5pm", "fri", "in 3 days", "next week", "by Dec 3"), read
 * with chrono-node in the creator's timezone.
 *
 * chrono only takes a fixed offset, so it is given the creator's offset *now* to decide what
 * "tomorrow" or "fri" is, and the wall-clock result is then converted with the offset of the *due*
 * date: "Mon 9am" three weeks away, across a DST change, is still 9am on the person's clock.
 */
import * as chrono from 'chrono-node'
import { addLocalDays, fromWallClock, safeZone, wallClock, zoneOffsetMinutes } from './zoned-time.ts'

/** End of the working day, used when a date has no time. */
export const END_OF_DAY_HOUR = 17

export interface DueFound {
  kind: 'due'
  at: Date
  /** A date without a time (→ 17:00 local). */
  dateOnly: boolean
  /** Where the date (with a leading "by"/"due"/"on" …) sits in the input, to cut it out of the title. */
  start: number
  end: number
  text: string
}

export type DueParse =
  | DueFound
  | { kind: 'none' }
  /** The person clearly meant a date ("due blarg", "by Feb 30") that cannot be read. */
  | { kind: 'unreadable'; text: string }
  | { kind: 'past'; at: Date; text: string }

/** Words that announce a due date; a date right after them is cut out together with them. */
const LEAD_IN = /(?:^|\s)(?:due(?:\s+(?:by|on|at))?|by|on|at|before|until|till|for)\s*$/i
/** Common words chrono reads as dates; only taken as one after a lead-in ("by may", "due sat"). */
const AMBIGUOUS = new Set(['may', 'march', 'mar', 'sat', 'sun', 'now', 'second', 'wed', 'august', 'jan'])
/** After a lead-in, something that looks like a date chrono could not read. */
const DATEISH = /^(?:\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun|today|tomorrow|tonight|next|this|in\s+\d|end|eo[dw]|noon|midnight)/i
/** Right after a date chrono read, a time it could not read ("at 25pm", "13pm", "24:75"). */
const BAD_TIME_AFTER = /^\s*(?:at\s+)?(?:\d{1,2}(?::\d{2})?\s*[ap]\.?m\.?|\d{1,2}:\d{2})(?![\w:])/i
const CASUAL_TIME = /^casualReference\/(morning|afternoon|evening|night|tonight|noon|midnight|now)$/

/** chrono's English parser plus the office words it does not know: "eod", "end of day", "eow", "end of (the) week". */
function buildParser(): chrono.Chrono {
  const c = chrono.casual.clone()
  c.parsers.push({
    pattern: () => /\b(eod|end of (?:the )?day|eow|end of (?:the )?week)\b/i,
    extract: (context, match) => {
      const ref = context.reference.getDateWithAdjustedTimezone()
      const week = /w/i.test(match[0] ?? '') // "eow", "end of the week"; "eod"/"end of day" have no w
      // Friday of this week (today when it is Friday); chrono leaves the time to us (17:00).
      const delta = week ? (5 - ref.getDay() + 7) % 7 : 0
      const d = new Date(ref.getFullYear(), ref.getMonth(), ref.getDate() + delta)
      return { day: d.getDate(), month: d.getMonth() + 1, year: d.getFullYear() }
    },
  })
  return c
}
const parser = buildParser()

export interface DueOptions {
  now: Date
  /** IANA zone of the person whose words these are. */
  timezone: string
  /** "due blarg" must be a date: refuse instead of ignoring it (edit, form field). */
  required?: boolean
}

/** Finds the due date in free text. */
export function parseDue(text: string, opts: DueOptions): DueParse {
  const zone = safeZone(opts.timezone)
  const results = parser.parse(text, { instant: opts.now, timezone: zoneOffsetMinutes(opts.now, zone) }, { forwardDate: true })
  const accepted = results.filter((r) => {
    const word = r.text.trim().toLowerCase()
    if (/^\d+$/.test(word)) return false // "fix 5 tests": a bare number is never a date
    return !AMBIGUOUS.has(word) || LEAD_IN.test(text.slice(0, r.index))
  })
  // The last date wins: people put the due date at the end ("review Q3 plan from jan 3 by fri").
  const r = accepted.at(-1)
  if (!r) {
    const hinted = unreadableHint(text)
    if (hinted) return { kind: 'unreadable', text: hinted }
    return opts.required && text.trim() ? { kind: 'unreadable', text: text.trim() } : { kind: 'none' }
  }
  // "tomorrow at 25pm": chrono reads "tomorrow" and drops the impossible time; guessing 17:00 would
  // silently set the wrong due time, so the whole phrase is refused as unreadable.
  const badTime = BAD_TIME_AFTER.exec(text.slice(r.index + r.text.length))
  if (badTime) return { kind: 'unreadable', text: `${r.text}${badTime[0]}`.trim() }
  const at = resolve(r, zone, opts.now)
  let start = r.index
  const lead = LEAD_IN.exec(text.slice(0, start))
  if (lead) start -= lead[0].length - (lead[0].match(/^\s/) ? 1 : 0)
  const found: DueFound = { kind: 'due', at: at.at, dateOnly: at.dateOnly, start, end: r.index + r.text.length, text: r.text }
  if (found.at.getTime() <= opts.now.getTime()) return { kind: 'past', at: found.at, text: r.text }
  return found
}

function resolve(r: chrono.ParsedResult, zone: string, now: Date): { at: Date; dateOnly: boolean } {
  const tags = r.tags()
  const s = r.start
  // Exact instants: "in 2 hours", or a time with an explicit zone ("5pm EST").
  if (tags.has('result/relativeDateAndTime') || s.isCertain('timezoneOffset')) return { at: s.date(), dateOnly: false }
  const day = { year: s.get('year')!, month: s.get('month')!, day: s.get('day')! }
  const hasTime = s.isCertain('hour') || [...tags].some((t) => CASUAL_TIME.test(t))
  if (!hasTime) {
    let at = fromWallClock({ ...day, hour: END_OF_DAY_HOUR, minute: 0 }, zone)
    // "fri" said on a Friday evening means next Friday, not a moment ago.
    if (at <= now && s.isCertain('weekday') && !s.isCertain('day')) at = fromWallClock({ ...addLocalDays(day, 7), hour: END_OF_DAY_HOUR, minute: 0 }, zone)
    return { at, dateOnly: true }
  }
  let hour = s.get('hour') ?? END_OF_DAY_HOUR
  const minute = s.get('minute') ?? 0
  // "at 3" for a task means the afternoon: nobody sets work due at 3 am by accident.
  if (s.isCertain('hour') && !s.isCertain('meridiem') && hour >= 1 && hour <= 7) hour += 12
  if (!s.isCertain('day') && !s.isCertain('weekday')) {
    // A bare time ("5pm", "at 3"): today if still ahead, else tomorrow. Decided here rather than by
    // chrono's forwardDate, which judged it before the afternoon reading above.
    const today = wallClock(now, zone)
    const at = fromWallClock({ ...today, hour, minute }, zone)
    return { at: at > now ? at : fromWallClock({ ...addLocalDays(today, 1), hour, minute }, zone), dateOnly: false }
  }
  return { at: fromWallClock({ ...day, hour, minute }, zone), dateOnly: false }
}

function unreadableHint(text: string): string | undefined {
  const m = /(?:^|\s)(due|by|before|until)\s+(\S+(?:\s+\S+)?)/i.exec(text)
  if (!m) return undefined
  const what = m[2]!.replace(/[.,;!?]+$/, '')
  if (m[1]!.toLowerCase() === 'due' || DATEISH.test(what)) return what
  return undefined
}

/** The local wall clock of an instant in the person's zone (re-exported for display helpers). */
export { wallClock }
