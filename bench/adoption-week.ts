/**
 * The adoption bench on any backend: the synthetic organisation and history (adoption-events.ts),
 * loaded through recordMany up to 1M events and in bulk above, then one week of team metrics as
 * `/beacon stats` computes them (teamHistory over the weekly rollups) beside the floor: a bare SQL
 * GROUP BY over the same week's raw events, which yields only the simplest numbers (distinct people
 * and contributions). The bare SQL is written once with `?` placeholders and run through the backend's `query`.
 */
import { resourceUsage } from 'node:process'
import { teamHistory } from '../src/core/adoption/metrics.ts'
import type { ActivityEvent, ActivityReads, ActivityRepository, AdoptionSettingsRepository, Team } from '../src/core/adoption/types.ts'
import { addDays, lastCompleteWeeks } from '../src/core/time/iso-weeks.ts'
import { events, PEOPLE, seedTeam, WS } from './adoption-events.ts'
import { addIssueRow } from './summary.ts'

/** Runs one SQL statement (`?` placeholders, in order) and returns its rows. */
export type Query = (sql: string, params: unknown[]) => Promise<Record<string, unknown>[]>

export interface Backend {
  /** Shown after "weekly adoption metrics" (the backend, when not SQLite). */
  on: string
  /** Prefix of the size variables: `<prefix>_EVENTS` (default 1M), `<prefix>_WEEKS` (default 5, or 100 in bulk). */
  env: string
  activity: ActivityRepository
  settings: AdoptionSettingsRepository
  /** Loads a history too long for recordMany: the rows recordMany would write, by the fastest route. */
  bulkLoad(stream: Iterable<ActivityEvent>): Promise<number>
  /** What the history needs after loading before it is read, as a database in service would have it. */
  settle?(): Promise<void>
  /** The history is already loaded (a database kept by an earlier run): measure it as it is. */
  reuse?: boolean
  query: Query
}

/** Above this many events the history is bulk-loaded in SQL (recordMany would take hours). */
const BULK_ABOVE = 1_000_000

export async function adoptionBench(b: Backend): Promise<void> {
  if (b.reuse) return measureLoaded(b)
  const total = Number(process.env[`${b.env}_EVENTS`] ?? 1_000_000)
  const bulk = total > BULK_ABOVE
  const weeks = Number(process.env[`${b.env}_WEEKS`] ?? (bulk ? 100 : 5))
  const now = new Date()
  const mondays = lastCompleteWeeks(now, weeks)
  const { team, departments } = await seedTeam(b.settings, now)

  const t = performance.now()
  let written = 0
  if (bulk) written = await b.bulkLoad(events(total, mondays))
  else {
    // Slices of 100,000 events, so the history is never held in memory at once.
    const batch: ActivityEvent[] = []
    for (const e of events(total, mondays)) {
      batch.push(e)
      if (batch.length === 100_000) written += await b.activity.recordMany(batch.splice(0))
    }
    written += await b.activity.recordMany(batch)
  }
  const seconds = (performance.now() - t) / 1000
  const [rollups] = await b.query('select count(*) as n from adoption_daily', [])
  process.stdout.write(
    `${bulk ? 'bulk load (SQL, not the ingest path)' : 'ingest (recordMany)'}: ${written} events over ${weeks} weeks ` +
      `(+ ${Number(rollups?.n)} daily rollup rows) in ${seconds.toFixed(1)} s = ${Math.round(written / seconds)} events/s\n`,
  )
  await b.settle?.()
  await measureWeek({ ...b, team, departments, week: mondays[mondays.length - 1]!, total, weeks })
}

/** A kept database: its size and last week read back from it (the run that loaded it may have been days ago). */
async function measureLoaded(b: Backend): Promise<void> {
  const [row] = await b.query('select count(*) as n, count(distinct week) as weeks, max(week) as last from adoption_weekly where workspace_id = ?', [
    WS,
  ])
  const [events] = await b.query('select count(*) as n from adoption_events where workspace_id = ?', [WS])
  const { team, departments } = await seedTeam(b.settings, new Date())
  process.stdout.write(`reused: ${Number(events?.n)} events over ${Number(row?.weeks)} weeks, loaded by an earlier run\n`)
  await measureWeek({ ...b, team, departments, week: String(row?.last), total: Number(events?.n), weeks: Number(row?.weeks) })
}

interface WeekBench {
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

async function measureWeek(b: WeekBench): Promise<void> {
  const { week, query } = b
  const next = addDays(week, 7)
  global.gc?.()
  const heapBefore = process.memoryUsage().heapUsed
  const rssBefore = process.memoryUsage().rss
  // Beacon and the bare GROUP BY alternate, three times each, medians reported: a machine busy with
  // other work slows both alike.
  const beaconRuns: number[] = []
  const bareRuns: number[] = []
  // CPU of this process, which on SQLite is all the work (on PostgreSQL only the client's): steadier than wall time on a shared machine.
  const beaconCpu: number[] = []
  const bareCpu: number[] = []
  const cpuMs = (since: NodeJS.CpuUsage) => {
    const u = process.cpuUsage(since)
    return (u.user + u.system) / 1000
  }
  let h: Awaited<ReturnType<typeof teamHistory>> | undefined
  let base: Record<string, unknown> = {}
  let perPerson = 0
  let heapAfter = heapBefore
  for (let run = 0; run < 3; run++) {
    let t = performance.now()
    let cpu = process.cpuUsage()
    h = await teamHistory(b.activity, b.team, [week], b.departments)
    beaconRuns.push(performance.now() - t)
    beaconCpu.push(cpuMs(cpu))
    if (run === 0) heapAfter = process.memoryUsage().heapUsed
    t = performance.now()
    cpu = process.cpuUsage()
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
    bareCpu.push(cpuMs(cpu))
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
    // The goal is stated at 10M events; a smaller run is held to the same 2 s and says so.
    goal: b.total >= 10_000_000 ? "10M events < 2 s (cost: the week's rows)" : '< 2 s (the goal is at 10M events)',
    met: metricsMs < 2000,
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
      `CPU of this process, medians (all the work on SQLite, the client's only on PostgreSQL): ` +
        `Beacon ${median(beaconCpu).toFixed(0)} ms, bare ${median(bareCpu).toFixed(0)} ms, ×${(median(beaconCpu) / median(bareCpu)).toFixed(2)}`,
      `peak RSS of the whole run (resourceUsage maxRSS, includes ingest): ${mb(resourceUsage().maxRSS * 1024)}`,
    ].join('\n')}\n`,
  )
}
