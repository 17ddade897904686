/**
 * `beacon demo seed`, impact part: on top of the adoption demo (src/core/adoption/demo.ts), twelve
 * weeks of impact events so every value metric and every stage shows. "Operations" climbs: no
 * objective and few answered questions at first, then an objective and better numbers each week, so
 * it is mature today; "Marketing" is advanced; "Customer Success" (silent leaders) is formalized;
 * the rest stay experimental. Every week people of different departments also work on a task together
 * for the first time (a relationship figure). Idempotent: every event has a demo source key, and a
 * pair keeps the week it was first connected.
 */
import { demoMembers } from '../adoption/demo.ts'
import type { AdoptionSettingsRepository, ObjectiveMetric } from '../adoption/types.ts'
import { addDays, dayToDate, lastCompleteWeeks } from '../time/iso-weeks.ts'
import type { WorkspaceId } from '../model.ts'
import type { ImpactEvent, ImpactRepository } from './types.ts'

export interface ImpactDemoDeps {
  workspace: WorkspaceId
  impact: ImpactRepository
  settings: AdoptionSettingsRepository
  now: Date
}

/** Quality 0..1 per team and week (0 = oldest of 12). */
const QUALITY: Record<string, (w: number) => number> = {
  Operations: (w) => Math.min(0.95, 0.2 + w * 0.07),
  Marketing: () => 0.9,
  'Customer Success': () => 0.5,
  'Launch Squad': (w) => (w < 4 ? 0.6 : 0.3),
  'Engineering Guild': () => 0.4,
  'Data Platform': () => 0.3,
}

const OBJECTIVES: Record<string, [ObjectiveMetric, number][]> = {
  Operations: [['active', 25]],
  Marketing: [
    ['active', 30],
    ['knowledge', 5],
  ],
  'Customer Success': [['active', 20]],
}

export async function seedImpactDemo(d: ImpactDemoDeps): Promise<{ events: number }> {
  const mondays = lastCompleteWeeks(d.now, 12)
  let written = 0
  for (const team of await d.settings.teams(d.workspace)) {
    const quality = QUALITY[team.name]
    if (!quality) continue
    for (const [metric, target] of OBJECTIVES[team.name] ?? []) {
      const known = (await d.settings.objectives(team.id)).some((o) => o.metric === metric)
      if (!known) await d.settings.setObjective({ teamId: team.id, metric, target, setBy: team.managers[0] ?? 'demo', setAt: d.now })
    }
    const channel = team.channels[0]!
    const members = pairingOf(team.name)
    for (const [w, monday] of mondays.entries()) {
      const q = quality(w)
      const at = (day: number, hour: number) => new Date(dayToDate(addDays(monday, day)).getTime() + hour * 3_600_000)
      const key = (what: string, i: number) => `demo:${team.id}:${monday}:${what}:${i}`
      const events: ImpactEvent[] = []
      const base = { workspace: d.workspace, conversationId: channel, week: monday }
      const asked = 6 + (w % 3)
      for (let i = 0; i < asked; i++) {
        events.push({ ...base, kind: 'question_asked', at: at(i % 5, 10), sourceKey: key('q', i) })
        if (i < Math.round(asked * Math.min(1, q + 0.1))) {
          const inDay = i < Math.round(asked * q)
          events.push({
            ...base,
            kind: 'question_answered',
            at: at(i % 5, 11),
            minutes: inDay ? 20 + i * 15 : 60 * 30,
            flag: inDay,
            sourceKey: key('a', i),
          })
        }
      }
      const opens = Math.round(2 + q * 10)
      for (let i = 0; i < opens; i++) events.push({ ...base, kind: 'item_opened', itemId: 1 + (i % 3), at: at(i % 5, 14), sourceKey: key('open', i) })
      for (let i = 0; i < Math.round(1 + q * 4); i++)
        events.push({ ...base, kind: 'suggestion_shown', itemId: 1 + (i % 2), at: at(i % 5, 9), sourceKey: key('sugg', i) })
      for (let i = 0; i < 4; i++)
        events.push({ ...base, kind: 'feedback', itemId: 1 + (i % 2), flag: i < Math.round(4 * q), at: at(i % 5, 15), sourceKey: key('fb', i) })
      for (let i = 0; i < 5; i++) events.push({ ...base, kind: 'task_created', flag: i < 3, at: at(i % 5, 12), sourceKey: key('task', i) })
      // Operations still closes too few tasks on time: mature, with that as its next step.
      const onTime = team.name === 'Operations' ? q * 0.5 : q
      for (let i = 0; i < 5; i++)
        events.push({ ...base, kind: 'task_due_closed', flag: i < Math.round(5 * onTime), at: at(i % 5, 16), sourceKey: key('due', i) })
      for (let i = 0; i < 6; i++)
        events.push({ ...base, kind: 'kudos', flag: i < Math.round(6 * q * 0.6), at: at(i % 5, 17), sourceKey: key('kudos', i) })
      for (const e of events) if (await d.impact.record(e)) written++
      await d.impact.connect(d.workspace, monday, taskPairs(members, channel, Math.round(1 + q * 4)))
    }
  }
  return { events: written }
}

/**
 * Tasks made together this week: each a member of the team's main department with one of another,
 * a pair never seen before (the members are paired in turn), so each is a first connection across
 * departments. Seeding again connects the same pairs in the same weeks: nothing changes.
 */
function taskPairs(members: Pairing, conversationId: string, n: number): { a: string; b: string; conversationId: string }[] {
  const { main, others } = members
  if (main.length === 0 || others.length === 0) return []
  return Array.from({ length: n }, () => {
    const j = members.next++
    return { a: main[j % main.length]!, b: others[Math.floor(j / main.length) % others.length]!, conversationId }
  })
}

interface Pairing {
  main: string[]
  others: string[]
  next: number
}

function pairingOf(team: string): Pairing {
  const members = demoMembers().get(team) ?? []
  const mainDept = members[0]?.dept
  return {
    main: members.filter((m) => m.dept === mainDept).map((m) => m.id),
    others: members.filter((m) => m.dept !== mainDept).map((m) => m.id),
    next: 0,
  }
}
