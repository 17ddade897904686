/**
 * `beacon demo seed`: a synthetic organisation in the local shell workspace — about 300 people in six
 * departments, seven teams, twelve weeks — in which the four named patterns are visible, so a
 * newcomer running `npm start` and `/beacon stats` sees real-looking numbers, diagnoses and nudges.
 * Deterministic (seeded PRNG) and idempotent: every event has a source key, so seeding twice adds
 * nothing.
 */
import type { PeopleRepository } from '../ports.ts'
import type { WorkspaceId } from '../model.ts'
import type { ActivityEvent, ActivityKind, ActivityRepository, AdoptionSettingsRepository } from './types.ts'
import { addDays, dayToDate, isoWeekLabel, lastCompleteWeeks } from '../time/iso-weeks.ts'
import { seededRandom as prng } from '../seeded-random.ts'

const FIRST = [
  'Ana',
  'Ben',
  'Chloé',
  'Dev',
  'Emma',
  'Farid',
  'Gita',
  'Hugo',
  'Ines',
  'Jon',
  'Kai',
  'Lena',
  'Mo',
  'Nora',
  'Omar',
  'Pia',
  'Quinn',
  'Rosa',
  'Sam',
  'Tara',
]
const LAST = [
  'Adams',
  'Berg',
  'Costa',
  'Diaz',
  'Eriksen',
  'Fischer',
  'Garcia',
  'Huang',
  'Ito',
  'Jensen',
  'Khan',
  'Lopez',
  'Moreau',
  'Nakamura',
  'Okafor',
  'Patel',
]
const ZONES = ['Europe/Paris', 'Europe/London', 'America/New_York', 'Asia/Tokyo', 'UTC']

type Pattern = 'healthy' | 'decline' | 'single_department' | 'silent_leaders' | 'one_person'

interface TeamPlan {
  name: string
  channels: string[]
  managers: string[]
  pattern: Pattern
  /** [department, how many people] */
  members: [string, number][]
}

/** The shell's own people manage the teams, so their `/beacon stats` and nudges have something to show. */
const TEAMS: TeamPlan[] = [
  {
    name: 'Launch Squad',
    channels: ['launch', 'general'],
    managers: ['alice'],
    pattern: 'decline',
    members: [
      ['Engineering', 25],
      ['Marketing', 20],
      ['Sales', 15],
    ],
  },
  {
    name: 'Engineering Guild',
    channels: ['eng-guild'],
    managers: ['bob'],
    pattern: 'single_department',
    members: [
      ['Engineering', 36],
      ['Operations', 8],
      ['Finance', 6],
    ],
  },
  {
    name: 'Customer Success',
    channels: ['cs-team', 'cs-wins'],
    managers: ['carol', 'cs-lead'],
    pattern: 'silent_leaders',
    members: [
      ['Sales', 30],
      ['Operations', 15],
    ],
  },
  {
    name: 'Data Platform',
    channels: ['data'],
    managers: ['dave'],
    pattern: 'one_person',
    members: [
      ['Engineering', 16],
      ['Finance', 4],
    ],
  },
  {
    name: 'Marketing',
    channels: ['marketing', 'random'],
    managers: ['alice'],
    pattern: 'healthy',
    members: [
      ['Marketing', 40],
      ['Sales', 20],
      ['People', 10],
    ],
  },
  {
    name: 'Operations',
    channels: ['ops'],
    managers: ['ops-lead'],
    pattern: 'healthy',
    members: [
      ['Operations', 32],
      ['Finance', 14],
      ['People', 9],
    ],
  },
  { name: 'Finance Circle', channels: ['finance'], managers: ['fin-lead'], pattern: 'healthy', members: [['Finance', 3]] },
]

export interface DemoDeps {
  workspace: WorkspaceId
  activity: ActivityRepository
  settings: AdoptionSettingsRepository
  people: PeopleRepository
  now: Date
}

export interface DemoSummary {
  people: number
  teams: number
  /** Activity events written now: 0 when the demo was already seeded (source keys dedupe). */
  events: number
  /** Activity events the demo consists of, written now or by an earlier seed. */
  totalEvents: number
  weeks: number
}

/** How likely a member is active in week `w` (0..11) and how much they contribute, by pattern. */
function activity(pattern: Pattern, w: number, dept: string, mainDept: string, rank: number): { p: number; each: number } {
  switch (pattern) {
    case 'decline':
      return { p: w < 3 ? 0.85 : w < 7 ? 0.8 : w < 9 ? 0.55 : 0.38, each: 3 }
    case 'single_department':
      return dept === mainDept ? { p: 0.8, each: 4 } : { p: w < 3 ? 0.6 : 0.03, each: 1 }
    case 'silent_leaders':
      return { p: 0.7, each: 3 }
    case 'one_person':
      return rank === 0 ? { p: 1, each: 45 } : { p: 0.6, each: 2 }
    case 'healthy':
      return { p: 0.7 + 0.02 * Math.min(w, 6), each: 3 }
  }
}

const KINDS: ActivityKind[] = [
  'message',
  'reply',
  'reply',
  'reaction',
  'reaction',
  'message',
  'knowledge_saved',
  'task_created',
  'task_done',
  'kudos_given',
]

