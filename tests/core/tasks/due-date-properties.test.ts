/**
 * Properties of `/task` due dates over random moments, zones, phrasings and titles (issue 22): a due
 * date Beacon accepts is in the future, at the wall time (and on the day) that was asked, and the
 * title keeps every word that was not part of the date.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Person } from '../../../src/core/model.ts'
import { parseCommandText } from '../../../src/core/tasks/parse-task-text.ts'
import { addLocalDays, fromWallClock, wallClock } from '../../../src/core/time/zoned-time.ts'
import { CREATOR_ZONES } from './due-date-cases.ts'

const ZONES = [...CREATOR_ZONES, 'Europe/Paris', 'Asia/Tokyo', 'Australia/Lord_Howe', 'UTC']
/** Words that are never dates, including numbers with a unit (issue 22: they stay in the title). */
const WORDS = [
  'review',
  'the',
  'deck',
  'send',
  'invoice',
  'plan',
  'offsite',
  'call',
  'client',
  'fix',
  'flaky',
  'tests',
  'update',
  'budget',
  'spend 2 hours on it',
  'the 5 day',
  '2 week sprint',
  'retro',
  'with',
  'team',
]
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday']
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']

type Day = { year: number; month: number; day: number }
const dayNumber = (d: Day) => Date.UTC(d.year, d.month - 1, d.day) / 86_400_000
const pad = (n: number) => String(n).padStart(2, '0')

/** A date phrase and what the person means by it, given their local "today". */
interface Phrase {
  text: string
  /** The wall time asked for. */
  hour: number
  minute: number
  /** Is this local day one the phrase can mean (it must also be the first such moment ahead)? */
  dayFits: (due: Day, today: Day) => boolean
  /** The same wall time one occurrence earlier, for phrases that mean "the next such moment". */
  previous?: (due: Day) => Day
  /** "in 3 hours": an exact duration instead of a wall time. */
  exactMs?: number
}

const time = fc.record({ hour: fc.integer({ min: 8, max: 23 }), minute: fc.constantFrom(0, 15, 30, 45) })

const phrase: fc.Arbitrary<Phrase> = fc.oneof(
  time.map(({ hour, minute }) => ({
    text: `tomorrow at ${hour}:${pad(minute)}`,
    hour,
    minute,
    dayFits: (d: Day, t: Day) => dayNumber(d) === dayNumber(t) + 1,
  })),
  time.map(({ hour, minute }) => ({
    text: `at ${hour}:${pad(minute)}`,
    hour,
    minute,
    dayFits: (d: Day, t: Day) => [0, 1].includes(dayNumber(d) - dayNumber(t)),
    previous: (d: Day) => addLocalDays(d, -1),
  })),
  fc.integer({ min: 0, max: 6 }).map((w) => ({
    text: `by ${WEEKDAYS[w]}`,
    hour: 17,
    minute: 0,
    dayFits: (d: Day, t: Day) => new Date(dayNumber(d) * 86_400_000).getUTCDay() === w && dayNumber(d) - dayNumber(t) <= 7,
    previous: (d: Day) => addLocalDays(d, -7),
  })),
  fc
    .integer({ min: 1, max: 40 })
    .map((n) => ({ text: `in ${n} days`, hour: 17, minute: 0, dayFits: (d: Day, t: Day) => dayNumber(d) === dayNumber(addLocalDays(t, n)) })),
  fc.record({ m: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 28 }) }).map(({ m, day }) => ({
    text: `by ${MONTHS[m - 1]} ${day}`,
    hour: 17,
    minute: 0,
    dayFits: (d: Day, t: Day) => d.month === m && d.day === day && dayNumber(d) - dayNumber(t) <= 366,
    previous: (d: Day) => ({ ...d, year: d.year - 1 }),
  })),
  fc.integer({ min: 1, max: 28 }).map((n) => ({
    text: `by the ${n}${n % 10 === 1 && n !== 11 ? 'st' : n % 10 === 2 && n !== 12 ? 'nd' : n % 10 === 3 && n !== 13 ? 'rd' : 'th'}`,
    hour: 17,
    minute: 0,
    dayFits: (d: Day, t: Day) => d.day === n && dayNumber(d) - dayNumber(t) <= 31,
    previous: (d: Day) => (d.month === 1 ? { ...d, year: d.year - 1, month: 12 } : { ...d, month: d.month - 1 }),
  })),
  fc.integer({ min: 1, max: 30 }).map((n) => ({ text: `in ${n} hours`, hour: -1, minute: -1, dayFits: () => true, exactMs: n * 3_600_000 })),
)

const noOne = { byName: async () => undefined, byId: async () => undefined }

describe('due-date properties', () => {
  it('any due date is ahead, at the day and wall time asked, and the title keeps the other words', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ZONES),
        fc.date({ min: new Date('2025-01-01T00:00:00Z'), max: new Date('2028-12-31T00:00:00Z'), noInvalidDate: true }),
        fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 5 }),
        phrase,
        async (zone, now, words, p) => {
          const creator: Person = { workspace: 'shell:w', id: 'U1', displayName: 'Ann', timezone: zone, isBot: false }
          const o = await parseCommandText(`${words.join(' ')} ${p.text}`, { creator, now, lookup: noOne })
          if (!o.ok) throw new Error(`"${p.text}" refused in ${zone} at ${now.toISOString()}: ${o.message}`)
          expect(o.draft.title).toBe(words.join(' '))
          const due = o.draft.due!
          expect(due.at.getTime()).toBeGreaterThan(now.getTime())
          if (p.exactMs) return void expect(due.at.getTime() - now.getTime()).toBe(p.exactMs)
          const w = wallClock(due.at, zone)
          expect(`${pad(w.hour)}:${pad(w.minute)}`).toBe(`${pad(p.hour)}:${pad(p.minute)}`)
          expect(p.dayFits(w, wallClock(now, zone))).toBe(true)
          // The first such moment ahead: the one before it (a day, a week, a month, a year earlier) is not.
          if (p.previous)
            expect(fromWallClock({ ...p.previous(w), hour: p.hour, minute: p.minute }, zone).getTime()).toBeLessThanOrEqual(now.getTime())
        },
      ),
      { numRuns: Number(process.env.FC_RUNS ?? 500), seed: Number(process.env.FC_SEED ?? 22) },
    )
  })
})
