/**
 * Maturity stages, from the rules in MATURITY.md (keep the two in step; tests/core/impact/maturity.test.ts
 * checks each rule). Pure over what a team report already holds: objectives, the last weeks' metrics,
 * the diagnoses, and the period's value metrics.
 */
import { objectiveValue } from '../adoption/diagnoses.ts'
import type { Diagnosis } from '../adoption/diagnoses.ts'
import type { CountMetrics } from '../adoption/metrics.ts'
import type { Objective } from '../adoption/types.ts'
import type { ValueMetrics } from './value.ts'

export const STAGES = ['experimental', 'formalized', 'mature', 'advanced'] as const
export type Stage = (typeof STAGES)[number]

/** Thresholds of the value areas (MATURITY.md, "Healthy value areas"). */
export const VALUE_RULES = {
  minQuestions: 3,
  answeredInDayShare: 0.6,
  onTimeShare: 0.6,
  kudosReach: 0.2,
  /** Mature needs this many of the five areas healthy; advanced needs all. */
  matureAreas: 3,
} as const

export type ValueArea = 'knowledge' | 'questions' | 'action' | 'recognition' | 'relationships'

export const AREA_RULES: Record<ValueArea, { text: string; healthy: (v: ValueMetrics) => boolean; improve: string }> = {
  knowledge: {
    text: 'a saved item was reused more than once',
    healthy: (v) => v.itemsReused >= 1,
    improve: 'point people to saved answers (`/kb suggest on` in busy channels) so saved items get reused',
  },
  questions: {
    text: `${VALUE_RULES.answeredInDayShare * 100}% of at least ${VALUE_RULES.minQuestions} questions answered within a working day`,
    healthy: (v) => v.questionsAsked >= VALUE_RULES.minQuestions && (v.answeredInDayShare ?? 0) >= VALUE_RULES.answeredInDayShare,
    improve: 'agree who watches the channel for questions each day, so more are answered within a working day',
  },
  action: {
    text: `${VALUE_RULES.onTimeShare * 100}% of tasks with a due date closed on time`,
    healthy: (v) => v.tasksDueClosed >= 1 && (v.onTimeShare ?? 0) >= VALUE_RULES.onTimeShare,
    improve: 'turn decisions into `/task`s with due dates and close them on time',
  },
  recognition: {
    text: `kudos reached ${VALUE_RULES.kudosReach * 100}% of active people`,
    healthy: (v) => v.kudosReach >= VALUE_RULES.kudosReach,
    improve: 'thank more people for their help with `/kudos` — reach matters more than volume',
  },
  relationships: {
    text: 'a new connection across departments',
    healthy: (v) => v.newCrossDepartmentConnections >= 1,
    improve: 'invite another department into a thread or a task: new connections across departments are where an ESN pays off',
  },
}
export const AREAS = Object.keys(AREA_RULES) as ValueArea[]

export interface StageInput {
  objectives: Objective[]
  /** The last 4 complete weeks, oldest first; undefined where the week was below the privacy minimum. */
  weeks: (CountMetrics | undefined)[]
  diagnoses: Diagnosis[]
  /** The value metrics of the period (undefined when not shown). */
  value?: ValueMetrics
}

export interface StageResult {
  stage: Stage
  /** Why the stage was reached, in plain words. */
  evidence: string[]
  /** The one change that would move the team up a stage (none at advanced). */
  next?: string
}

const met = (w: CountMetrics | undefined, objectives: Objective[]) =>
  w !== undefined && objectives.every((o) => objectiveValue(w, o.metric) >= o.target)

interface Check {
  ok: boolean
  evidence: string
  fix: string
}

/** The conditions of each stage above experimental, in the order a team meets them. */
function checks(i: StageInput): Record<Exclude<Stage, 'experimental'>, Check[]> {
  const measured = i.weeks.length >= 4 && i.weeks.every((w) => w !== undefined)
  const healthy = i.value ? AREAS.filter((a) => AREA_RULES[a].healthy(i.value!)) : []
  const unhealthy = AREAS.filter((a) => !healthy.includes(a))
  const concerns = i.diagnoses.filter((d) => d.code !== 'below_objective')
  const improveOne = unhealthy.length ? AREA_RULES[unhealthy[0]!].improve : ''
  return {
    formalized: [
      {
        ok: i.objectives.length > 0,
        evidence: `${i.objectives.length} objective(s) set`,
        fix: 'set a weekly objective (`/beacon goal active 20 <team>`)',
      },
      {
        ok: measured,
        evidence: 'measured in each of the last 4 weeks',
        fix: 'keep the team above the privacy minimum every week so its figures can be measured',
      },
    ],
    mature: [
      { ok: met(i.weeks.at(-1), i.objectives), evidence: 'every objective met last week', fix: 'meet every objective in a week' },
      {
        ok: concerns.length === 0,
        evidence: 'no adoption diagnosis',
        fix: concerns[0] ? `address “${concerns[0].title}”: ${concerns[0].actions[0] ?? concerns[0].explanation}` : '',
      },
      {
        ok: healthy.length >= VALUE_RULES.matureAreas,
        evidence: `${healthy.length} of 5 value areas healthy (${healthy.join(', ') || 'none'})`,
        fix: improveOne,
      },
    ],
    advanced: [
      {
        ok: i.weeks.length >= 4 && i.weeks.every((w) => met(w, i.objectives)),
        evidence: 'every objective met in each of the last 4 weeks',
        fix: 'meet every objective four weeks in a row',
      },
      { ok: healthy.length === AREAS.length, evidence: 'all 5 value areas healthy', fix: improveOne },
    ],
  }
}

export function stageOf(i: StageInput): StageResult {
  const c = checks(i)
  let stage: Stage = 'experimental'
  const evidence: string[] = []
  for (const s of ['formalized', 'mature', 'advanced'] as const) {
    const failing = c[s].find((x) => !x.ok)
    if (failing) return { stage, evidence: evidence.length ? evidence : ['no objective or measurement yet'], next: failing.fix }
    stage = s
    evidence.push(...c[s].map((x) => x.evidence))
  }
  return { stage, evidence }
}

/**
 * The organisation's stage: the stage at least half of the shown teams have reached (the lower
 * median), so one star team does not make the organisation advanced.
 */
export function organisationStage(teamStages: Stage[]): StageResult {
  if (teamStages.length === 0)
    return {
      stage: 'experimental',
      evidence: ['no team can be shown yet'],
      next: 'define teams with managers (`/beacon team create`) and let them reach the privacy minimum',
    }
  const rank = (s: Stage) => STAGES.indexOf(s)
  const sorted = [...teamStages].sort((a, b) => rank(b) - rank(a))
  const stage = sorted[Math.ceil(sorted.length / 2) - 1]!
  const counts = STAGES.map((s) => `${teamStages.filter((t) => t === s).length} ${s}`).join(', ')
  const up = STAGES[rank(stage) + 1]
  const above = teamStages.filter((s) => rank(s) > rank(stage)).length
  return {
    stage,
    evidence: [`at least half of the ${teamStages.length} teams are ${stage} or beyond (${counts})`],
    ...(up ? { next: `move ${Math.max(1, Math.ceil(teamStages.length / 2) - above)} more team(s) to ${up}` } : {}),
  }
}
