/**
 * The people view (src/core/adoption/people-view.ts) on real SQLite rollups and real organisation
 * identities: a team of slack:T1 with channels in two linked workspaces counts each person once —
 * an account elsewhere is its owner's account in the team's workspace, two accounts elsewhere with
 * one email are one person, an account without an email stays its own — and a workspace that left
 * the organisation counts nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { teamHistory } from '../../../src/core/adoption/metrics.ts'
import { PeopleView } from '../../../src/core/adoption/people-view.ts'
import type { ActivityEvent, Team } from '../../../src/core/adoption/types.ts'
import { BeaconError } from '../../../src/core/errors.ts'
import { silentLogger } from '../../../src/core/logger.ts'
import { orgAdoption } from '../../../src/core/org/adoption.ts'
import { OrgIdentity } from '../../../src/core/org/identity.ts'
import { MapPlatformDirectory } from '../../../src/core/platform-directory.ts'
import type { ChatPlatform } from '../../../src/core/ports.ts'
import { addDays, dayToDate, lastCompleteWeeks } from '../../../src/core/time/iso-weeks.ts'
import { closeDb, openMemoryDb, type Db } from '../../../src/storage/db.ts'
import { SqliteActivityRepository } from '../../../src/storage/repositories/adoption-activity.ts'
import { SqliteOrgRepository } from '../../../src/storage/repositories/organisations.ts'
import { TestClock } from '../../support/test-clock.ts'
import { FakePlatform } from '../../support/fake-platform.ts'
import { NOW } from './support.ts'

const HOME = 'slack:T1'
const TEAMS = 'teams:tenant-1'
const OTHER_SLACK = 'slack:T2'
const clock = TestClock.at(NOW)
const [EARLIER, LAST] = lastCompleteWeeks(new Date(NOW), 3).filter((_, i) => i !== 1) as [string, string]
const team: Team = { id: 1, workspace: HOME, name: 'Platform', channels: ['C1', `${TEAMS}/19:c`, `${OTHER_SLACK}/C9`], managers: ['UA'] }

let db: Db
let activity: SqliteActivityRepository
let orgs: SqliteOrgRepository

const event = (workspace: string, conversationId: string, personId: string, monday: string): ActivityEvent => ({
  workspace,
  conversationId,
  personId,
  kind: 'message',
  at: new Date(dayToDate(addDays(monday, 1)).getTime() + 36e6),
})

/**
 * Teams as the organisation matching asks it (the rest of the platform is never called here):
 * aad-q has no email; with `down`, Teams cannot be asked at all.
 */
function teamsPlatform(down = false): ChatPlatform {
  return {
    name: 'teams',
    async workspaceStanding(_workspace: string, personId: string) {
      if (down) throw new BeaconError('unavailable', 'Bot Connector answered 503')
      return personId === 'aad-q' ? { admin: false } : undefined
    },
  } as unknown as ChatPlatform
}

function view(linked: string[], teams = teamsPlatform()) {
  const platforms = new MapPlatformDirectory()
  platforms.register(teams)
  platforms.register(new FakePlatform()) // Slack: finds nobody by email
  const identity = new OrgIdentity({ orgs, platforms, clock, log: silentLogger })
  return new PeopleView(activity, orgAdoption({ identity, orgs, platforms, clock }), HOME, new Set(linked))
}

beforeEach(async () => {
  db = openMemoryDb()
  activity = new SqliteActivityRepository(db)
  orgs = new SqliteOrgRepository(db)
  await orgs.link([HOME, TEAMS, OTHER_SLACK], 'org-1', clock.now())
  const same = (workspace: string, personId: string, email: string) => orgs.rememberIdentity('org-1', { workspace, personId }, email, clock.now())
  await same(HOME, 'UA', 'a@acme.test')
  await same(TEAMS, 'aad-a', 'a@acme.test')
  await same(TEAMS, 'aad-z', 'z@acme.test')
  await same(OTHER_SLACK, 'UZ', 'z@acme.test')
  await activity.recordMany([
    event(HOME, 'C1', 'UA', LAST),
    event(HOME, 'C1', 'UB', LAST),
    event(TEAMS, '19:c', 'aad-a', LAST),
    event(TEAMS, '19:c', 'aad-a', EARLIER), // Ada was here before, on Teams only
    event(TEAMS, '19:c', 'aad-z', LAST),
    event(OTHER_SLACK, 'C9', 'UZ', LAST),
    event(TEAMS, '19:c', 'aad-q', LAST), // no email anywhere: a person of their own
    event(TEAMS, '19:elsewhere', 'aad-b', LAST), // not a channel of the team
  ])
})
afterEach(() => closeDb(db))

describe('adoption counts people across an organisation', () => {
  it('7 accounts in the team’s channels are 4 people; a person seen earlier on another platform is returning, not new', async () => {
    const [earlier, last] = (await teamHistory(view([TEAMS, OTHER_SLACK]), team, [EARLIER, LAST], new Map())).weeks
    expect(earlier!.metrics.activePeople).toBe(1)
    expect(last!.metrics).toMatchObject({ activePeople: 4, postingPeople: 4, contributions: 6, newPeople: 3, resurrectedPeople: 1 })
    // Ada's Teams activity is hers as the team's workspace knows her: the manager is not silent.
    expect(last!.contributionsByPerson.get('UA')).toBe(2)
  })

  it('when Teams cannot say who an account is, the figures fail rather than count one person twice', async () => {
    await expect(teamHistory(view([TEAMS, OTHER_SLACK], teamsPlatform(true)), team, [LAST], new Map())).rejects.toThrow('503')
  })

  it('a workspace no longer linked counts nothing', async () => {
    const [, last] = (await teamHistory(view([OTHER_SLACK]), team, [EARLIER, LAST], new Map())).weeks
    // UA, UB, and Zed through the other Slack workspace only.
    expect(last!.metrics.activePeople).toBe(3)
  })
})
