/**
 * Weekly team metrics, computed from the daily rollups (never from message content). Everything
 * here is pure over what the repository returns, so the same numbers come out of the chat reply,
 * the nudge, the dashboard and the benchmark.
 */
import { nextTurn } from '../next-turn.ts'
import type { ActivityKind, ActivityReads, Link, Team } from './types.ts'
import { PASSIVE_KINDS } from './types.ts'
import { addDays, isoWeekLabel } from '../time/iso-weeks.ts'

export interface WeekMetrics {
  week: string
  weekStart: string
  /** People with any write action (message, reply, reaction, save, task, kudos given). */
  activePeople: number
  /** People who wrote a message or reply. */
  postingPeople: number
  /** Active in the 28 days ending with this week. */
  monthlyActive: number
  /** activePeople / monthlyActive, 0..1. */
  wauMau: number
  contributions: number
  contributionsPerActive: number
  knowledgeSaved: number
  tasksCreated: number
  tasksDone: number
  kudosGiven: number
  kudosReceived: number
  /** First time ever seen in the team's channels. */
  newPeople: number
  /** Active this week and the week before. */
  returningPeople: number
  /** Active this week, not the week before, but at some time earlier. */
  resurrectedPeople: number
  /** Active the week before, not this week. */
  dormantPeople: number
  /** The fewest people who together make at least half of the contributions. */
  halfContributors: number
  /** Replies and kudos between people of two different (known) departments. */
  crossDepartmentLinks: number
}

/**
 * The metrics of a week that its counts alone give (all that objectives, diagnoses and impact's
 * stages read): without each person's first week (new, returning, resurrected people) and the links.
 */
export type CountMetrics = Omit<WeekMetrics, 'newPeople' | 'returningPeople' | 'resurrectedPeople' | 'crossDepartmentLinks'>

/** A week with the per-person detail diagnoses need; the detail never leaves the core. */
export interface WeekDetail<M extends CountMetrics = WeekMetrics> {
  metrics: M
  contributionsByPerson: Map<string, number>
  active: Set<string>
}

export interface TeamHistory<M extends CountMetrics = WeekMetrics> {
  team: Team
  /** Oldest first. */
  weeks: WeekDetail<M>[]
  departments: Map<string, string>
  /** Everyone active in the team's channels at any time in the history. */
  audience: Set<string>
}

const POSTING = new Set(['message', 'reply'])

/** The fewest people whose contributions add up to at least half of the total. */
export function halfOf(byPerson: Iterable<number>): number {
  const counts = [...byPerson].sort((a, b) => b - a)
  const total = counts.reduce((s, c) => s + c, 0)
  if (total === 0) return 0
  let sum = 0
  for (let i = 0; i < counts.length; i++) {
    sum += counts[i]!
    if (sum * 2 >= total) return i + 1
  }
  return counts.length
}

export function crossDepartment(links: Link[], departments: Map<string, string>): number {
  let n = 0
  for (const l of links) {
    const a = departments.get(l.fromId)
    const b = departments.get(l.toId)
    if (a && b && a !== b) n += l.count
  }
  return n
}

/** What one week's metrics are computed from (the repository answers each part in SQL). */
export interface WeekInput {
  monday: string
  /** Counts per person and kind in the week. */
  counts: { personId: string; kind: ActivityKind; count: number }[]
  /** Active the week before. */
  previous: Set<string>
  /** Active in the 28 days ending with the week. */
  monthly: Set<string>
  /** Monday of each person's first active week in the team (compared with week Mondays only). */
  firstSeen: Map<string, string>
  links: Link[]
}

/** What a week's count metrics are computed from. */
type CountInput = Omit<WeekInput, 'firstSeen' | 'links'>

/** The week's metrics from its counts alone (countHistory). */
export function countDetail(w: CountInput): WeekDetail<CountMetrics> {
  const byPerson = new Map<string, number>()
  const posting = new Set<string>()
  const kinds = new Map<string, number>()
  for (const r of w.counts) {
    kinds.set(r.kind, (kinds.get(r.kind) ?? 0) + r.count)
    if (PASSIVE_KINDS.has(r.kind)) continue
    byPerson.set(r.personId, (byPerson.get(r.personId) ?? 0) + r.count)
    if (POSTING.has(r.kind)) posting.add(r.personId)
  }
  const active = new Set(byPerson.keys())
  let dormant = 0
  for (const p of w.previous) if (!active.has(p)) dormant++
  const monthly = w.monthly.size
  const contributions = [...byPerson.values()].reduce((s, c) => s + c, 0)
  const k = (kind: string) => kinds.get(kind) ?? 0
  return {
    active,
    contributionsByPerson: byPerson,
    metrics: {
      week: isoWeekLabel(w.monday),
      weekStart: w.monday,
      activePeople: active.size,
      postingPeople: posting.size,
      monthlyActive: monthly,
      wauMau: monthly ? round(active.size / monthly, 2) : 0,
      contributions,
      contributionsPerActive: active.size ? round(contributions / active.size, 1) : 0,
      knowledgeSaved: k('knowledge_saved'),
      tasksCreated: k('task_created'),
      tasksDone: k('task_done'),
      kudosGiven: k('kudos_given'),
      kudosReceived: k('kudos_received'),
      dormantPeople: dormant,
      halfContributors: halfOf(byPerson.values()),
    },
  }
}