export interface DemoMember {
  id: string
  dept: string
}

/** The demo's members per team name (managers aside): "demo-001"… in team order (impact's demo works with them too). */
export function demoMembers(): Map<string, DemoMember[]> {
  let n = 0
  const out = new Map<string, DemoMember[]>()
  for (const t of TEAMS)
    out.set(
      t.name,
      t.members.flatMap(([dept, count]) => Array.from({ length: count }, () => ({ id: demoId(++n), dept }))),
    )
  return out
}

const demoId = (n: number) => `demo-${String(n).padStart(3, '0')}`

export async function seedDemo(d: DemoDeps): Promise<DemoSummary> {
  const rand = prng(20250601)
  const mondays = lastCompleteWeeks(d.now, 12)
  const departments: { workspace: WorkspaceId; personId: string; department: string }[] = []
  const plan = demoMembers()
  let n = 0
  const addPerson = async (m: DemoMember): Promise<void> => {
    n = Number(m.id.slice('demo-'.length))
    const name = `${FIRST[n % FIRST.length]} ${LAST[Math.floor(n / FIRST.length) % LAST.length]}`
    await d.people.upsert({ workspace: d.workspace, id: m.id, displayName: name, timezone: ZONES[n % ZONES.length]!, isBot: false })
    departments.push({ workspace: d.workspace, personId: m.id, department: m.dept })
  }
  const events: ActivityEvent[] = []
  const threads = new Map<string, string[]>()
  for (const [ti, t] of TEAMS.entries()) {
    for (const m of t.managers) {
      if (m.includes('-'))
        await d.people.upsert({ workspace: d.workspace, id: m, displayName: `${t.name} lead`, timezone: 'Europe/Paris', isBot: false })
      departments.push({ workspace: d.workspace, personId: m, department: t.members[0]![0] })
    }
    await d.settings.syncTeam(d.workspace, t.name, t.channels, t.managers, d.now)
    const mainDept = t.members[0]![0]
    const members = plan.get(t.name)!
    for (const m of members) await addPerson(m)
    const everyone = [...members, ...t.managers.map((id) => ({ id, dept: mainDept }))]
    mondays.forEach((monday, w) => {
      everyone.forEach((person, rank) => {
        const isManager = t.managers.includes(person.id)
        // Silent leaders: the managers post in the first weeks, then stop for the last four.
        if (isManager && t.pattern === 'silent_leaders' && w >= 8) return
        const { p, each } = isManager ? { p: 0.9, each: 3 } : activity(t.pattern, w, person.dept, mainDept, rank)
        if (rand() > p) return
        const count = Math.max(1, Math.round(each * (0.5 + rand())))
        for (let c = 0; c < count; c++) {
          const kind = KINDS[Math.floor(rand() * KINDS.length)]!
          const at = new Date(
            dayToDate(addDays(monday, Math.floor(rand() * 5))).getTime() + (8 + Math.floor(rand() * 10)) * 3_600_000 + Math.floor(rand() * 3_600_000),
          )
          const other = everyone[Math.floor(rand() * everyone.length)]!.id
          const channel = t.channels[Math.floor(rand() * t.channels.length)]!
          // Each message starts its own thread; a reply joins one started earlier that week in the channel.
          const key = `${channel}:${w}`
          const roots = threads.get(key) ?? []
          let threadId: string | undefined
          if (kind === 'message') threads.set(key, [...roots, (threadId = `demo:${ti}:${w}:${person.id}:${c}`)])
          else if (kind === 'reply') threadId = roots[Math.floor(rand() * roots.length)]
          events.push({
            workspace: d.workspace,
            conversationId: channel,
            personId: person.id,
            kind,
            at,
            sourceKey: `demo:${ti}:${w}:${person.id}:${c}`,
            ...(threadId ? { threadId } : {}),
            ...(kind === 'kudos_given' || kind === 'reaction' ? { targetPersonId: other } : {}),
          })
          if (kind === 'kudos_given')
            events.push({
              workspace: d.workspace,
              conversationId: channel,
              personId: other,
              kind: 'kudos_received',
              at,
              sourceKey: `demo:${ti}:${w}:${person.id}:${c}:r`,
            })
        }
      })
    })
  }
  await d.settings.addDepartments(departments)
  const written = await d.activity.recordMany(events)
  // Earlier nudges, so the dashboard has effects to show: the weekly job measures their "after".
  const launch = await d.settings.teamByName(d.workspace, 'Launch Squad')
  const guild = await d.settings.teamByName(d.workspace, 'Engineering Guild')
  for (const [team, w, active, contributions] of [
    [launch, 7, 30, 95],
    [guild, 6, 33, 130],
  ] as const) {
    if (!team) continue
    const week = isoWeekLabel(mondays[w]!)
    await d.settings.saveNudge({
      workspace: d.workspace,
      teamId: team.id,
      managerId: team.managers[0]!,
      week,
      diagnoses: ['decline_after_launch'],
      before: { week, activePeople: active, contributions },
      sentAt: dayToDate(addDays(mondays[w]!, 8)),
    })
  }
  return { people: n, teams: TEAMS.length, events: written, totalEvents: events.length, weeks: mondays.length }
}
