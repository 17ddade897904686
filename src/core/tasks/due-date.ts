/**
 * Natural-language due dates ("tomorrow 5pm", "fri", "in 3 days", "next week", "by Dec 3", "by the
 * 5th"), found with chrono-node and resolved in the creator's timezone by due-resolve.ts.
 *
 * chrono runs with `forwardDate` off: its forward refiner judges against the server's clock and
 * noon, and it turns any "2 hours" or "5 day" into an offset. Beacon decides "forward" itself.
 */
import { createRequire } from 'node:module'
import type * as chrono from 'chrono-node'
import { chronoReference, END_OF_DAY_HOUR, resolveDue, TAG_DAY_OF_MONTH, TAG_END_OF } from './due-resolve.ts'
import { safeZone, wallClock } from '../time/zoned-time.ts'

export { END_OF_DAY_HOUR }

/** Where the date (with a leading "by"/"due"/"on" …) sits in the input, to cut it out of the title. */
export interface DueSpan {
  start: number
  end: number
  text: string
}

export interface DueFound extends DueSpan {
  kind: 'due'
  at: Date
  /** A date without a time (→ 17:00 local). */
  dateOnly: boolean
}

export type DueParse =
  | DueFound
  | { kind: 'none' }
  /** The person clearly meant a date ("due blarg", "by Feb 30", "at 25:99") that cannot be read. */
  | ({ kind: 'unreadable' } & DueSpan)
  /** A date that is over: "yesterday", or "this morning" said at 10:30. */
  | ({ kind: 'past'; at: Date; dateOnly: boolean } & DueSpan)

/** Words that announce a due date; a date right after them is cut out together with them. */
const LEAD_IN = /(?:^|\s)(?:due(?:\s+(?:by|on|at))?|by|on|at|before|until|till|for)\s*$/i
/** "by the 5th of march": "the" belongs to a date that starts with its day, not to "the friday demo". */
const LEAD_IN_THE = /(?:^|\s)(?:due(?:\s+(?:by|on|at))?|by|on|at|before|until|till|for)\s+the\s*$/i
const DUE = /(?:^|\s)due\s*$/i
const OWN_PREPOSITION = /^(?:at|in|within|on|by|before|until)\b/i
/** Common words chrono reads as dates; only taken as one after a lead-in ("by may", "due sat"). */
const AMBIGUOUS = new Set(['may', 'march', 'mar', 'sat', 'sun', 'now', 'second', 'wed', 'august', 'jan'])
/** After a lead-in, something that looks like a date chrono could not read. */
const DATEISH = new RegExp(
  '^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec' + // months
    '|mon|tue|wed|thu|fri|sat|sun' + // weekdays
    '|today|tomorrow|tonight|next|this|in\\s+\\d|end|eo[dw]|noon|midnight)', // relative words
  'i',
)
/** "45th", "25:99", "2025-13-45", "13pm": a number shaped like a date or time… */
const DATE_NUMBER = /^\d{1,4}(?:[/.:-]\d{1,4})*(?:st|nd|rd|th|[ap]\.?m\.?)?$/i
/** …and what may follow it in a date ("45th of smarch", "32 jan"), unlike "by 5 people" or "the 3rd floor". */
const AFTER_DATE_NUMBER = /^(?:of|at|[ap]\.?m\.?|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)/i

function looksLikeDate(what: string): boolean {
  const [first = '', second] = what.replace(/^the\s+/i, '').split(/\s+/)
  if (/^\d/.test(first)) return DATE_NUMBER.test(first) && (second === undefined || AFTER_DATE_NUMBER.test(second))
  return !/^the\s/i.test(what) && DATEISH.test(what)
}
const HINT_AFTER_LEAD_IN = /(?:^|\s)((due|by|before|until)\s+((?:the\s+)?[^\s]+(?:\s+of\s+[^\s]+|\s+[^\s]+)?))/i
/** "at 25:99", "at 13pm": a time after "at" that chrono could not read. */
const BAD_TIME_AT = /(?:^|\s)(at\s+(\d{1,2}:\d{2}|\d{1,2}(?::\d{2})?\s*[ap]\.?m\.?))(?![\w:])/i
/** Right after a date chrono read, a time it could not read ("at 25pm", "13pm", "24:75"). */
const BAD_TIME_AFTER = /^\s*(?:at\s+)?(?:\d{1,2}(?::\d{2})?\s*[ap]\.?m\.?|\d{1,2}:\d{2})(?![\w:])/i
/**
 * An offset is "in 2 hours", "within 3 days", "2 weeks from now" or "next week"; "for 2 hours" is a
 * duration and "spend 2 hours" or "the 5 day offsite" are not dates at all.
 */
const OFFSET_PHRASE = /^(?:in|within|next|this|last|the\s+(?:next|following))\b|\b(?:from now|later|after tomorrow)$/i
/** "in 2 week sprints": a number above one with a singular unit describes a thing, not a time. */
const UNIT_AS_ADJECTIVE = /\b(?:[2-9]|\d{2,})\s*(?:minute|hour|day|week|month|year)\b(?!s)/i

