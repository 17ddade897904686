/**
 * Every due-date input from issue 22 (and the older due-date tests), for creators in seven zones,
 * answered by the real `/task` text parser, snooze arithmetic and kudos day windows. Run in-process
 * by the tests, and as `tsx tests/core/tasks/due-date-cases.ts` in child processes started with
 * another server `TZ`, which print the answers as JSON. (Node 20 does apply a runtime change of
 * process.env.TZ to Date and Intl, but anything computed at import — chrono's parsers, cached
 * formatters — would keep the old zone; a fresh process is a server configured in that zone.)
 */
import type { Person } from '../../../src/core/model.ts'
import { windowsFor } from '../../../src/core/recognition/periods.ts'
import { parseCommandText } from '../../../src/core/tasks/parse-task-text.ts'
import { addCalendarDays, fromWallClock, wallClock } from '../../../src/core/time/zoned-time.ts'

export const CREATOR_ZONES = [
  'Europe/Berlin',
  'America/New_York',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Pacific/Kiritimati',
  'Pacific/Pago_Pago',
  'America/Santiago',
]
export const SERVER_ZONES = ['UTC', 'America/Los_Angeles', 'Asia/Tokyo', 'Pacific/Kiritimati']

/** What the creator should see: a local due time, no date, or a refusal whose text matches. */
export type Expected = { due: string; title: string } | { none: true; title: string } | { refused: 'unreadable' | 'past'; says: string }

export interface Case {
  /** The creator's local clock when they type, "2026-03-13 11:30" (a Friday). */
  now: string
  text: string
  expect: Expected
  /** Only for these creator zones (DST cases); otherwise all of CREATOR_ZONES. */
  zones?: string[]
}

const FRI = '2026-03-13 11:30' // Friday 13 March 2026

