/** One test per rule of src/core/impact/MATURITY.md: each stage, and what blocks each step up. */
import { describe, expect, it } from 'vitest'
import type { Diagnosis } from '../../../src/core/adoption/diagnoses.ts'
import type { WeekMetrics } from '../../../src/core/adoption/metrics.ts'
import type { Objective } from '../../../src/core/adoption/types.ts'
import { AREA_RULES, organisationStage, stageOf, type StageInput } from '../../../src/core/impact/maturity.ts'
import { valueFrom, type ValueMetrics } from '../../../src/core/impact/value.ts'

const week = (active: number): WeekMetrics => ({
  week: '2025-W20',
  weekStart: '2025-05-12',
  activePeople: active,
  postingPeople: active,
  monthlyActive: active,
  wauMau: 1,
  contributions: active * 3,
  contributionsPerActive: 3,
  knowledgeSaved: 0,
  tasksCreated: 0,
  tasksDone: 0,
  kudosGiven: 0,
  kudosReceived: 0,
  newPeople: 0,
  returningPeople: active,
  resurrectedPeople: 0,
  dormantPeople: 0,
  halfContributors: 2,
  crossDepartmentLinks: 0,
})
const goal = (target: number): Objective => ({ teamId: 1, metric: 'active', target, setBy: 'UBOSS', setAt: new Date('2025-05-01') })
const silent: Diagnosis = {
  code: 'silent_leaders',
  title: 'Silent leaders',
  explanation: 'x',
  actions: ['post the first update of the week yourself'],
}

/** Value metrics with `healthy` of the five areas healthy (in AREAS order). */
function value(healthy: number): ValueMetrics {
  const v: ValueMetrics = {
    activePeople: 10,
    itemsOpened: 0,
    suggestionsShown: 0,
    helpful: 0,
    notHelpful: 0,
    itemsReused: 0,
    questionsAsked: 0,
    questionsAnsweredInDay: 0,
    tasksFromConversations: 0,
    tasksDueClosed: 0,
    kudosReach: 0,
    kudos: 0,
    newCrossDepartmentConnections: 0,
  }
  const fixes: ((v: ValueMetrics) => void)[] = [
    (v) => void (v.itemsReused = 1),
    (v) => Object.assign(v, { questionsAsked: 4, questionsAnsweredInDay: 3, answeredInDayShare: 0.75 }),
    (v) => Object.assign(v, { tasksDueClosed: 2, onTimeShare: 1 }),
    (v) => void (v.kudosReach = 0.3),
    (v) => void (v.newCrossDepartmentConnections = 2),
  ]
  for (const f of fixes.slice(0, healthy)) f(v)
  return v
}

const base: StageInput = { objectives: [goal(8)], weeks: [week(10), week(10), week(10), week(10)], diagnoses: [], value: value(5) }

describe('maturity stages', () => {
  it('experimental: no objective set', () => {
    const r = stageOf({ ...base, objectives: [] })
    expect(r.stage).toBe('experimental')
    expect(r.next).toMatch(/set a weekly objective/)
  })

  it('experimental: an objective, but a week of the last four below the privacy minimum (not measured)', () => {
    const r = stageOf({ ...base, weeks: [week(10), undefined, week(10), week(10)] })
    expect(r.stage).toBe('experimental')
    expect(r.next).toMatch(/privacy minimum/)
  })

  it('formalized: objective and four measured weeks, but last week missed the objective', () => {
    const r = stageOf({ ...base, weeks: [week(10), week(10), week(10), week(6)] })
    expect(r.stage).toBe('formalized')
    expect(r.evidence).toContain('measured in each of the last 4 weeks')
    expect(r.next).toMatch(/meet every objective/)
  })

  it('formalized: an adoption diagnosis blocks mature, and its action is the next step', () => {
    const r = stageOf({ ...base, diagnoses: [silent] })
    expect(r.stage).toBe('formalized')
    expect(r.next).toMatch(/Silent leaders.*post the first update/)
  })

  it('formalized: fewer than 3 of the 5 value areas healthy', () => {
    const r = stageOf({ ...base, value: value(2) })
    expect(r.stage).toBe('formalized')
    expect(r.next).toBe(AREA_RULES.action.improve)
  })

  it('mature: objectives met last week, no diagnosis, 3 areas healthy', () => {
    const r = stageOf({ ...base, value: value(3) })
    expect(r.stage).toBe('mature')
    expect(r.evidence.join(' ')).toMatch(/3 of 5 value areas healthy \(knowledge, questions, action\)/)
    expect(r.next).toBe(AREA_RULES.recognition.improve)
  })

  it('mature: objectives missed in one of the last four weeks blocks advanced', () => {
    const r = stageOf({ ...base, weeks: [week(6), week(10), week(10), week(10)] })
    expect(r.stage).toBe('mature')
    expect(r.next).toMatch(/four weeks in a row/)
  })

  it('advanced: objectives met four weeks running and all five areas healthy; nothing left to do', () => {
    const r = stageOf(base)
    expect(r.stage).toBe('advanced')
    expect(r.next).toBeUndefined()
  })

  it('the organisation is at the stage at least half of its teams reached', () => {
    expect(organisationStage(['advanced', 'experimental', 'experimental']).stage).toBe('experimental')
    const r = organisationStage(['advanced', 'mature', 'formalized', 'experimental'])
    expect(r.stage).toBe('mature')
    expect(r.next).toBe('move 1 more team(s) to advanced')
    expect(organisationStage([]).stage).toBe('experimental')
  })
})

describe('value metrics', () => {
  it('counts shares of a group, first answers within a working day and reuse, without naming anyone', () => {
    const v = valueFrom({
      events: [
        { kind: 'question_asked', itemId: null, minutes: null, flag: null },
        { kind: 'question_asked', itemId: null, minutes: null, flag: null },
        { kind: 'question_answered', itemId: null, minutes: 30, flag: true },
        { kind: 'item_opened', itemId: 7, minutes: null, flag: null },
        { kind: 'feedback', itemId: 7, minutes: null, flag: true },
        { kind: 'feedback', itemId: 8, minutes: null, flag: false },
        { kind: 'task_due_closed', itemId: null, minutes: null, flag: true },
        { kind: 'task_due_closed', itemId: null, minutes: null, flag: false },
        { kind: 'kudos', itemId: null, minutes: null, flag: true },
        { kind: 'kudos', itemId: null, minutes: null, flag: null },
      ],
      active: new Set(['a', 'b', 'c', 'd', 'e']),
      kudosReceivers: new Set(['a', 'zz']),
      newPairs: [
        { a: 'a', b: 'b' },
        { a: 'a', b: 'c' },
        { a: 'a', b: 'x' },
      ],
      departments: new Map([
        ['a', 'Eng'],
        ['b', 'Sales'],
        ['c', 'Eng'],
      ]),
    })
    expect(v).toMatchObject({
      questionsAsked: 2,
      answeredInDayShare: 0.5,
      medianMinutesToAnswer: 30,
      itemsReused: 1,
      helpful: 1,
      notHelpful: 1,
      onTimeShare: 0.5,
      kudosReach: 0.2,
      crossDepartmentKudosShare: 1,
      newCrossDepartmentConnections: 1,
    })
  })
})
