/**
 * Activity (events, daily and weekly rollups, first weeks) and adoption settings, on SQLite and on
 * PostgreSQL: the same events give the same figures on both, a repeated source key counts once, an
 * opted-out person is not counted, a person the people table marks as a bot is not counted by record,
 * a purge keeps the cut week exact. On PostgreSQL two processes
 * recording at once still count every event once.
 */
import { describe, expect, it } from 'vitest'
import type { ActivityEvent, ActivityRepository, AdoptionSettingsRepository } from '../../../src/core/adoption/types.ts'
import type { PeopleRepository } from '../../../src/core/ports.ts'
import { PgActivityRepository } from '../../../src/storage/pg/repositories/adoption-activity.ts'
import { PgAdoptionSettingsRepository } from '../../../src/storage/pg/repositories/adoption-settings.ts'
import { PgPeopleRepository } from '../../../src/storage/pg/repositories/people.ts'
import { SqliteActivityRepository } from '../../../src/storage/repositories/adoption-activity.ts'
import { SqliteAdoptionSettingsRepository } from '../../../src/storage/repositories/adoption-settings.ts'
import { SqlitePeopleRepository } from '../../../src/storage/repositories/people.ts'
import { describeWithPostgres, withPostgresDatabase } from '../../support/postgres.ts'
import { freshSqlite, secondProcess } from './backends.ts'

const W = 'slack:T1'
const MON = '2026-01-05'
const ev = (personId: string, kind: ActivityEvent['kind'], iso: string, over: Partial<ActivityEvent> = {}): ActivityEvent => ({
  workspace: W,
  conversationId: 'C1',
  personId,
  kind,
  at: new Date(iso),
  ...over,
})
const describePg = await describeWithPostgres()

interface Stores {
  activity: ActivityRepository
  settings: AdoptionSettingsRepository
  people: PeopleRepository
}

describe('adoption stores on sqlite', () => {
  contract(async () => {
    const db = freshSqlite()
    return { activity: new SqliteActivityRepository(db), settings: new SqliteAdoptionSettingsRepository(db), people: new SqlitePeopleRepository(db) }
  })
})

describePg('adoption stores on postgres', () => {
  const pg = withPostgresDatabase()
  contract(async () => {
    await pg.reset()
    return { activity: new PgActivityRepository(pg.db), settings: new PgAdoptionSettingsRepository(pg.db), people: new PgPeopleRepository(pg.db) }
  })

  it('two processes recording at once count every event once, and a shared source key once', async () => {
    await pg.reset()
    const repos = [new PgActivityRepository(pg.db), new PgActivityRepository(await secondProcess(pg.url))]
    const writes = Array.from({ length: 40 }, (_, i) =>
      repos[i % 2]!.record(ev(`U${i % 3}`, 'message', '2026-01-06T10:00:00Z', i % 10 === 0 ? { sourceKey: 'hook:1' } : {})),
    )
    const recorded = (await Promise.all(writes)).filter(Boolean).length
    expect(recorded).toBe(37) // 36 plain + the one hook event of four deliveries
    const counts = await repos[0]!.weekCounts(W, ['C1'], MON)
    expect(counts.reduce((n, r) => n + r.count, 0)).toBe(37)
  })
})

