/**
 * Adoption across one organisation, end to end in one Beacon process serving fake Slack and fake
 * Teams: a team defined on Slack takes in a Teams channel (from Teams, by its manager, or from the
 * operator's teams file), and its figures count people, not accounts — someone active on both
 * sides (same verified email) is one active person, and the privacy minimum (5) counts people too.
 * Unlinking separates the platforms again.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ActivityEvent } from '../../src/core/adoption/types.ts'
import { dayToDate, lastCompleteWeeks } from '../../src/core/time/iso-weeks.ts'
import { CHANNEL, TEAM, TENANT } from '../adapters/teams/activities.ts'
import { TestClock } from '../support/test-clock.ts'
import { startOrgWorld, type OrgWorld, type TeamsPerson } from './org-support.ts'

const SLACK = 'slack:T1'
const TEAMS = `teams:${TENANT}`
const DESIGN_CHANNEL = '19:design@thread.tacv2'
/** Wednesday; the week before (Monday 9 June) is the last complete one. */
const NOW = '2025-06-18T10:00:00.000Z'
const clock = TestClock.at(NOW)
const LAST_MONDAY = lastCompleteWeeks(new Date(NOW), 1)[0]!

const teamsPerson = (name: string, email?: string): TeamsPerson => ({
  id: `29:${name}`,
  name,
  aadObjectId: `aad-${name}`,
  ...(email ? { upn: email } : {}),
})
const T_ALICE = teamsPerson('alice', 'Alice@acme.test')
const T_BOB = teamsPerson('bob', 'bob@acme.test')
const T_GINA = teamsPerson('gina', 'gina@acme.test') // on Teams only
const T_HANK = teamsPerson('hank', 'hank@acme.test')
const T_IVY = teamsPerson('ivy', 'ivy@acme.test')
const TEAMS_PEOPLE = [T_ALICE, T_BOB, T_GINA, T_HANK, T_IVY]

/** Platform: Slack #general (6 accounts) + the Teams channel (Alice, Bob — the same people — and Gina). */
const PLATFORM_SLACK = ['UALICE', 'UBOB', 'UCAROL', 'UDAN', 'UERIN', 'UFAY']
/** Design: Slack #design (3) + a Teams channel (Hank and Ivy, the same people): 5 accounts, 3 people. */
const DESIGN_SLACK = ['UHANK', 'UIVY', 'UJO']

let w: OrgWorld
let dir: string

/** Two messages a day on Monday and Tuesday of the last complete week, per account. */
function activeLastWeek(workspace: string, conversationId: string, people: string[]): ActivityEvent[] {
  return people.flatMap((personId) =>
    [0, 1].map((d) => ({
      workspace,
      conversationId,
      personId,
      kind: 'message' as const,
      at: new Date(dayToDate(LAST_MONDAY).getTime() + d * 86_400_000 + 36e6),
    })),
  )
}

/** What a person reads, without markup (Slack shows **bold** as *bold*; Teams keeps it). */
const plain = (answer: string) => answer.replace(/\\n/g, '\n').replace(/\*/g, '')

