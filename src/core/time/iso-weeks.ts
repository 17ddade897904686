/**
 * ISO weeks in UTC. Every metric is per ISO week (Monday 00:00 UTC to the next Monday), so one
 * number means the same thing to every manager whatever their zone; only *when* a nudge is
 * delivered follows the manager's zone. Recognition keys its weekly digest by the same weeks.
 */
const DAY_MS = 86_400_000

/** "2025-03-05": the UTC day of an instant. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10)
}

export function dayToDate(day: string): Date {
  return new Date(`${day}T00:00:00.000Z`)
}

export function addDays(day: string, n: number): string {
  return utcDay(new Date(dayToDate(day).getTime() + n * DAY_MS))
}

/** The Monday (UTC day) of the ISO week containing `at`. */
export function weekStart(at: Date): string {
  const d = dayToDate(utcDay(at))
  const dow = (d.getUTCDay() + 6) % 7 // Monday 0 … Sunday 6
  return utcDay(new Date(d.getTime() - dow * DAY_MS))
}

/** "2025-W03" for the ISO week starting on Monday `monday`. */
export function isoWeekLabel(monday: string): string {
  const d = dayToDate(monday)
  const thursday = new Date(d.getTime() + 3 * DAY_MS)
  const year = thursday.getUTCFullYear()
  const jan1 = Date.UTC(year, 0, 1)
  const week = Math.floor((thursday.getTime() - jan1) / (7 * DAY_MS)) + 1
  return `${year}-W${String(week).padStart(2, '0')}`
}

/** ISO-8601 week of an instant in UTC, e.g. "2025-W10" (the recognition digest's once-per-week key). */
export function isoWeek(at: Date): string {
  return isoWeekLabel(weekStart(at))
}

/** The Monday of the ISO week label, the inverse of isoWeekLabel. */
export function mondayOf(label: string): string {
  const m = /^(\d{4})-W(\d{2})$/.exec(label)
  if (!m) throw new Error(`not an ISO week: ${label}`)
  const jan4 = new Date(Date.UTC(Number(m[1]), 0, 4))
  const firstMonday = weekStart(jan4)
  return addDays(firstMonday, (Number(m[2]) - 1) * 7)
}

/** The Mondays of the `count` complete weeks before the week containing `now`, oldest first. */
export function lastCompleteWeeks(now: Date, count: number): string[] {
  const current = weekStart(now)
  return Array.from({ length: count }, (_, i) => addDays(current, -7 * (count - i)))
}
