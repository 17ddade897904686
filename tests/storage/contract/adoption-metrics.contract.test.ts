/**
 * A team's weekly metrics on PostgreSQL are the SQLite ones, figure for figure, and both are what a
 * plain walk over the raw events gives: the same seeded history (people with gaps, first weeks in
 * channels outside the team, replies to roots of earlier weeks and other channels, kudos, passive
 * kudos_received, kudos naming nobody) recorded on both backends, read through teamHistory as `/beacon stats` does.
 * PostgreSQL reads the team's weeks with other statements than SQLite (one per week across the
 * channels, first weeks by a seek per person, links in one pass), so a wrong one shows here.
 */
import { expect, it } from 'vitest'
import { halfOf, teamHistory, type TeamHistory } from '../../../src/core/adoption/metrics.ts'
import { type ActivityEvent, type ActivityKind, PASSIVE_KINDS, type Team } from '../../../src/core/adoption/types.ts'
import { seededRandom } from '../../../src/core/seeded-random.ts'
import { addDays, dayToDate } from '../../../src/core/time/iso-weeks.ts'
import { PgActivityRepository } from '../../../src/storage/pg/repositories/adoption-activity.ts'
import { SqliteActivityRepository } from '../../../src/storage/repositories/adoption-activity.ts'
import { describeWithPostgres, withPostgresDatabase } from '../../support/postgres.ts'
import { freshSqlite } from './backends.ts'

const WS = 'slack:TMETRICS'
const FIRST = '2026-01-05'
const WEEKS = 10
const MONDAYS = Array.from({ length: WEEKS }, (_, i) => addDays(FIRST, 7 * i))
const KINDS: ActivityKind[] = ['message', 'message', 'reply', 'reply', 'reaction', 'knowledge_saved', 'task_done', 'kudos_given', 'kudos_received']
const TEAM: Team = { id: 1, workspace: WS, name: 'Core', channels: ['C0', 'C1', 'C2', 'C3'], managers: ['U1'] }
// Six of every seven people have a department; U0, U7, … have none (their links never count).
const DEPARTMENTS = new Map<string, string>(
  Array.from({ length: 40 }, (_, i): [string, string] => [`U${i}`, `D${i % 3}`]).filter(([p]) => Number(p.slice(1)) % 7 !== 0),
)

/** Forty people over six channels (four of them the team's), each busy in some weeks and absent in others. */
function history(): ActivityEvent[] {
  const rand = seededRandom(16)
  const out: ActivityEvent[] = []
  for (const [w, monday] of MONDAYS.entries()) {
    for (let p = 0; p < 40; p++) {
      // Person p starts in week p % 6 and skips about a third of the weeks after that.
      if (w < p % 6 || rand() < 0.35) continue
      const n = 1 + Math.floor(rand() * 6)
      for (let i = 0; i < n; i++) {
        const kind = KINDS[Math.floor(rand() * KINDS.length)]!
        out.push({
          workspace: WS,
          // Early weeks lean on C4/C5 (outside the team): a first week there is not a first week in the team.
          conversationId: `C${Math.floor(rand() * (w < 3 ? 6 : 5))}`,
          personId: `U${p}`,
          kind,
          at: new Date(dayToDate(monday).getTime() + Math.floor(rand() * 7 * 86_400_000)),
          ...(kind === 'message' || kind === 'reply' ? { threadId: `t${Math.floor(rand() * 25)}` } : {}),
          // One kudos in five names nobody (the event counts, no link).
          ...(kind === 'kudos_given' && rand() < 0.8 ? { targetPersonId: `U${Math.floor(rand() * 40)}` } : {}),
        })
      }
    }
  }
  return out
}