export const CASES: Case[] = [
  // "friday" on a Friday and "march 13" on 13 March are today until 17:00, then a week / year on.
  { now: FRI, text: 'send the deck by friday', expect: { due: '2026-03-13 17:00', title: 'send the deck' } },
  { now: '2026-03-13 14:00', text: 'send the deck by fri', expect: { due: '2026-03-13 17:00', title: 'send the deck' } },
  { now: '2026-03-13 17:30', text: 'send the deck by fri', expect: { due: '2026-03-20 17:00', title: 'send the deck' } },
  { now: '2026-03-13 13:00', text: 'file taxes by march 13', expect: { due: '2026-03-13 17:00', title: 'file taxes' } },
  { now: '2026-03-13 18:00', text: 'file taxes by march 13', expect: { due: '2027-03-13 17:00', title: 'file taxes' } },
  { now: '2026-03-16 09:00', text: 'send the deck by friday', expect: { due: '2026-03-20 17:00', title: 'send the deck' } },
  { now: '2026-11-30 09:00', text: 'book the venue next friday', expect: { due: '2026-12-11 17:00', title: 'book the venue' } },
  // Numbers with a unit are not dates; only "in 2 hours"-style phrases are offsets.
  { now: FRI, text: 'spend 2 hours on the review', expect: { none: true, title: 'spend 2 hours on the review' } },
  { now: FRI, text: 'plan the 5 day offsite', expect: { none: true, title: 'plan the 5 day offsite' } },
  { now: FRI, text: 'prepare the 2 week sprint retro', expect: { none: true, title: 'prepare the 2 week sprint retro' } },
  { now: FRI, text: 'block the room for 2 hours', expect: { none: true, title: 'block the room for 2 hours' } },
  { now: FRI, text: 'call back in 2 hours', expect: { due: '2026-03-13 13:30', title: 'call back' } },
  { now: FRI, text: 'plan the 5 day offsite in 3 days', expect: { due: '2026-03-16 17:00', title: 'plan the 5 day offsite' } },
  // Parts of today that are over are refused, saying so.
  { now: '2026-03-12 10:30', text: 'water the plants this morning', expect: { refused: 'past', says: 'already passed' } },
  { now: '2026-03-12 16:00', text: 'water the plants this afternoon', expect: { refused: 'past', says: 'already passed' } },
  { now: '2026-03-12 23:30', text: 'water the plants tonight', expect: { refused: 'past', says: 'already passed' } },
  { now: '2026-03-12 10:30', text: 'water the plants this afternoon', expect: { due: '2026-03-12 15:00', title: 'water the plants' } },
  // Month arithmetic and the day of the month.
  { now: '2026-01-31 10:00', text: 'renew the domain in a month', expect: { due: '2026-02-28 17:00', title: 'renew the domain' } },
  { now: FRI, text: 'send invoice by the 5th', expect: { due: '2026-04-05 17:00', title: 'send invoice' } },
  { now: '2026-03-03 09:00', text: 'send invoice by the 5th', expect: { due: '2026-03-05 17:00', title: 'send invoice' } },
  { now: FRI, text: 'review the 3rd chapter', expect: { none: true, title: 'review the 3rd chapter' } },
  // Dates Beacon cannot read are refused, naming the part it did not understand (issue 17).
  { now: FRI, text: 'review the contract at 25:99', expect: { refused: 'unreadable', says: '25:99' } },
  { now: FRI, text: 'review the contract by the 45th of smarch', expect: { refused: 'unreadable', says: 'the 45th of smarch' } },
  { now: FRI, text: 'write the guide due flurbsday', expect: { refused: 'unreadable', says: 'flurbsday' } },
  { now: FRI, text: 'write the guide by Feb 30', expect: { refused: 'unreadable', says: 'Feb 30' } },
  { now: FRI, text: 'write the guide tomorrow at 25pm', expect: { refused: 'unreadable', says: 'tomorrow at 25pm' } },
  { now: FRI, text: 'meet by the 3rd floor kitchen', expect: { none: true, title: 'meet by the 3rd floor kitchen' } },
  { now: FRI, text: 'thank everyone reported by 5 people', expect: { none: true, title: 'thank everyone reported by 5 people' } },
  { now: FRI, text: 'pay rent by 32 jan', expect: { refused: 'unreadable', says: '32 jan' } },
  // The inputs of the earlier due-date tests.
  { now: FRI, text: 'ship it tomorrow 5pm', expect: { due: '2026-03-14 17:00', title: 'ship it' } },
  { now: FRI, text: 'ship it in 3 days', expect: { due: '2026-03-16 17:00', title: 'ship it' } },
  { now: FRI, text: 'ship it next week', expect: { due: '2026-03-20 17:00', title: 'ship it' } },
  { now: FRI, text: 'write the report by Dec 3', expect: { due: '2026-12-03 17:00', title: 'write the report' } },
  { now: FRI, text: 'ship it eod', expect: { due: '2026-03-13 17:00', title: 'ship it' } },
  { now: '2026-03-11 09:00', text: 'ship it by end of the week', expect: { due: '2026-03-13 17:00', title: 'ship it' } },
  { now: '2026-03-09 10:00', text: 'ship it by eod friday', expect: { due: '2026-03-13 17:00', title: 'ship it' } },
  { now: '2026-03-09 10:00', text: 'ship it friday eod', expect: { due: '2026-03-13 17:00', title: 'ship it' } },
  { now: '2026-03-13 18:30', text: 'ship it eod', expect: { refused: 'past', says: 'already passed' } },
  { now: '2026-03-09 10:00', text: 'submit the report due on friday', expect: { due: '2026-03-13 17:00', title: 'submit the report' } },
  { now: FRI, text: 'work on it in 3 days', expect: { due: '2026-03-16 17:00', title: 'work on it' } },
  { now: FRI, text: 'prepare for the friday demo by monday', expect: { due: '2026-03-16 17:00', title: 'prepare for the friday demo' } },
  { now: '2026-03-11 09:00', text: 'ship it this week', expect: { due: '2026-03-13 17:00', title: 'ship it' } },
  { now: '2026-03-11 09:00', text: 'ship it the day after tomorrow', expect: { due: '2026-03-13 17:00', title: 'ship it' } },
  { now: FRI, text: 'call the bank at 3', expect: { due: '2026-03-13 15:00', title: 'call the bank' } },
  { now: '2026-03-13 16:00', text: 'call the bank at 3', expect: { due: '2026-03-14 15:00', title: 'call the bank' } },
  { now: FRI, text: 'fix 5 tests by friday', expect: { due: '2026-03-13 17:00', title: 'fix 5 tests' } },
  { now: FRI, text: 'answer by may 3', expect: { due: '2026-05-03 17:00', title: 'answer' } },
  { now: FRI, text: 'Bob may need access to the repo', expect: { none: true, title: 'Bob may need access to the repo' } },
  { now: FRI, text: 'review PR 1234', expect: { none: true, title: 'review PR 1234' } },
  { now: FRI, text: 'check what was reported by alice', expect: { none: true, title: 'check what was reported by alice' } },
  { now: FRI, text: 'fix it yesterday 5pm', expect: { refused: 'past', says: 'already passed' } },
  { now: FRI, text: 'fix it today 9am', expect: { refused: 'past', says: 'already passed' } },
  { now: FRI, text: 'fix it by Dec 3 2020', expect: { refused: 'past', says: 'already passed' } },
  // The skipped hour goes forward, east and west of UTC.
  { now: '2026-03-07 10:00', text: 'deploy tomorrow at 2:30am', zones: ['America/New_York'], expect: { due: '2026-03-08 03:30', title: 'deploy' } },
  { now: '2026-03-28 10:00', text: 'deploy tomorrow at 2:30am', zones: ['Europe/Berlin'], expect: { due: '2026-03-29 03:30', title: 'deploy' } },
  { now: '2026-03-07 10:00', text: 'deploy in 3 days at 9am', zones: ['America/New_York'], expect: { due: '2026-03-10 09:00', title: 'deploy' } },
]