export function weekDetail(w: WeekInput, departments: Map<string, string>): WeekDetail {
  const d = countDetail(w)
  let fresh = 0
  let returning = 0
  let resurrected = 0
  for (const p of d.active) {
    const first = w.firstSeen.get(p)
    if (first === undefined || first >= w.monday) fresh++
    else if (w.previous.has(p)) returning++
    else resurrected++
  }
  const metrics: WeekMetrics = {
    ...d.metrics,
    newPeople: fresh,
    returningPeople: returning,
    resurrectedPeople: resurrected,
    crossDepartmentLinks: crossDepartment(w.links, departments),
  }
  return { ...d, metrics }
}

/**
 * The team's weeks (Mondays, oldest first), read from the weekly rollups so the cost is the
 * window's weeks of the team's rows, never the whole history: per week its counts per person and
 * kind (one read; the week before and the 28 days are unions of those), its links (raw events of
 * that week), and each person's first week once. The reads are all asked for at once (only the first
 * weeks wait, for the window's active people): on PostgreSQL they run side by side on the pool's
 * connections instead of one round trip after another; on SQLite each read is its own turns anyway.
 */
export async function teamHistory(repo: ActivityReads, team: Team, mondays: string[], departments: Map<string, string>): Promise<TeamHistory> {
  const ws = team.workspace
  const ch = team.channels
  const [inputs, links] = await Promise.all([
    countInputs(repo, team, mondays),
    Promise.all(mondays.map((monday) => (ch.length ? repo.links(ws, ch, monday, addDays(monday, 7)) : []))),
  ])
  // First weeks are only looked at for people active in a week of the window.
  const windowActive = new Set<string>()
  for (const w of inputs) for (const r of w.counts) if (!PASSIVE_KINDS.has(r.kind)) windowActive.add(r.personId)
  const firstSeen = windowActive.size ? await repo.firstSeenWeeks(ws, ch, windowActive) : new Map<string, string>()
  return historyOf(team, departments, inputs, (input, i) => weekDetail({ ...input, firstSeen, links: links[i]! }, departments))
}

/**
 * The team's weeks from their counts alone: what impact's reports read (objectives, diagnoses,
 * stages, the privacy minimum), without the first weeks and links the other metrics need.
 */
export async function countHistory(
  repo: ActivityReads,
  team: Team,
  mondays: string[],
  departments: Map<string, string>,
): Promise<TeamHistory<CountMetrics>> {
  return historyOf(team, departments, await countInputs(repo, team, mondays), countDetail)
}

/** Per week: its counts, the week before's active people and the 28 days' (no reads for a team without channels). */
async function countInputs(repo: ActivityReads, team: Team, mondays: string[]): Promise<CountInput[]> {
  if (team.channels.length === 0) return mondays.map((monday) => ({ monday, counts: [], previous: new Set<string>(), monthly: new Set<string>() }))
  const ws = team.workspace
  const ch = team.channels
  const counts = new Map<string, Promise<WeekInput['counts']>>()
  const countsOf = (monday: string) => {
    let c = counts.get(monday)
    if (!c) counts.set(monday, (c = repo.weekCounts(ws, ch, monday)))
    return c
  }
  // Weeks before the window only say who was active: a distinct read, not counts per person and kind.
  const active = new Map<string, Promise<Set<string>>>()
  const activeOf = (monday: string) => {
    let a = active.get(monday)
    if (!a) {
      a =
        counts.has(monday) || !repo.weekActivePeople
          ? countsOf(monday).then((rows) => new Set(rows.filter((r) => !PASSIVE_KINDS.has(r.kind)).map((r) => r.personId)))
          : repo.weekActivePeople(ws, ch, monday)
      active.set(monday, a)
    }
    return a
  }
  // Every read asked for before any is awaited (counts first, so a week of the window is never read twice).
  for (const monday of mondays) countsOf(monday)
  return Promise.all(
    mondays.map(async (monday) => {
      // The 28 days ending with the week are exactly it and the three weeks before (weeks start on Mondays).
      const [weekCounts, ...month] = await Promise.all([countsOf(monday), ...[0, 1, 2, 3].map((k) => activeOf(addDays(monday, -7 * k)))])
      const monthly = new Set<string>()
      for (const people of month) for (const p of people) monthly.add(p)
      // A copy: the memoised sets are shared between the weeks.
      return { monday, counts: weekCounts, previous: new Set(month[1]), monthly }
    }),
  )
}

async function historyOf<M extends CountMetrics>(
  team: Team,
  departments: Map<string, string>,
  inputs: CountInput[],
  detail: (input: CountInput, i: number) => WeekDetail<M>,
): Promise<TeamHistory<M>> {
  const weeks: WeekDetail<M>[] = []
  const audience = new Set<string>()
  for (const [i, input] of inputs.entries()) {
    await nextTurn() // a week's detail walks its counts, links and first weeks: one week per turn
    const w = detail(input, i)
    for (const p of w.active) audience.add(p)
    weeks.push(w)
  }
  return { team, weeks, departments, audience }
}

export function round(n: number, digits: number): number {
  const f = 10 ** digits
  return Math.round(n * f) / f
}
