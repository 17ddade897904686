/**
 * Named diagnoses: each is one documented rule over a team's weekly history (see README.md in this
 * folder). Rules look at counts and shares only; what they say never names a person, so a nudge can
 * quote them to a manager as they are.
 */
import type { CountMetrics, TeamHistory, WeekDetail } from './metrics.ts'
import type { Objective, ObjectiveMetric } from './types.ts'

export type DiagnosisCode = 'decline_after_launch' | 'single_department' | 'silent_leaders' | 'one_person_team' | 'below_objective'

export interface Diagnosis {
  code: DiagnosisCode
  title: string
  /** Plain words for a manager; no names. */
  explanation: string
  actions: string[]
}

export const RULES = {
  /** Active people down at least this share from the peak … */
  declineShare: 0.3,
  /** … of the 4 weeks before, for each of the last 3 weeks. */
  declinePeakWeeks: 4,
  declineWeeks: 3,
  /** One department makes at least this share of the last 4 weeks' contributions … */
  singleDepartmentShare: 0.8,
  singleDepartmentWeeks: 4,
  /** … while at least this many people of other departments took part at some point. */
  singleDepartmentOthers: 2,
  /** Managers silent this many weeks while the team had enough active people each week. */
  silentWeeks: 3,
  /** One person makes at least half of the last 4 weeks' contributions … */
  onePersonShare: 0.5,
  onePersonWeeks: 4,
  /** … out of at least this many contributions (a quiet week proves nothing). */
  onePersonMinContributions: 20,
} as const

const ACTIONS = {
  question: 'Ask an open question in the team’s channel this week — one that anyone can answer.',
  recognise: 'Recognise a contributor publicly with `/kudos` for something they shared.',
  objective: 'Set an objective with `/beacon goal active <people>` so progress is visible.',
  win: 'Share a recent win and who helped make it happen.',
  crossDept: 'Invite a colleague from another department to weigh in on a current thread.',
  post: 'Post something yourself: a short update or a question shows the channel matters.',
}

export function objectiveValue(m: CountMetrics, metric: ObjectiveMetric): number {
  switch (metric) {
    case 'active':
      return m.activePeople
    case 'posting':
      return m.postingPeople
    case 'contributions':
      return m.contributions
    case 'knowledge':
      return m.knowledgeSaved
    case 'tasks_done':
      return m.tasksDone
    case 'kudos':
      return m.kudosGiven
    case 'wau_mau':
      return Math.round(m.wauMau * 100)
  }
}

export const METRIC_LABELS: Record<ObjectiveMetric, string> = {
  active: 'active people',
  posting: 'posting people',
  contributions: 'contributions',
  knowledge: 'knowledge saved',
  tasks_done: 'tasks done',
  kudos: 'kudos given',
  wau_mau: 'WAU/MAU (%)',
}

export function declineAfterLaunch(weeks: WeekDetail<CountMetrics>[], minGroup: number): Diagnosis | undefined {
  const n = weeks.length
  const need = RULES.declinePeakWeeks + RULES.declineWeeks
  if (n < need) return undefined
  const active = weeks.map((w) => w.metrics.activePeople)
  const peak = Math.max(...active.slice(n - need, n - RULES.declineWeeks))
  if (peak < minGroup) return undefined
  const limit = peak * (1 - RULES.declineShare)
  const recent = active.slice(n - RULES.declineWeeks)
  if (!recent.every((a) => a <= limit)) return undefined
  const drop = Math.round((1 - recent[recent.length - 1]! / peak) * 100)
  return {
    code: 'decline_after_launch',
    title: 'Decline after launch',
    explanation:
      `Weekly active people have been at least ${Math.round(RULES.declineShare * 100)}% below the recent peak ` +
      `for ${RULES.declineWeeks} weeks (now ${drop}% down). Early enthusiasm is fading.`,
    actions: [ACTIONS.question, ACTIONS.win, ACTIONS.objective],
  }
}

