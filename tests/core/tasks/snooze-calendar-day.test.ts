/**
 * "Snooze a day" is one calendar day at the same wall time, through the real dispatcher (issue 22):
 * 24 hours would land at 18:00 in New York the night clocks spring forward, and at 16:00 in Paris
 * the night they fall back.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { wallClock } from '../../../src/core/time/zoned-time.ts'
import { fixedClock, harness, PEOPLE, WS, type Harness } from './support.ts'

const BOB = PEOPLE[1]! // America/New_York
const ALICE = PEOPLE[0]! // Europe/Paris

describe('snooze adds a calendar day', () => {
  let h: Harness
  afterEach(async () => {
    await h?.close()
  })

  const local = (at: Date, zone: string) => {
    const w = wallClock(at, zone)
    return `${w.month}/${w.day} ${String(w.hour).padStart(2, '0')}:${String(w.minute).padStart(2, '0')}`
  }

  it.each([
    // [where, creator, now (UTC), due before, due after snooze]
    ['New York', BOB, '2026-03-06T15:00:00Z', '3/7 17:00', '3/8 17:00'],
    ['Paris', ALICE, '2026-10-23T09:00:00Z', '10/24 17:00', '10/25 17:00'],
  ] as const)('%s: due Sat 17:00, snoozed to Sun 17:00', async (_where, creator, now, before, after) => {
    h = await harness({ clock: fixedClock(now), start: false })
    await h.command('check the backups by saturday', creator.id)
    const [task] = (await h.feature.context.repo.list({ workspace: WS, limit: 10 })).tasks
    expect(local(task!.dueAt!, creator.timezone)).toBe(before)
    const turn = await h.command('snooze T-1', creator.id)
    expect(turn.replies[0]!.text).toMatch(/^Snoozed \*\*T-1\*\* to \w{3} \d+ \w{3}, 17:00/)
    const [snoozed] = (await h.feature.context.repo.list({ workspace: WS, limit: 10 })).tasks
    expect(local(snoozed!.dueAt!, creator.timezone)).toBe(after)
  })
})
