import { describe, expect, it } from 'vitest'
import { parseDue, type DueParse } from '../../../src/core/tasks/due-date.ts'
import { fromWallClock, localDay, wallClock, zoneOffsetMinutes } from '../../../src/core/time/zoned-time.ts'

// Wednesday 5 March 2025, 10:00 UTC: 11:00 in Paris, 05:00 in New York (EST, before the 9 March
// DST change), 19:00 in Tokyo.
const NOW = new Date('2025-03-05T10:00:00Z')

function due(text: string, timezone = 'Europe/Paris', now = NOW): DueParse {
  return parseDue(text, { now, timezone })
}

function at(text: string, timezone = 'Europe/Paris'): string {
  const r = due(text, timezone)
  if (r.kind !== 'due') throw new Error(`expected a due date in "${text}", got ${r.kind}`)
  return r.at.toISOString()
}

describe('due dates in the creator’s timezone', () => {
  it('"tomorrow 5pm" is a different instant for a creator in Tokyo and one in New York', () => {
    expect(at('tomorrow 5pm', 'Asia/Tokyo')).toBe('2025-03-06T08:00:00.000Z') // Thu 17:00 JST
    expect(at('tomorrow 5pm', 'America/New_York')).toBe('2025-03-06T22:00:00.000Z') // Thu 17:00 EST
  })

  it('a date without a time means 17:00 local, end of the working day', () => {
    const r = due('fri')
    expect(r).toMatchObject({ kind: 'due', dateOnly: true })
    expect(at('fri')).toBe('2025-03-07T16:00:00.000Z') // Fri 17:00 CET
    expect(at('in 3 days')).toBe('2025-03-08T16:00:00.000Z')
    expect(at('next week')).toBe('2025-03-12T16:00:00.000Z')
    expect(at('by Dec 3')).toBe('2025-12-03T16:00:00.000Z')
    expect(at('eod')).toBe('2025-03-05T16:00:00.000Z')
    expect(at('end of the week')).toBe('2025-03-07T16:00:00.000Z')
  })

  it('keeps the local clock time across a DST change (New York moves to EDT on 9 March)', () => {
    expect(at('Mar 10 9am', 'America/New_York')).toBe('2025-03-10T13:00:00.000Z') // 09:00 EDT, not 09:00 EST
    expect(at('in 3 weeks', 'America/New_York')).toBe('2025-03-26T21:00:00.000Z') // 17:00 EDT
  })

  it('"in 2 hours" is an exact duration from now', () => {
    expect(at('in 2 hours', 'Asia/Tokyo')).toBe('2025-03-05T12:00:00.000Z')
  })

  it('a bare "at 3" is read as the afternoon', () => {
    expect(at('call the bank at 3')).toBe('2025-03-05T14:00:00.000Z') // 15:00 CET
  })

  it('a weekday that already ended today means next week', () => {
    const fridayEvening = new Date('2025-03-07T18:30:00Z') // Fri 19:30 in Paris
    const r = due('fri', 'Europe/Paris', fridayEvening)
    expect(r.kind === 'due' && r.at.toISOString()).toBe('2025-03-14T16:00:00.000Z')
  })

  it('reports where the date sits, including its lead-in word, so the title can lose it', () => {
    const text = 'write the report by Dec 3'
    const r = due(text)
    expect(r.kind).toBe('due')
    if (r.kind === 'due') expect(`${text.slice(0, r.start)}|${text.slice(r.end)}`).toBe('write the report |')
  })

  it('past dates are refused, not guessed', () => {
    expect(due('yesterday 5pm').kind).toBe('past')
    expect(due('today 9am').kind).toBe('past') // 11:00 in Paris already
    expect(due('Dec 3 2020').kind).toBe('past')
  })

  it('something after "due"/"by" that is not a date is unreadable', () => {
    expect(due('ship it due blarg')).toMatchObject({ kind: 'unreadable', text: 'blarg' })
    expect(due('ship it by Feb 30')).toMatchObject({ kind: 'unreadable' })
    expect(parseDue('gibberish', { now: NOW, timezone: 'UTC', required: true })).toMatchObject({ kind: 'unreadable' })
  })

  it('ordinary words and numbers are not dates', () => {
    expect(due('Bob may need access to the repo').kind).toBe('none')
    expect(due('fix 5 tests').kind).toBe('none')
    expect(due('review PR 1234').kind).toBe('none')
    expect(due('reported by alice').kind).toBe('none')
    expect(at('fix 5 tests by friday')).toBe('2025-03-07T16:00:00.000Z')
    expect(at('answer by may 3')).toBe('2025-05-03T15:00:00.000Z') // CEST by then
  })

  it('an unknown zone falls back to UTC instead of failing', () => {
    expect(at('tomorrow 5pm', 'Mars/Olympus_Mons')).toBe('2025-03-06T17:00:00.000Z')
  })
})

describe('zoned time helpers', () => {
  it('round-trips local wall clocks', () => {
    const t = fromWallClock({ year: 2025, month: 11, day: 2, hour: 1, minute: 30 }, 'America/New_York') // ambiguous hour
    expect(wallClock(t, 'America/New_York')).toMatchObject({ hour: 1, minute: 30 })
    expect(zoneOffsetMinutes(NOW, 'Asia/Kolkata')).toBe(330)
    expect(localDay(new Date('2025-03-05T23:30:00Z'), 'Asia/Tokyo')).toBe('2025-03-06')
  })

  it('a wall time that does not exist moves forward by the jump, east and west of UTC', () => {
    const at = (zone: string, day: number, month: number, hour: number, minute = 30) =>
      fromWallClock({ year: 2026, month, day, hour, minute }, zone).toISOString()
    expect(at('America/New_York', 8, 3, 2)).toBe('2026-03-08T07:30:00.000Z') // 03:30 EDT, not 01:30 EST
    expect(at('Europe/Berlin', 29, 3, 2)).toBe('2026-03-29T01:30:00.000Z') // 03:30 CEST
    expect(at('America/Santiago', 6, 9, 0, 0)).toBe('2026-09-06T04:00:00.000Z') // Sunday starts at 01:00 -03
    expect(at('America/New_York', 1, 11, 1)).toBe('2026-11-01T05:30:00.000Z') // twice: the first, EDT
  })
})