export function singleDepartment(h: TeamHistory<CountMetrics>, minGroup: number): Diagnosis | undefined {
  const recent = h.weeks.slice(-RULES.singleDepartmentWeeks)
  const byDept = new Map<string, number>()
  const people = new Set<string>()
  let total = 0
  for (const w of recent) {
    for (const [p, c] of w.contributionsByPerson) {
      people.add(p)
      const d = h.departments.get(p)
      if (!d) continue
      byDept.set(d, (byDept.get(d) ?? 0) + c)
      total += c
    }
  }
  if (people.size < minGroup || total === 0) return undefined
  const [top, topCount] = [...byDept].sort((a, b) => b[1] - a[1])[0]!
  if (topCount / total < RULES.singleDepartmentShare) return undefined
  const others = [...h.audience].filter((p) => {
    const d = h.departments.get(p)
    return d !== undefined && d !== top
  }).length
  if (others < RULES.singleDepartmentOthers) return undefined
  return {
    code: 'single_department',
    title: 'One department only',
    explanation:
      `${Math.round((topCount / total) * 100)}% of the last ${RULES.singleDepartmentWeeks} weeks’ contributions came from ${top}, ` +
      'although people from other departments are part of this team.',
    actions: [ACTIONS.crossDept, ACTIONS.win, ACTIONS.question],
  }
}

export function silentLeaders(h: TeamHistory<CountMetrics>, minGroup: number): Diagnosis | undefined {
  const managers = h.team.managers
  if (managers.length === 0 || h.weeks.length < RULES.silentWeeks) return undefined
  const recent = h.weeks.slice(-RULES.silentWeeks)
  if (!recent.every((w) => w.metrics.activePeople >= minGroup)) return undefined
  // Only when every manager is silent: telling one manager that a co-manager is quiet would single them out.
  if (recent.some((w) => managers.some((m) => (w.contributionsByPerson.get(m) ?? 0) > 0))) return undefined
  return {
    code: 'silent_leaders',
    title: 'Silent leaders',
    explanation:
      `The team is active, but its managers have not posted, replied or reacted there for ${RULES.silentWeeks} weeks. ` +
      'People follow what leaders do.',
    actions: [ACTIONS.post, ACTIONS.recognise, ACTIONS.question],
  }
}

export function onePersonTeam(h: TeamHistory<CountMetrics>, minGroup: number): Diagnosis | undefined {
  const recent = h.weeks.slice(-RULES.onePersonWeeks)
  const byPerson = new Map<string, number>()
  for (const w of recent) for (const [p, c] of w.contributionsByPerson) byPerson.set(p, (byPerson.get(p) ?? 0) + c)
  const total = [...byPerson.values()].reduce((s, c) => s + c, 0)
  if (byPerson.size < minGroup || total < RULES.onePersonMinContributions) return undefined
  const top = Math.max(...byPerson.values())
  if (top / total < RULES.onePersonShare) return undefined
  return {
    code: 'one_person_team',
    title: 'One-person team',
    explanation:
      `A single person made ${Math.round((top / total) * 100)}% of the last ${RULES.onePersonWeeks} weeks’ contributions. ` +
      'If they step back, the channel goes quiet.',
    actions: [ACTIONS.question, ACTIONS.recognise, ACTIONS.win],
  }
}

export function belowObjective(last: CountMetrics, objectives: Objective[]): Diagnosis | undefined {
  const missed = objectives.filter((o) => objectiveValue(last, o.metric) < o.target)
  if (missed.length === 0) return undefined
  const parts = missed.map((o) => `${METRIC_LABELS[o.metric]} ${objectiveValue(last, o.metric)} of ${o.target}`)
  return {
    code: 'below_objective',
    title: 'Below objective',
    explanation: `Last week’s numbers are below the team’s objective: ${parts.join('; ')}.`,
    actions: [ACTIONS.question, ACTIONS.win, ACTIONS.recognise],
  }
}

/** Every diagnosis that applies to the last week of the history. */
export function diagnose(h: TeamHistory<CountMetrics>, objectives: Objective[], minGroup: number): Diagnosis[] {
  const last = h.weeks[h.weeks.length - 1]
  if (!last) return []
  const found = [
    declineAfterLaunch(h.weeks, minGroup),
    singleDepartment(h, minGroup),
    silentLeaders(h, minGroup),
    onePersonTeam(h, minGroup),
    belowObjective(last.metrics, objectives),
  ]
  return found.filter((d): d is Diagnosis => d !== undefined)
}

/** Two or three concrete actions for a set of diagnoses, most relevant first, no repeats. */
export function actionsFor(ds: Diagnosis[], max = 3): string[] {
  const out: string[] = []
  for (let i = 0; out.length < max && i < 3; i++) {
    for (const d of ds) {
      const a = d.actions[i]
      if (a && !out.includes(a) && out.length < max) out.push(a)
    }
  }
  return out
}