/** The team's metrics of `monday` straight from the raw events, without rollups or repositories. */
function plainWeek(events: ActivityEvent[], monday: string) {
  const inTeam = (e: ActivityEvent) => TEAM.channels.includes(e.conversationId)
  const weekOf = (e: ActivityEvent) => addDays(monday, 7 * Math.floor((e.at.getTime() - dayToDate(monday).getTime()) / (7 * 86_400_000)))
  const activeIn = (week: string) =>
    new Set(events.filter((e) => inTeam(e) && !PASSIVE_KINDS.has(e.kind) && weekOf(e) === week).map((e) => e.personId))
  const active = activeIn(monday)
  const previous = activeIn(addDays(monday, -7))
  const monthly = new Set([0, 1, 2, 3].flatMap((k) => [...activeIn(addDays(monday, -7 * k))]))
  const first = new Map<string, string>()
  for (const e of events) {
    if (!inTeam(e) || PASSIVE_KINDS.has(e.kind)) continue
    const w = weekOf(e)
    if (!first.has(e.personId) || w < first.get(e.personId)!) first.set(e.personId, w)
  }
  const byPerson = new Map<string, number>()
  for (const e of events)
    if (inTeam(e) && !PASSIVE_KINDS.has(e.kind) && weekOf(e) === monday) byPerson.set(e.personId, (byPerson.get(e.personId) ?? 0) + 1)
  const ofKind = (kind: ActivityKind) => events.filter((e) => inTeam(e) && e.kind === kind && weekOf(e) === monday)
  const posting = new Set([...ofKind('message'), ...ofKind('reply')].map((e) => e.personId))
  const crosses = (a: string, b: string | undefined) =>
    b !== undefined && DEPARTMENTS.has(a) && DEPARTMENTS.has(b) && DEPARTMENTS.get(a) !== DEPARTMENTS.get(b)
  let links = 0
  for (const e of events) {
    if (!inTeam(e) || weekOf(e) !== monday) continue
    // A reply links to the author of every root message of its thread (any channel, any week), as the join does.
    if (e.kind === 'reply') {
      for (const root of events)
        if (root.kind === 'message' && root.threadId === e.threadId && root.personId !== e.personId && crosses(e.personId, root.personId)) links++
    }
    if (e.kind === 'kudos_given' && crosses(e.personId, e.targetPersonId)) links++
  }
  return {
    activePeople: active.size,
    postingPeople: posting.size,
    knowledgeSaved: ofKind('knowledge_saved').length,
    tasksDone: ofKind('task_done').length,
    kudosGiven: ofKind('kudos_given').length,
    kudosReceived: ofKind('kudos_received').length,
    monthlyActive: monthly.size,
    contributions: [...byPerson.values()].reduce((s, c) => s + c, 0),
    halfContributors: halfOf(byPerson.values()),
    newPeople: [...active].filter((p) => first.get(p)! >= monday).length,
    returningPeople: [...active].filter((p) => first.get(p)! < monday && previous.has(p)).length,
    resurrectedPeople: [...active].filter((p) => first.get(p)! < monday && !previous.has(p)).length,
    dormantPeople: [...previous].filter((p) => !active.has(p)).length,
    crossDepartmentLinks: links,
  }
}

/** Everything a history holds, in a form toEqual compares (sets and maps as sorted arrays). */
function plain(h: TeamHistory) {
  return {
    audience: [...h.audience].sort(),
    weeks: h.weeks.map((w) => ({ metrics: w.metrics, active: [...w.active].sort(), byPerson: [...w.contributionsByPerson].sort() })),
  }
}

const WINDOWS = [MONDAYS, MONDAYS.slice(-1), MONDAYS.slice(0, 2), MONDAYS.slice(4, 7)]

// Without PostgreSQL (outside CI) SQLite is still held to the raw events.
it("gives a team's weeks on SQLite the figures the raw events give", async () => {
  const events = history()
  const sqlite = new SqliteActivityRepository(freshSqlite())
  expect(await sqlite.recordMany(events)).toBe(events.length)
  for (const window of WINDOWS)
    for (const w of (await teamHistory(sqlite, TEAM, window, DEPARTMENTS)).weeks)
      expect(w.metrics).toMatchObject(plainWeek(events, w.metrics.weekStart))
})

const describePg = await describeWithPostgres()

describePg('adoption metrics on postgres and sqlite', () => {
  const pg = withPostgresDatabase()

  it("gives a team's weeks the same figures on both backends, and the figures the raw events give", async () => {
    await pg.reset()
    const events = history()
    const sqlite = new SqliteActivityRepository(freshSqlite())
    const postgres = new PgActivityRepository(pg.db)
    expect(await postgres.recordMany(events)).toBe(events.length)
    expect(await sqlite.recordMany(events)).toBe(events.length)

    for (const window of WINDOWS) {
      const onPg = await teamHistory(postgres, TEAM, window, DEPARTMENTS)
      expect(plain(onPg)).toEqual(plain(await teamHistory(sqlite, TEAM, window, DEPARTMENTS)))
      for (const w of onPg.weeks) expect(w.metrics).toMatchObject(plainWeek(events, w.metrics.weekStart))
    }
    // The history is varied enough to tell the lifecycle figures apart.
    const all = (await teamHistory(postgres, TEAM, MONDAYS, DEPARTMENTS)).weeks.map((w) => w.metrics)
    for (const figure of ['newPeople', 'returningPeople', 'resurrectedPeople', 'dormantPeople', 'crossDepartmentLinks'] as const) {
      expect(
        all.some((m) => m[figure] > 0),
        figure,
      ).toBe(true)
    }
    // A team over channels nobody wrote in has empty weeks on both.
    const quiet = { ...TEAM, channels: ['C9'] }
    expect(plain(await teamHistory(postgres, quiet, MONDAYS.slice(-2), DEPARTMENTS))).toEqual(
      plain(await teamHistory(sqlite, quiet, MONDAYS.slice(-2), DEPARTMENTS)),
    )
  })
})