/** "Active people: 7" of the named team in a stats answer (undefined when withheld). */
function activePeople(answer: string, team: string): number | undefined {
  const text = plain(answer)
  const block = text.slice(text.indexOf(`${team} — `)).split(/\n(?![-•])/)[0] ?? ''
  const m = /Active people: (\d+)/.exec(block)
  return m ? Number(m[1]) : undefined
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'beacon-org-adoption-'))
  const teamsFile = join(dir, 'teams.yaml')
  // The operator's file may name channels of a linked workspace the same way ("<workspace>/<channel>").
  writeFileSync(
    teamsFile,
    `teams:\n  - name: Design\n    workspace: ${SLACK}\n    channels: [C2, "${TEAMS}/${DESIGN_CHANNEL}"]\n    managers: [UALICE]\n`,
  )
  w = await startOrgWorld({ ADOPTION_TEAMS_FILE: teamsFile }, clock)
  const s = w.slack
  const email = (id: string) => `${id.slice(1).toLowerCase()}@acme.test`
  for (const id of [...PLATFORM_SLACK, ...DESIGN_SLACK]) {
    s.users.set(id, { id, name: id.slice(1).toLowerCase(), real_name: id.slice(1), is_admin: id === 'UALICE', profile: { email: email(id) } })
  }
  s.channels.set('C1', { id: 'C1', name: 'general' })
  s.channels.set('C2', { id: 'C2', name: 'design' })
  s.members.set('C1', PLATFORM_SLACK)
  s.members.set('C2', [...DESIGN_SLACK, 'UALICE'])
  const roster = TEAMS_PEOPLE.map((p) => ({ id: p.id, name: p.name, aadObjectId: p.aadObjectId, ...(p.upn ? { userPrincipalName: p.upn } : {}) }))
  w.h.connector.members.set(TEAM.id, roster)
  w.h.connector.members.set(CHANNEL.id, roster)

  await w.teams(T_ALICE, 'help') // Beacon knows the tenant (what `org link` requires)
  expect(plain(await w.slackCommand('UALICE', '/beacon', 'team create Platform'))).toContain('Created team Platform with this channel')
  const repo = w.h.ctx.repos.activity
  await repo.recordMany([
    ...activeLastWeek(SLACK, 'C1', PLATFORM_SLACK),
    ...activeLastWeek(
      TEAMS,
      CHANNEL.id,
      [T_ALICE, T_BOB, T_GINA].map((p) => p.aadObjectId),
    ),
    ...activeLastWeek(SLACK, 'C2', DESIGN_SLACK),
    ...activeLastWeek(
      TEAMS,
      DESIGN_CHANNEL,
      [T_HANK, T_IVY].map((p) => p.aadObjectId),
    ),
  ])
})
afterAll(async () => {
  await w?.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('adoption across one organisation', () => {
  it('before linking, a Slack team cannot take a Teams channel, and counts its Slack accounts only', async () => {
    expect(await w.teamsChannel(T_ALICE, 'beacon team add-channel Platform')).toContain('There is no team called “Platform”')
    const stats = await w.slackCommand('UALICE', '/beacon', 'stats')
    expect(activePeople(stats, 'Platform')).toBe(6)
    expect(plain(stats)).toContain('Design — fewer than 5 active people')
  })

  it('once linked, the manager adds the Teams channel from Teams, as the same person', async () => {
    expect((await w.org('link', SLACK, TEAMS)).code).toBe(0)
    // Gina is on Teams only: she manages nothing on Slack, so she cannot change the Slack team.
    expect(await w.teamsChannel(T_GINA, 'beacon team add-channel Platform')).toContain('no account with your verified email')
    expect(plain(await w.teamsChannel(T_ALICE, 'beacon team add-channel Platform'))).toContain('Added 1 channel to Platform')
    const team = await w.h.ctx.repos.adoptionSettings.teamByName(SLACK, 'Platform')
    expect(team?.channels).toEqual(['C1', `${TEAMS}/${CHANNEL.id}`])
  })

  it('someone active on both sides counts once: 6 Slack + 3 Teams accounts are 7 people', async () => {
    const stats = await w.slackCommand('UALICE', '/beacon', 'stats Platform')
    expect(activePeople(stats, 'Platform')).toBe(7)
    expect(plain(stats)).toContain('posting: 7')
    expect(plain(stats)).toContain('Contributions: 18 (2.6 per active person)')
  })

  it('the privacy minimum counts people: 5 accounts that are 3 people are not shown', async () => {
    const stats = await w.slackCommand('UALICE', '/beacon', 'stats')
    expect(plain(stats)).toContain('Design — fewer than 5 active people; not shown')
    expect(activePeople(stats, 'Design')).toBeUndefined()
  })

  it('the dashboard shows the same people count', async () => {
    const answer = (await w.slackCommand('UALICE', '/beacon', 'dashboard')).replace(/\\n/g, '\n')
    const link = /https?:\/\/[^\s>|)"]+dashboard\?token=[^\s>|)"]+/.exec(answer)?.[0]
    expect(link).toBeDefined()
    const csv = await fetch(link!.replace('/dashboard?', '/dashboard.csv?').replace(/^https?:\/\/[^/]+/, w.h.url))
    expect(csv.status).toBe(200)
    const rows = (await csv.text())
      .trim()
      .split('\n')
      .map((r) => r.split(','))
    const col = (name: string) => rows[0]!.indexOf(name)
    const platform = rows.find((r) => r[0] === 'Platform' && r[col('week_start')] === LAST_MONDAY)
    expect(platform?.[col('activePeople')]).toBe('7')
    const design = rows.filter((r) => r[0] === 'Design')
    expect(design.length).toBeGreaterThan(0)
    expect(design.every((r) => r[col('shown')] === 'withheld' && r[col('activePeople')] === '')).toBe(true)
  })

  it('after unlinking, the Teams channel counts nothing for the Slack team again', async () => {
    expect((await w.org('unlink', TEAMS)).code).toBe(0)
    const stats = await w.slackCommand('UALICE', '/beacon', 'stats Platform')
    expect(activePeople(stats, 'Platform')).toBe(6)
  })
})