export interface Answer {
  zone: string
  now: string
  text: string
  /** "due 2026-03-13 17:00 | send the deck", "none | …", or "refused: <message>". */
  answer: string
}

const pad = (n: number) => String(n).padStart(2, '0')
export function local(at: Date, zone: string): string {
  const w = wallClock(at, zone)
  return `${w.year}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}`
}
export function instantOf(localTime: string, zone: string): Date {
  const [y, mo, d, h, mi] = localTime.split(/[- :]/).map(Number) as [number, number, number, number, number]
  return fromWallClock({ year: y, month: mo, day: d, hour: h, minute: mi }, zone)
}

const noOne = { byName: async () => undefined, byId: async () => undefined }

export async function answerCases(): Promise<Answer[]> {
  const out: Answer[] = []
  for (const zone of CREATOR_ZONES) {
    const creator: Person = { id: 'U1', workspace: 'shell:w1', displayName: 'Alice', timezone: zone, isBot: false }
    for (const c of CASES) {
      if (c.zones && !c.zones.includes(zone)) continue
      const now = instantOf(c.now, zone)
      const o = await parseCommandText(c.text, { creator, now, lookup: noOne })
      const answer = !o.ok
        ? `refused: ${o.message}`
        : o.draft.due
          ? `due ${local(o.draft.due.at, zone)} | ${o.draft.title}`
          : `none | ${o.draft.title}`
      out.push({ zone, now: c.now, text: c.text, answer })
    }
  }
  return out
}

/** Snooze and kudos windows around DST changes, as local times (also compared across servers). */
export function calendarAnswers(): Record<string, string> {
  const ny = 'America/New_York'
  const paris = 'Europe/Paris'
  const out: Record<string, string> = {
    'snooze New York Sat 7 Mar 17:00': local(addCalendarDays(instantOf('2026-03-07 17:00', ny), 1, ny), ny),
    'snooze Paris Sat 24 Oct 17:00': local(addCalendarDays(instantOf('2026-10-24 17:00', paris), 1, paris), paris),
  }
  for (const [zone, night] of [
    ['America/Santiago', '2026-09-05 23:30'],
    ['America/Havana', '2026-03-07 23:30'],
  ] as const) {
    const w = windowsFor(instantOf(night, zone), zone)
    out[`${zone} ${night} day`] = `${local(w.dayStart, zone)} → ${local(w.nextDay, zone)}`
  }
  return out
}

if (process.argv[1]?.endsWith('due-date-cases.ts')) {
  const answers = await answerCases()
  process.stdout.write(JSON.stringify({ tz: process.env.TZ, answers, calendar: calendarAnswers() }))
}