/** chrono's English parser plus the office words it does not know and "the 5th" of a month. */
function buildParser(): chrono.Chrono {
  // Loaded on the first date to read, not at start-up: chrono is ~10 MiB resident that a serving
  // process with no task traffic never needs. English only: the package root loads every locale.
  const { casual } = createRequire(import.meta.url)('chrono-node/en') as { casual: chrono.Chrono }
  const c = casual.clone()
  c.parsers.push({
    pattern: () => /\b(eod|end of (?:the )?day|eow|end of (?:the )?week)\b/i,
    extract: (context, match) => {
      const ref = context.reference.instant // the person's calendar day (chronoReference)
      const week = /w/i.test(match[0] ?? '') // "eow", "end of the week"; "eod"/"end of day" have no w
      // Friday of this week (today when it is Friday); the time is left to the resolver (17:00).
      const delta = week ? (5 - ref.getDay() + 7) % 7 : 0
      const d = new Date(ref.getFullYear(), ref.getMonth(), ref.getDate() + delta, 12)
      return context.createParsingComponents({ day: d.getDate(), month: d.getMonth() + 1, year: d.getFullYear() }).addTag(TAG_END_OF)
    },
  })
  c.parsers.push({
    // "by the 5th", "due the 21st at 3pm" — not "the 3rd floor": only before the end, punctuation or a time.
    pattern: () => /\bthe\s+(\d{1,2})(?:st|nd|rd|th)\b(?=\s*$|\s*[,.;!?)]|\s+(?:at|by|and|please|eod|noon|\d))/i,
    extract: (context, match) => {
      const day = Number(match[1])
      if (day < 1 || day > 31) return null
      return context.createParsingComponents({ day }).addTag(TAG_DAY_OF_MONTH)
    },
  })
  return c
}
let built: chrono.Chrono | undefined
const parser = (): chrono.Chrono => (built ??= buildParser())

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
  const results = parser().parse(text, chronoReference(wallClock(opts.now, zone)), { forwardDate: false })
  const accepted = results.filter((r) => isDueDate(r, text))
  // The last date wins: people put the due date at the end ("review Q3 plan from jan 3 by fri").
  const r = accepted.at(-1)
  if (!r) {
    const hinted = unreadableHint(text)
    if (hinted) return { kind: 'unreadable', ...hinted }
    return opts.required && text.trim() ? { kind: 'unreadable', start: 0, end: text.length, text: text.trim() } : { kind: 'none' }
  }
  // "eod friday", "friday eod": readings side by side are one date. The words of all leave the
  // title, and the one naming a day (not "eod") decides it.
  const group = [r]
  for (const prev of accepted.slice(0, -1).reverse()) {
    if (!/^\s*$/.test(text.slice(prev.index + prev.text.length, group[0]!.index))) break
    group.unshift(prev)
  }
  const decisive = group.filter((g) => !g.tags().has(TAG_END_OF)).at(-1) ?? r
  let start = group[0]!.index
  const said = text.slice(start, r.index + r.text.length)
  const before = text.slice(0, start)
  // "by fri" loses its "by"; "at 5pm" and "in 2 days" bring their own, so "work on" keeps its "on"
  // (only a "due" before them goes too).
  const lead = OWN_PREPOSITION.test(text.slice(start))
    ? DUE.exec(before) // "due on friday", "due in 3 days"
    : (LEAD_IN.exec(before) ?? (/^\d/.test(group[0]!.text) ? LEAD_IN_THE.exec(before) : null))
  if (lead) start -= lead[0].length - (lead[0].match(/^\s/) ? 1 : 0)
  const end = r.index + r.text.length
  // "tomorrow at 25pm": chrono reads "tomorrow" and drops the impossible time; guessing 17:00 would
  // silently set the wrong due time, so the whole phrase is refused as unreadable.
  const badTime = BAD_TIME_AFTER.exec(text.slice(end))
  if (badTime) return { kind: 'unreadable', start, end: end + badTime[0].length, text: `${r.text}${badTime[0]}`.trim() }
  const at = resolveDue(decisive, parser(), zone, opts.now)
  if (!at) return { kind: 'unreadable', start, end, text: r.text }
  const span = { start, end, text: said }
  if (at.at.getTime() <= opts.now.getTime()) return { kind: 'past', ...at, ...span }
  return { kind: 'due', ...at, ...span }
}

function isDueDate(r: chrono.ParsedResult, text: string): boolean {
  const word = r.text.trim().toLowerCase()
  if (/^\d+$/.test(word)) return false // "fix 5 tests": a bare number is never a date
  const afterLeadIn = LEAD_IN.test(text.slice(0, r.index))
  if (AMBIGUOUS.has(word) || r.tags().has(TAG_DAY_OF_MONTH)) return afterLeadIn
  if (/\bago$/i.test(word)) return false // "the bug reported 2 days ago" describes the past
  if (r.tags().has('result/relativeDate')) return OFFSET_PHRASE.test(word) && !UNIT_AS_ADJECTIVE.test(word)
  return true
}

function unreadableHint(text: string): DueSpan | undefined {
  const at = BAD_TIME_AT.exec(text)
  if (at) return spanOf(text, at.index + at[0].indexOf(at[1]!), at[1]!, at[2]!)
  const m = HINT_AFTER_LEAD_IN.exec(text)
  if (!m) return undefined
  const what = m[3]!.replace(/[.,;!?]+$/, '')
  if (m[2]!.toLowerCase() !== 'due' && !looksLikeDate(what)) return undefined
  const start = m.index + m[0].indexOf(m[1]!)
  return spanOf(text, start, m[1]!.slice(0, m[1]!.length - m[3]!.length) + what, what)
}

function spanOf(_text: string, start: number, phrase: string, what: string): DueSpan {
  return { start, end: start + phrase.length, text: what }
}

/** The local wall clock of an instant in the person's zone (re-exported for display helpers). */
export { wallClock }
