import { addLocalDays, fromWallClock, safeZone, wallClock } from '../time/zoned-time.ts'

/**
 * The first instant at or after `now` inside working hours (Monday–Friday, start:00 to end:00) in
 * the person's zone: now itself when it already is, else the next working morning.
 */
export function nextWorkingTime(now: Date, zone: string, hours: { start: number; end: number }): Date {
  const z = safeZone(zone)
  const w = wallClock(now, z)
  const weekday = (d: { year: number; month: number; day: number }) => new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay()
  const isWorkday = (d: number) => d >= 1 && d <= 5
  if (isWorkday(w.weekday) && w.hour >= hours.start && w.hour < hours.end) return now
  for (let i = 0; i <= 7; i++) {
    const d = addLocalDays(w, i)
    if (!isWorkday(weekday(d))) continue
    const at = fromWallClock({ ...d, hour: hours.start, minute: 0 }, z)
    if (at.getTime() > now.getTime()) return at
  }
  return now
}
