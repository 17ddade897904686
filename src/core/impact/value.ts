/**
 * Value metrics of a set of channels over a period (one or more ISO weeks): what the activity
 * produced. Read per week from `impact_events`, the adoption weekly rollup and the first-connection
 * pairs, so a period costs its weeks' rows, never the history. Pure counts and shares of a group:
 * nothing here is ever per person.
 */
import { PASSIVE_KINDS, type ActivityReads } from '../adoption/types.ts'
import { round } from '../adoption/metrics.ts'
import type { WorkspaceId } from '../model.ts'
import type { ImpactContext } from './deps.ts'
import { ImpactReads } from './impact-reads.ts'
import { placesOf } from './places.ts'
import { type ImpactRow, pairKey } from './types.ts'

export interface ValueMetrics {
  /** Distinct active people of the period (the denominator of shares). */
  activePeople: number
  itemsOpened: number
  suggestionsShown: number
  /** 👍 on "Did this answer it?" (suggestions and search results). */
  helpful: number
  notHelpful: number
  /** Saved items used (opened or marked helpful) more than once in the period. */
  itemsReused: number
  questionsAsked: number
  questionsAnsweredInDay: number
  /** 0..1, undefined without questions. */
  answeredInDayShare?: number
  medianMinutesToAnswer?: number
  tasksFromConversations: number
  tasksDueClosed: number
  /** 0..1 of the tasks with a due date closed in the period, undefined without any. */
  onTimeShare?: number
  /** 0..1: share of the active people who received kudos. */
  kudosReach: number
  kudos: number
  /** 0..1 of the kudos between two known departments that crossed departments, undefined without any. */
  crossDepartmentKudosShare?: number
  /** Pairs of people of different departments connected (reply, kudos, a task together) for the first time. */
  newCrossDepartmentConnections: number
}

export function median(xs: number[]): number | undefined {
  if (xs.length === 0) return undefined
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}

/** Pure: the metrics from what the period's weeks hold. */
export function valueFrom(input: {
  events: ImpactRow[]
  active: Set<string>
  kudosReceivers: Set<string>
  newPairs: { a: string; b: string }[]
  departments: Map<string, string>
}): ValueMetrics {
  const { events, active, departments } = input
  const of = (k: ImpactRow['kind']) => events.filter((e) => e.kind === k)
  const uses = new Map<number, number>()
  for (const e of events) {
    if (e.itemId === null) continue
    if (e.kind === 'item_opened' || (e.kind === 'feedback' && e.flag)) uses.set(e.itemId, (uses.get(e.itemId) ?? 0) + 1)
  }
  const asked = of('question_asked').length
  const answered = of('question_answered')
  const inDay = answered.filter((e) => e.flag).length
  const due = of('task_due_closed')
  const kudos = of('kudos')
  const known = kudos.filter((k) => k.flag !== null)
  let reached = 0
  for (const p of input.kudosReceivers) if (active.has(p)) reached++
  const cross = input.newPairs.filter((p) => {
    const a = departments.get(p.a)
    const b = departments.get(p.b)
    return a !== undefined && b !== undefined && a !== b
  }).length
  const medianMinutes = median(answered.map((e) => e.minutes ?? 0))
  return {
    activePeople: active.size,
    itemsOpened: of('item_opened').length,
    suggestionsShown: of('suggestion_shown').length,
    helpful: of('feedback').filter((e) => e.flag).length,
    notHelpful: of('feedback').filter((e) => e.flag === false).length,
    itemsReused: [...uses.values()].filter((n) => n > 1).length,
    questionsAsked: asked,
    questionsAnsweredInDay: inDay,
    ...(asked ? { answeredInDayShare: round(Math.min(1, inDay / asked), 2) } : {}),
    ...(medianMinutes !== undefined ? { medianMinutesToAnswer: Math.round(medianMinutes) } : {}),
    tasksFromConversations: of('task_created').filter((e) => e.flag).length,
    tasksDueClosed: due.length,
    ...(due.length ? { onTimeShare: round(due.filter((e) => e.flag).length / due.length, 2) } : {}),
    kudosReach: active.size ? round(reached / active.size, 2) : 0,
    kudos: kudos.length,
    ...(known.length ? { crossDepartmentKudosShare: round(known.filter((k) => k.flag).length / known.length, 2) } : {}),
    newCrossDepartmentConnections: cross,
  }
}

/**
 * The value metrics of these channels over the weeks starting on `mondays` (complete weeks); `activity`:
 * the report's view of the rollups (adoption's `activityFor`), whose people a linked workspace's
 * channels are read as (places.ts), and `impact` the report's impact reads. A pair connected on
 * both sides counts once.
 */
export async function periodValue(
  ctx: ImpactContext,
  workspace: WorkspaceId,
  channels: string[],
  mondays: string[],
  departments: Map<string, string>,
  activity: ActivityReads = ctx.adoption.activity,
  impact: ImpactReads = new ImpactReads(ctx, mondays),
): Promise<ValueMetrics> {
  const events: ImpactRow[] = []
  const active = new Set<string>()
  const kudosReceivers = new Set<string>()
  const pairs = new Map<string, { a: string; b: string }>()
  const places = placesOf(workspace, activity)
  const where = places.of(channels)
  for (const monday of mondays) {
    for (const [w, ids] of where) {
      events.push(...(await impact.weekEvents(w, ids, monday)))
      for (const p of await impact.newPairs(w, ids, monday)) {
        const [a, b] = [await places.person(w, p.a), await places.person(w, p.b)]
        pairs.set(pairKey(a, b), { a, b })
      }
    }
    for (const r of await activity.weekCounts(workspace, channels, monday)) {
      if (r.count <= 0) continue
      if (r.kind === 'kudos_received') kudosReceivers.add(r.personId)
      if (!PASSIVE_KINDS.has(r.kind)) active.add(r.personId)
    }
  }
  return valueFrom({ events, active, kudosReceivers, newPairs: [...pairs.values()], departments })
}
