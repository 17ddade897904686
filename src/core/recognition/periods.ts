/**
 * The calendar windows the rules count in. A giver's day and week are *their* local day and week
 * (Monday first), so "5 a day" resets at their midnight, not at UTC's.
 */
import { addLocalDays, formatInZone, fromWallClock, safeZone, wallClock } from '../time/zoned-time.ts'

export interface Windows {
  dayStart: Date
  nextDay: Date
  weekStart: Date
  nextWeek: Date
}

export function windowsFor(now: Date, zone: string): Windows {
  const z = safeZone(zone)
  const w = wallClock(now, z)
  const at = (d: { year: number; month: number; day: number }) => fromWallClock({ ...d, hour: 0, minute: 0 }, z)
  const sinceMonday = (w.weekday + 6) % 7
  return {
    dayStart: at(w),
    nextDay: at(addLocalDays(w, 1)),
    weekStart: at(addLocalDays(w, -sinceMonday)),
    nextWeek: at(addLocalDays(w, 7 - sinceMonday)),
  }
}

/** "in 5 h (Tue 4 Mar, 00:00 Europe/Paris)": when a limit resets, for a refusal. */
export function resetText(at: Date, now: Date, zone: string): string {
  const ms = at.getTime() - now.getTime()
  const hours = Math.max(1, Math.round(ms / 3_600_000))
  const rel = hours < 48 ? `in ${hours} h` : `in ${Math.round(hours / 24)} days`
  return `${rel} (${formatInZone(at, zone, { now })} ${safeZone(zone)})`
}

export const PERIODS = ['week', 'month', 'all'] as const
export type Period = (typeof PERIODS)[number]

/** Leaderboards look back a rolling window, so Monday morning's "this week" is not empty. */
export function periodStart(period: Period, now: Date): Date | undefined {
  if (period === 'all') return undefined
  return new Date(now.getTime() - (period === 'week' ? 7 : 30) * 86_400_000)
}
