/**
 * Impact of a team across one organisation, end to end in one Beacon process serving fake Slack and
 * fake Teams (as tests/e2e/org-adoption.test.ts): the Slack team "Platform" takes in a Teams channel
 * of the linked tenant, and its value figures read both sides — questions asked on Teams, kudos
 * received there, and a first connection across departments made there — with people matched as
 * adoption matches them (the same verified email is one person, with the department they have on Slack).
 * "For the first time" holds across the organisation: two people who met on Slack the week before
 * are not a new connection when they first meet on Teams.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ActivityEvent } from '../../src/core/adoption/types.ts'
import type { ImpactEvent } from '../../src/core/impact/types.ts'
import { dayToDate, lastCompleteWeeks } from '../../src/core/time/iso-weeks.ts'
import { CHANNEL, TEAM, TENANT } from '../adapters/teams/activities.ts'
import { TestClock } from '../support/test-clock.ts'
import { startOrgWorld, type OrgWorld, type TeamsPerson } from './org-support.ts'

const SLACK = 'slack:T1'
const TEAMS = `teams:${TENANT}`
/** Wednesday; the week before (Monday 9 June, 2025-W24) is the last complete one. */
const NOW = '2025-06-18T10:00:00.000Z'
const LAST_MONDAY = lastCompleteWeeks(new Date(NOW), 1)[0]!
const AT = new Date(dayToDate(LAST_MONDAY).getTime() + 36e6)
const WEEK_BEFORE = new Date(AT.getTime() - 7 * 864e5)

const teamsPerson = (name: string): TeamsPerson => ({ id: `29:${name}`, name, aadObjectId: `aad-${name}`, upn: `${name}@acme.test` })
/** Alice, Bob, Erin and Fay are on both platforms; Gina on Teams only. */
const T_ALICE = teamsPerson('alice')
const T_BOB = teamsPerson('bob')
const T_ERIN = teamsPerson('erin')
const T_FAY = teamsPerson('fay')
const T_GINA = teamsPerson('gina')
const ON_TEAMS = [T_ALICE, T_BOB, T_ERIN, T_FAY, T_GINA]
const SLACK_PEOPLE = ['UALICE', 'UBOB', 'UCAROL', 'UDAN', 'UERIN', 'UFAY']

let w: OrgWorld

const activity = (workspace: string, conversationId: string, personId: string, more: Partial<ActivityEvent> = {}): ActivityEvent => ({
  workspace,
  conversationId,
  personId,
  kind: 'message',
  at: AT,
  ...more,
})
const kudos = (workspace: string, conversationId: string, from: string, to: string, at = AT): ActivityEvent[] => [
  activity(workspace, conversationId, from, { kind: 'kudos_given', targetPersonId: to, at }),
  activity(workspace, conversationId, to, { kind: 'kudos_received', targetPersonId: from, at }),
]
const asked = (workspace: string, conversationId: string, n: number): ImpactEvent[] =>
  Array.from({ length: n }, (_, i) => ({ workspace, conversationId, kind: 'question_asked', at: AT, sourceKey: `test:${workspace}:${i}` }))

/** What a person reads, without markup. */
const plain = (answer: string) => answer.replace(/\\n/g, '\n').replace(/\*/g, '')

beforeAll(async () => {
  w = await startOrgWorld({}, TestClock.at(NOW))
  const s = w.slack
  for (const id of SLACK_PEOPLE) {
    const name = id.slice(1).toLowerCase()
    s.users.set(id, { id, name, real_name: id.slice(1), is_admin: id === 'UALICE', profile: { email: `${name}@acme.test` } })
  }
  s.channels.set('C1', { id: 'C1', name: 'general' })
  s.members.set('C1', SLACK_PEOPLE)
  const roster = ON_TEAMS.map((p) => ({ id: p.id, name: p.name, aadObjectId: p.aadObjectId, userPrincipalName: p.upn! }))
  w.h.connector.members.set(TEAM.id, roster)
  w.h.connector.members.set(CHANNEL.id, roster)

  await w.teams(T_ALICE, 'help') // Beacon knows the tenant (what `org link` requires)
  expect(plain(await w.slackCommand('UALICE', '/beacon', 'team create Platform'))).toContain('Created team Platform with this channel')
  expect((await w.org('link', SLACK, TEAMS)).code).toBe(0)
  expect(plain(await w.teamsChannel(T_ALICE, 'beacon team add-channel Platform'))).toContain('Added 1 channel to Platform')

  const { repos } = w.h.ctx
  await repos.adoptionSettings.addDepartments([
    { workspace: SLACK, personId: 'UALICE', department: 'Engineering' },
    { workspace: SLACK, personId: 'UBOB', department: 'Sales' },
    { workspace: SLACK, personId: 'UCAROL', department: 'Engineering' },
    { workspace: SLACK, personId: 'UDAN', department: 'Sales' },
    { workspace: SLACK, personId: 'UERIN', department: 'Engineering' },
    { workspace: SLACK, personId: 'UFAY', department: 'Sales' },
  ])
  await repos.activity.recordMany([
    ...SLACK_PEOPLE.map((p) => activity(SLACK, 'C1', p)),
    ...ON_TEAMS.map((p) => activity(TEAMS, CHANNEL.id, p.aadObjectId)),
    // Carol and Dan connect on Slack; Alice thanks Bob on Teams — their first connection, across departments.
    ...kudos(SLACK, 'C1', 'UCAROL', 'UDAN'),
    ...kudos(TEAMS, CHANNEL.id, T_ALICE.aadObjectId, T_BOB.aadObjectId),
    // …and on Slack the same week: still one pair of people.
    ...kudos(SLACK, 'C1', 'UALICE', 'UBOB'),
    // Erin and Fay met on Slack the week before; meeting again on Teams is not a first connection.
    ...kudos(SLACK, 'C1', 'UERIN', 'UFAY', WEEK_BEFORE),
    ...kudos(TEAMS, CHANNEL.id, T_ERIN.aadObjectId, T_FAY.aadObjectId),
  ])
  for (const e of [...asked(SLACK, 'C1', 2), ...asked(TEAMS, CHANNEL.id, 3)]) await repos.impact.record(e)
})
afterAll(async () => w?.close())

describe('impact of a team across Slack and Teams', () => {
  it('counts the Teams channel’s questions, kudos and connections, people matched by email', async () => {
    const text = plain(await w.slackCommand('UALICE', '/beacon', 'impact Platform week'))
    expect(text).toMatch(/Platform — impact 2025-W24/)
    // 2 questions on Slack + 3 on Teams.
    expect(text).toMatch(/Questions asked: 5\b/)
    // Carol–Dan, and Alice–Bob (on both sides, one pair; Bob's department is the one his Slack account
    // has); not Erin–Fay, who had met on Slack the week before.
    expect(text).toMatch(/New connections across departments: 2\b/)
    // Kudos reached Dan, Bob and Fay: 3 of 7 people (each of both platforms is one person), 43%.
    expect(text).toMatch(/Active people who received kudos: 43%/)
    expect(text).not.toMatch(/aad-|gina|Gina/)
  })
})