function contract(make: () => Promise<Stores>): void {
  it("reads a week's links of every conversation at once, each with its conversation, and they sum to a team's links", async () => {
    const { activity } = await make()
    await activity.recordMany([
      ev('U_A', 'message', '2026-01-05T09:00:00Z', { threadId: 't1' }),
      ev('U_B', 'reply', '2026-01-06T09:00:00Z', { threadId: 't1' }),
      ev('U_B', 'reply', '2026-01-09T09:00:00Z', { threadId: 't1' }),
      ev('U_A', 'message', '2026-01-06T09:00:00Z', { threadId: 't2', conversationId: 'C2' }),
      ev('U_B', 'reply', '2026-01-07T09:00:00Z', { threadId: 't2', conversationId: 'C2' }),
      ev('U_C', 'kudos_given', '2026-01-08T10:00:00Z', { targetPersonId: 'U_A', conversationId: 'C2' }),
      // Outside the week, and another workspace: not read.
      ev('U_B', 'reply', '2026-01-12T09:00:00Z', { threadId: 't1' }),
      ev('U_C', 'kudos_given', '2026-01-08T10:00:00Z', { targetPersonId: 'U_A', workspace: 'slack:T2' }),
    ])
    const byChannel = (await activity.channelLinks(W, MON, '2026-01-12')).sort((a, b) =>
      `${a.conversationId}${a.fromId}`.localeCompare(`${b.conversationId}${b.fromId}`),
    )
    expect(byChannel).toEqual([
      { conversationId: 'C1', fromId: 'U_B', toId: 'U_A', count: 2 },
      { conversationId: 'C2', fromId: 'U_B', toId: 'U_A', count: 1 },
      { conversationId: 'C2', fromId: 'U_C', toId: 'U_A', count: 1 },
    ])
    const team = (await activity.links(W, ['C1', 'C2'], MON, '2026-01-12')).sort((a, b) => a.fromId.localeCompare(b.fromId))
    expect(team).toEqual([
      { fromId: 'U_B', toId: 'U_A', count: 3 },
      { fromId: 'U_C', toId: 'U_A', count: 1 },
    ])
  })

  it('rolls events up by week, counts a source key once, links replies and kudos, and leaves opted-out people out', async () => {
    const { activity, settings } = await make()
    await settings.optOut(W, 'U_OUT', new Date())
    const n = await activity.recordMany([
      ev('U_A', 'message', '2026-01-05T09:00:00Z', { threadId: 't1' }),
      ev('U_B', 'reply', '2026-01-06T09:00:00Z', { threadId: 't1' }),
      ev('U_B', 'reply', '2026-01-07T09:00:00Z', { threadId: 't1', conversationId: 'C1' }),
      ev('U_A', 'kudos_given', '2026-01-07T10:00:00Z', { targetPersonId: 'U_OUT' }),
      ev('U_C', 'kudos_given', '2026-01-07T10:00:00Z', { targetPersonId: 'U_B' }),
      ev('U_B', 'kudos_received', '2026-01-07T10:00:00Z', { conversationId: 'C2' }),
      ev('U_OUT', 'message', '2026-01-07T11:00:00Z'),
      ev('U_A', 'task_done', '2026-01-08T11:00:00Z', { sourceKey: 'task:1:done' }),
      ev('U_A', 'task_done', '2026-01-08T11:00:00Z', { sourceKey: 'task:1:done' }),
      ev('U_A', 'message', '2025-12-31T11:00:00Z', { conversationId: 'C2' }),
    ])
    expect(n).toBe(8)
    expect(await activity.record(ev('U_A', 'task_done', '2026-01-08T11:00:00Z', { sourceKey: 'task:1:done' }))).toBe(false)
    const counts = (await activity.weekCounts(W, ['C1', 'C2', 'C1'], MON)).sort((a, b) =>
      `${a.personId}${a.kind}`.localeCompare(`${b.personId}${b.kind}`),
    )
    expect(counts).toEqual([
      { personId: 'U_A', kind: 'kudos_given', count: 1 },
      { personId: 'U_A', kind: 'message', count: 1 },
      { personId: 'U_A', kind: 'task_done', count: 1 },
      { personId: 'U_B', kind: 'kudos_received', count: 1 },
      { personId: 'U_B', kind: 'reply', count: 2 },
      { personId: 'U_C', kind: 'kudos_given', count: 1 },
    ])
    expect(await activity.weekActiveCount(W, ['C1', 'C2'], MON)).toBe(3)
    expect(await activity.activeCount(W, ['C2'], '2025-12-29', '2026-01-12')).toBe(1)
    expect(await activity.activeCount(W, [], '2025-12-29', '2026-01-12')).toBe(0)
    expect(Object.fromEntries(await activity.firstSeenWeeks(W, ['C1', 'C2']))).toEqual({ U_A: '2025-12-29', U_B: MON, U_C: MON })
    const links = (await activity.links(W, ['C1'], '2026-01-05', '2026-01-12')).sort((a, b) => a.fromId.localeCompare(b.fromId))
    expect(links).toEqual([
      { fromId: 'U_B', toId: 'U_A', count: 2 },
      { fromId: 'U_C', toId: 'U_B', count: 1 },
    ])

    // The purge cuts the week of Jan 5 after its Tuesday: that week keeps exactly its later days.
    expect(await activity.purgeBefore(new Date('2026-01-07T00:00:00Z'))).toBe(3)
    expect((await activity.weekCounts(W, ['C1'], MON)).find((r) => r.kind === 'reply')).toEqual({ personId: 'U_B', kind: 'reply', count: 1 })
    expect(await activity.weekCounts(W, ['C2'], '2025-12-29')).toEqual([])
    expect(Object.fromEntries(await activity.firstSeenWeeks(W, ['C1', 'C2']))).toEqual({ U_A: MON, U_B: MON, U_C: MON })
    await activity.forgetPerson(W, 'U_B')
    expect((await activity.weekCounts(W, ['C1', 'C2'], MON)).map((r) => r.personId).sort()).toEqual(['U_A', 'U_A', 'U_C'])
  })

  it('events recorded together: a source key twice counts for the first, twins without a key both count, a bad one is refused alone', async () => {
    const { activity } = await make()
    const at = '2026-01-06T10:00:00Z'
    // Sent in one turn: the backends write them together (one statement on PostgreSQL).
    const together = await Promise.allSettled([
      activity.record(ev('U_A', 'task_done', at, { sourceKey: 'task:7:done' })),
      activity.record(ev('U_A', 'task_done', at, { sourceKey: 'task:7:done' })),
      activity.record(ev('U_B', 'message', at)),
      activity.record(ev('U_B', 'message', at)),
      activity.record(ev('U_C', 'message', 'not a date')),
      activity.record(ev('U_C', 'reply', at, { sourceKey: 'ev:C1:Ev9' })),
    ])
    expect(together.map((r) => (r.status === 'fulfilled' ? r.value : 'refused'))).toEqual([true, false, true, true, 'refused', true])
    const counts = (await activity.weekCounts(W, ['C1'], MON)).sort((a, b) => a.personId.localeCompare(b.personId))
    expect(counts).toEqual([
      { personId: 'U_A', kind: 'task_done', count: 1 },
      { personId: 'U_B', kind: 'message', count: 2 },
      { personId: 'U_C', kind: 'reply', count: 1 },
    ])
    expect(await activity.record(ev('U_C', 'reply', at, { sourceKey: 'ev:C1:Ev9' }))).toBe(false)
  })

  it("record leaves out a person the people table marks as a bot, in the same write as its neighbours' events", async () => {
    const { activity, people } = await make()
    const person = { workspace: W, displayName: 'x', timezone: 'UTC' }
    await people.upsert({ ...person, id: 'U_BOT', isBot: true })
    await people.upsert({ ...person, id: 'U_A', isBot: false })
    await people.upsert({ ...person, id: 'U_BOT', isBot: true, workspace: 'slack:T2' })
    const at = '2026-01-06T10:00:00Z'
    // One turn: one statement on PostgreSQL, one group commit on SQLite.
    const recorded = await Promise.all([
      activity.record(ev('U_BOT', 'message', at, { sourceKey: 'ev:C1:Ev1' })),
      activity.record(ev('U_A', 'reply', at, { sourceKey: 'ev:C1:Ev2' })),
      activity.record(ev('U_NEW', 'message', at)), // not in the people table: a person, counted
      activity.record(ev('U_BOT', 'reaction', at, { workspace: 'slack:T2' })),
      activity.record(ev('U_A', 'kudos_given', at, { targetPersonId: 'U_BOT' })), // a bot as the target is no bot's activity
    ])
    expect(recorded).toEqual([false, true, true, false, true])
    const counts = (await activity.weekCounts(W, ['C1'], MON)).sort((a, b) => `${a.personId}${a.kind}`.localeCompare(`${b.personId}${b.kind}`))
    expect(counts).toEqual([
      { personId: 'U_A', kind: 'kudos_given', count: 1 },
      { personId: 'U_A', kind: 'reply', count: 1 },
      { personId: 'U_NEW', kind: 'message', count: 1 },
    ])
    expect(await activity.weekCounts('slack:T2', ['C1'], MON)).toEqual([])
    // Marked a bot later: from then on not counted (the check reads the table at each write, nothing cached).
    await people.upsert({ ...person, id: 'U_NEW', isBot: true })
    expect(await activity.record(ev('U_NEW', 'message', '2026-01-07T10:00:00Z'))).toBe(false)
    // The bulk load does not look bots up (seed data and benchmarks).
    expect(await activity.recordMany([ev('U_BOT', 'message', '2026-01-07T11:00:00Z')])).toBe(1)
  })

  it('keeps teams, departments, objectives and nudges, and claims a nudge once a week', async () => {
    const { settings } = await make()
    const team = await settings.syncTeam(W, 'Platform', ['C2', 'C1', 'C1'], ['U_M'], new Date('2026-01-01T00:00:00Z'))
    expect(team).toMatchObject({ workspace: W, name: 'Platform', channels: ['C1', 'C2'], managers: ['U_M'] })
    const again = await settings.syncTeam(W, 'platform', ['C3'], [], new Date())
    expect(again).toMatchObject({ id: team.id, channels: ['C3'], managers: [] })
    await settings.addChannel(team.id, 'C4')
    await settings.addManager(team.id, 'U_N')
    await settings.removeChannel(team.id, 'C3')
    expect(await settings.teamByName(W, 'PLATFORM')).toMatchObject({ channels: ['C4'], managers: ['U_N'] })
    const other = await settings.createTeam(W, 'Apps', new Date())
    expect((await settings.teams(W)).map((t) => t.name)).toEqual(['Apps', 'Platform'])
    expect(await settings.teamWorkspaces()).toEqual([W])
    await settings.deleteTeam(other.id)
    expect(await settings.team(W, other.id)).toBeUndefined()

    await settings.replaceDepartments([
      { workspace: '*', personId: 'U_A', department: 'Sales' },
      { workspace: W, personId: 'U_A', department: 'Eng' },
      { workspace: '*', personId: 'U_B', department: 'Ops' },
    ])
    expect(Object.fromEntries(await settings.departments(W))).toEqual({ U_A: 'Eng', U_B: 'Ops' })
    await settings.addDepartments([{ workspace: W, personId: 'U_B', department: 'Eng' }])
    expect((await settings.departments(W)).get('U_B')).toBe('Eng')

    expect(await settings.isOptedOut(W, 'U_A')).toBe(false)
    await settings.optOut(W, 'U_A', new Date())
    expect(await settings.isOptedOut(W, 'U_A')).toBe(true)
    await settings.optIn(W, 'U_A')
    expect(await settings.isOptedOut(W, 'U_A')).toBe(false)

    const setAt = new Date('2026-01-02T00:00:00Z')
    await settings.setObjective({ teamId: team.id, metric: 'active', target: 10, setBy: 'U_M', setAt })
    await settings.setObjective({ teamId: team.id, metric: 'active', target: 12, setBy: 'U_M', setAt })
    expect(await settings.objectives(team.id)).toEqual([{ teamId: team.id, metric: 'active', target: 12, setBy: 'U_M', setAt }])

    expect(await settings.claimNudge(W, 'U_M', MON, new Date())).toBe(true)
    expect(await settings.claimNudge(W, 'U_M', MON, new Date())).toBe(false)
    await settings.releaseNudge(W, 'U_M', MON)
    expect(await settings.claimNudge(W, 'U_M', MON, new Date())).toBe(true)
    const before = { week: MON, activePeople: 3, contributions: 9 }
    await settings.saveNudge({ workspace: W, teamId: team.id, managerId: 'U_M', week: MON, diagnoses: ['quiet'], before, sentAt: setAt })
    await settings.saveNudge({ workspace: W, teamId: team.id, managerId: 'U_M', week: MON, diagnoses: ['twice'], before, sentAt: setAt })
    const [nudge] = await settings.nudgesAwaitingEffect(W, '2026-01-19')
    expect(nudge).toMatchObject({ teamId: team.id, diagnoses: ['quiet'], before, sentAt: setAt })
    await settings.setNudgeAfter(nudge!.id, { week: '2026-01-19', activePeople: 5, contributions: 20 })
    expect(await settings.nudgesAwaitingEffect(W, '2026-01-19')).toEqual([])
    expect((await settings.nudges(W, team.id))[0]?.after).toEqual({ week: '2026-01-19', activePeople: 5, contributions: 20 })
    expect(await settings.nudgePrefs(W, 'U_M')).toEqual({ muted: false })
    await settings.setNudgePrefs(W, 'U_M', { muted: true, snoozedUntil: setAt })
    expect(await settings.nudgePrefs(W, 'U_M')).toEqual({ muted: true, snoozedUntil: setAt })
  })
}
