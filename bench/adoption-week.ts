/**
 * One week of team metrics as `/beacon stats` computes them (teamHistory over the weekly rollups),
 * beside the floor: a bare SQL GROUP BY over the same week's raw events, which yields only the
 * simplest numbers (distinct people and contributions). The same measurement on every backend:
 * the bare SQL is written once with `?` placeholders and run through the backend's `query`.
 */
import { resourceUsage } from 'node:process'
import { teamHistory } from '../src/core/adoption/metrics.ts'
import type { ActivityReads, Team } from '../src/core/adoption/types.ts'
import { addDays } from '../src/core/time/iso-weeks.ts'
import { PEOPLE, WS } from './adoption-events.ts'
import { addIssueRow } from './summary.ts'

/** Runs one SQL statement (`?` placeholders, in order) and returns its rows. */
export type Query = (sql: string, params: unknown[]) => Promise<Record<string, unknown>[]>

export interface WeekBench {
  /** Shown after "weekly adoption metrics" (the backend, when not SQLite). */
  on: string
  activity: ActivityReads
  team: Team
  departments: Map<string, string>
  /** Monday of the week measured. */
  week: string
  /** Events and weeks in the whole history. */
  total: number
  weeks: number
  query: Query
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

export async function measureWeek(b: WeekBench): Promise<void> {
  const { week, query } = b
  const next = addDays(week, 7)
  global.gc?.()
  const heapBefore = process.memoryUsage().heapUsed
  const rssBefore = process.memoryUsage().rss
  // Beacon and the bare GROUP BY alternate, three times each, medians reported: a machine busy with
  // other work slows both alike.
  const beaconRuns: number[] = []
  const bareRuns: number[] = []
  let h: Awaited<ReturnType<typeof teamHistory>> | undefined
  let base: Record<string, unknown> = {}
  let perPerson = 0
  let heapAfter = heapBefore
  for (let run = 0; run < 3; run++) {
    let t = performance.now()
    h = await teamHistory(b.activity, b.team, [week], b.departments)
    beaconRuns.push(performance.now() - t)
    if (run === 0) heapAfter = process.memoryUsage().heapUsed
    t = performance.now()
    ;[base = {}] = await query(
      'select count(distinct person_id) as active, count(*) as contributions from adoption_events ' +
        'where workspace_id = ? and day >= ? and day < ? and kind != ?',
      [WS, week, next, 'kudos_received'],
    )
    perPerson = (
      await query('select person_id, count(*) as n from adoption_events where workspace_id = ? and day >= ? and day < ? group by person_id', [
        WS,
        week,
        next,
      ])
    ).length
    bareRuns.push(performance.now() - t)
  }
  const metricsMs = median(beaconRuns)
  const baselineMs = median(bareRuns)
  const m = h!.weeks[0]!.metrics
  const [count] = await query('select count(*) as n from adoption_events where workspace_id = ? and day >= ? and day < ?', [WS, week, next])
  addIssueRow({
    what:
      `weekly adoption metrics${b.on}, ${PEOPLE.toLocaleString('en')} people, ${b.total.toLocaleString('en')} events over ${b.weeks} weeks ` +
      `(${Number(count?.n).toLocaleString('en')} in the week)`,
    beacon: `${metricsMs.toFixed(0)} ms`,
    floor: `bare SQL GROUP BY on the week: ${baselineMs.toFixed(0)} ms`,
    ratio: `×${(metricsMs / baselineMs).toFixed(2)}`,
    goal: "10M events < 2 s (cost: the week's rows)",
    met: b.total >= 10_000_000 && metricsMs < 2000,
  })

  process.stdout.write(
    `${[
      `week ${m.week}: active ${m.activePeople}, posting ${m.postingPeople}, WAU/MAU ${m.wauMau}, ` +
        `contributions ${m.contributions}, half from ${m.halfContributors} people,`,
      `  new/returning/resurrected/dormant ${m.newPeople}/${m.returningPeople}/${m.resurrectedPeople}/${m.dormantPeople}, ` +
        `cross-department links ${m.crossDepartmentLinks}`,
      `adoption weekly metrics (rollups + links): ${metricsMs.toFixed(0)} ms (median of 3: ${beaconRuns.map((x) => x.toFixed(0)).join(', ')}), ` +
        `heap +${mb(Math.max(0, heapAfter - heapBefore))}, rss ${mb(rssBefore)} → ${mb(process.memoryUsage().rss)}`,
      `baseline bare SQL GROUP BY on raw events (active ${Number(base.active)}, contributions ${Number(base.contributions)}, ` +
        `${perPerson} person rows): ${baselineMs.toFixed(0)} ms (median of 3, alternating with Beacon's)`,
      `peak RSS of the whole run (resourceUsage maxRSS, includes ingest): ${mb(resourceUsage().maxRSS * 1024)}`,
    ].join('\n')}\n`,
  )
}
