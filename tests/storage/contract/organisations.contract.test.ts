/**
 * Organisations and their kudos, on SQLite and on PostgreSQL: linking creates, extends or refuses
 * (changing nothing), unlinking takes identities along and dissolves an organisation of one,
 * identities stay inside their organisation, and the organisation's board counts one person once
 * across workspaces. On PostgreSQL two processes linking at once still make one organisation.
 */
import { expect, it } from 'vitest'
import type { GiverUsage, KudosRepository, NewKudos } from '../../../src/core/recognition/types.ts'
import { PgKudosRepository } from '../../../src/storage/pg/repositories/recognition.ts'
import { PgOrgRepository } from '../../../src/storage/pg/repositories/organisations.ts'
import { describeWithPostgres, withPostgresDatabase } from '../../support/postgres.ts'
import { contract, secondProcess } from './backends.ts'

const SLACK = 'slack:T1'
const TEAMS = 'teams:tenant-1'
const OTHER = 'slack:T9'
const at = new Date('2026-01-05T09:00:00Z')

contract('organisations', (fresh) => {
  it('link creates an organisation, extends it, changes nothing when asked again, and refuses to merge two', async () => {
    const { repos: r } = await fresh()
    const created = await r.orgs.link([SLACK, TEAMS], 'org-1', at)
    expect(created).toEqual({ kind: 'created', org: { id: 'org-1', workspaces: [SLACK, TEAMS], createdAt: at } })
    expect(await r.orgs.link([TEAMS, SLACK], 'org-x', at)).toEqual({ kind: 'unchanged', org: created.kind === 'created' && created.org })
    const extended = await r.orgs.link([SLACK, 'slack:T2'], 'org-y', new Date('2026-01-06T09:00:00Z'))
    expect(extended).toMatchObject({ kind: 'extended', added: ['slack:T2'], org: { id: 'org-1', workspaces: [SLACK, TEAMS, 'slack:T2'] } })
    await r.orgs.link([OTHER, 'teams:tenant-9'], 'org-2', new Date('2026-01-07T09:00:00Z'))
    const refused = await r.orgs.link([TEAMS, OTHER, 'slack:T3'], 'org-z', at)
    expect(refused.kind === 'conflict' && refused.orgs.map((o) => o.id).sort()).toEqual(['org-1', 'org-2'])
    expect(await r.orgs.orgOf('slack:T3')).toBeUndefined()
    expect((await r.orgs.list()).map((o) => [o.id, o.workspaces])).toEqual([
      ['org-1', [SLACK, TEAMS, 'slack:T2']],
      ['org-2', [OTHER, 'teams:tenant-9']],
    ])
    expect((await r.orgs.orgOf(TEAMS))?.id).toBe('org-1')
  })

  it('keeps identities inside their organisation, moves an email, and unlinking takes them along and dissolves an organisation of one', async () => {
    const { repos: r } = await fresh()
    await r.orgs.link([SLACK, TEAMS, 'slack:T2'], 'org-1', at)
    await r.orgs.link([OTHER, 'teams:tenant-9'], 'org-2', at)
    await r.orgs.rememberIdentity('org-1', { workspace: SLACK, personId: 'U_ADA' }, 'ada@example.com', at)
    await r.orgs.rememberIdentity('org-1', { workspace: TEAMS, personId: 'aad-ada' }, 'ada@example.com', at)
    await r.orgs.rememberIdentity('org-1', { workspace: 'slack:T2', personId: 'U_ADA2' }, 'ada@example.com', at)
    await r.orgs.rememberIdentity('org-2', { workspace: OTHER, personId: 'U_ADA' }, 'ada@example.com', at)
    // Not a member of that organisation: nothing is recorded.
    await r.orgs.rememberIdentity('org-1', { workspace: OTHER, personId: 'U_SPY' }, 'ada@example.com', at)
    await r.orgs.rememberIdentity('org-1', { workspace: 'slack:T404', personId: 'U_SPY' }, 'ada@example.com', at)
    const accounts = async (org: string, email: string) =>
      (await r.orgs.accountsByEmail(org, email)).map((a) => `${a.workspace}/${a.personId}`).sort()
    expect(await accounts('org-1', 'ada@example.com')).toEqual(['slack:T1/U_ADA', 'slack:T2/U_ADA2', 'teams:tenant-1/aad-ada'])
    expect(await accounts('org-2', 'ada@example.com')).toEqual(['slack:T9/U_ADA'])
    // The platform now gives another email: the account moves; then none: it is forgotten.
    await r.orgs.rememberIdentity('org-1', { workspace: TEAMS, personId: 'aad-ada' }, 'ada@new.example', at)
    expect(await accounts('org-1', 'ada@new.example')).toEqual(['teams:tenant-1/aad-ada'])
    await r.orgs.forgetIdentity({ workspace: TEAMS, personId: 'aad-ada' })
    expect(await accounts('org-1', 'ada@new.example')).toEqual([])

    expect((await r.orgs.unlink('slack:T2'))?.workspaces).toEqual([SLACK, TEAMS, 'slack:T2'])
    expect(await accounts('org-1', 'ada@example.com')).toEqual(['slack:T1/U_ADA'])
    expect(await r.orgs.unlink('slack:T2')).toBeUndefined()
    expect((await r.orgs.unlink(TEAMS))?.id).toBe('org-1')
    expect(await r.orgs.orgOf(SLACK)).toBeUndefined()
    expect(await accounts('org-1', 'ada@example.com')).toEqual([])
    expect((await r.orgs.list()).map((o) => o.id)).toEqual(['org-2'])
    // A fresh link of the same workspaces is a new organisation, without the old identities.
    expect((await r.orgs.link([SLACK, TEAMS], 'org-3', at)).kind).toBe('created')
    expect(await accounts('org-3', 'ada@example.com')).toEqual([])
  })

  it('ranks one person once across workspaces, counts each giver once, respects the audience, and sums a person’s giving', async () => {
    const { repos: r } = await fresh()
    await r.orgs.link([SLACK, TEAMS], 'org-1', at)
    const org = (await r.orgs.orgOf(SLACK))!
    const same = async (workspace: string, personId: string, email: string) => r.orgs.rememberIdentity('org-1', { workspace, personId }, email, at)
    await same(SLACK, 'U_ADA', 'ada@example.com')
    await same(TEAMS, 'aad-ada', 'ada@example.com')
    await same(SLACK, 'U_BOB', 'bob@example.com')
    await same(TEAMS, 'aad-bob', 'bob@example.com')
    let n = 0
    const kudos = (workspace: string, giverId: string, receiverId: string, receiverName: string, over: Partial<NewKudos> = {}): NewKudos => ({
      workspace,
      kind: 'given',
      source: 'command',
      giverId,
      giverName: giverId,
      receiverId,
      receiverName,
      reason: 'thanks',
      key: `k${++n}`,
      isPublic: true,
      ...over,
    })
    await r.kudos.credit(
      [
        kudos(SLACK, 'U_BOB', 'U_ADA', 'Ada (Slack)'),
        kudos(TEAMS, 'aad-bob', 'aad-ada', 'Ada (Teams)', { value: 'ownership' }),
        kudos(TEAMS, 'aad-cy', 'aad-ada', 'Ada (Teams)'),
        kudos(SLACK, 'U_ADA', 'U_DEE', 'Dee'),
        kudos(SLACK, 'U_ADA', 'U_DEE', 'Dee'),
        kudos(SLACK, 'U_ADA', 'U_DEE', 'Dee'),
        kudos(SLACK, 'U_BOB', 'U_EVE', 'Eve', { isPublic: false, conversationId: 'G_PRIVATE' }),
        kudos(OTHER, 'U_X', 'U_ADA', 'Not this organisation'),
        {
          workspace: SLACK,
          kind: 'auto',
          source: 'task-done',
          receiverId: 'U_FAY',
          receiverName: 'Fay',
          reason: 'done',
          key: 'auto1',
          isPublic: true,
        },
      ],
      at,
    )
    expect(await r.orgKudos.leaderboard(org, { workspace: SLACK, limit: 10 })).toEqual([
      { receiverId: 'U_ADA', receiverName: 'Ada (Slack)', givers: 2, count: 3 },
      { receiverId: 'U_DEE', receiverName: 'Dee', givers: 1, count: 3 },
    ])
    // Shown in Teams, the Teams account and name stand for the person.
    expect((await r.orgKudos.leaderboard(org, { workspace: TEAMS, limit: 1 }))[0]).toEqual({
      receiverId: 'aad-ada',
      receiverName: 'Ada (Teams)',
      givers: 2,
      count: 3,
    })
    expect((await r.orgKudos.leaderboard(org, { workspace: SLACK, limit: 10, shownIn: 'G_PRIVATE' })).map((x) => x.receiverId)).toEqual([
      'U_ADA',
      'U_DEE',
      'U_EVE',
    ])
    expect((await r.orgKudos.leaderboard(org, { workspace: TEAMS, limit: 10, shownIn: 'G_PRIVATE' })).map((x) => x.receiverId)).toEqual([
      'aad-ada',
      'U_DEE',
    ])
    // Only a Teams kudos carries the value: the Teams account stands for the person then.
    expect(await r.orgKudos.leaderboard(org, { workspace: SLACK, limit: 10, value: 'ownership' })).toEqual([
      { receiverId: 'aad-ada', receiverName: 'Ada (Teams)', givers: 1, count: 1 },
    ])
    expect(await r.orgKudos.leaderboard(org, { workspace: SLACK, limit: 10, since: new Date('2026-01-06T00:00:00Z') })).toEqual([])
    expect(await r.orgKudos.leaderboard(org, { workspace: SLACK, limit: 10, until: at })).toEqual([])

    const bob = [
      { workspace: SLACK, personId: 'U_BOB' },
      { workspace: TEAMS, personId: 'aad-bob' },
    ]
    // Bob's totals over both accounts; Ada was thanked by Bob on both sides: one person, plus Cy.
    expect(await r.orgKudos.totals(org, bob, at)).toEqual({ received: 0, receivedFrom: 0, auto: 0, given: 3 })
    const ada = [
      { workspace: SLACK, personId: 'U_ADA' },
      { workspace: TEAMS, personId: 'aad-ada' },
    ]
    expect(await r.orgKudos.totals(org, ada)).toEqual({ received: 3, receivedFrom: 2, auto: 0, given: 3 })
    expect(await r.orgKudos.totals(org, ada, new Date('2026-01-05T09:00:00.001Z'))).toEqual({ received: 0, receivedFrom: 0, auto: 0, given: 0 })
    // Bob's usage in Slack as one person: his Teams account's kudos count, to Ada's Teams account too.
    const window = { workspace: SLACK, giverId: 'U_BOB', dayStart: at, weekStart: at }
    expect(await r.kudos.usage(window)).toEqual({
      today: 2,
      thisWeek: new Map([
        ['U_ADA', 1],
        ['U_EVE', 1],
      ]),
    })
    const person = { lockKey: 'org:org-1:bob@example.com', accounts: [bob[1]!], receivers: { U_ADA: [ada[1]!], U_EVE: [] } }
    expect(await r.kudos.usage({ ...window, person })).toEqual({
      today: 3,
      thisWeek: new Map([
        ['U_ADA', 2],
        ['U_EVE', 1],
      ]),
    })
  })

  it('one person giving from two accounts at once at the allowance edge: only one give goes through', async () => {
    const { repos: r } = await fresh()
    const results = await racingGives(r.kudos, r.kudos)
    expect(results.filter((x) => x.ok)).toHaveLength(1)
  })
})

/**
 * Bob gave once today on Slack; his allowance is 2. Now his Slack and Teams accounts give at the
 * same moment, each window naming the other account (as KudosService builds it for one person).
 */
async function racingGives(slack: KudosRepository, teams: KudosRepository) {
  const day = new Date('2026-02-02T00:00:00Z')
  const row = (workspace: string, giverId: string, receiverId: string, key: string): NewKudos => ({
    workspace,
    kind: 'given',
    source: 'command',
    giverId,
    giverName: 'Bob',
    receiverId,
    receiverName: receiverId,
    reason: 'thanks',
    key,
    isPublic: true,
  })
  const check = (u: GiverUsage, fresh: NewKudos[]) => (u.today + fresh.length > 2 ? 'allowance' : undefined)
  const window = (workspace: string, giverId: string, other: { workspace: string; personId: string }) => ({
    workspace,
    giverId,
    dayStart: day,
    weekStart: day,
    person: { lockKey: 'org:org-1:bob@example.com', accounts: [other], receivers: {} },
  })
  const onSlack = { workspace: SLACK, personId: 'U_BOB' }
  const onTeams = { workspace: TEAMS, personId: 'aad-bob' }
  const first = await slack.giveChecked(
    [row(SLACK, 'U_BOB', 'U_ADA', 'first')],
    window(SLACK, 'U_BOB', onTeams),
    check,
    new Date(day.getTime() + 1000),
  )
  expect(first.ok).toBe(true)
  const later = new Date(day.getTime() + 2000)
  return Promise.all([
    slack.giveChecked([row(SLACK, 'U_BOB', 'U_CY', 'from-slack')], window(SLACK, 'U_BOB', onTeams), check, later),
    teams.giveChecked([row(TEAMS, 'aad-bob', 'aad-cy', 'from-teams')], window(TEAMS, 'aad-bob', onSlack), check, later),
  ])
}

const describePg = await describeWithPostgres()

describePg('organisations on two PostgreSQL processes', () => {
  const pg = withPostgresDatabase()

  it('overlapping links at once make one organisation, and an identity is never left behind by an unlink', async () => {
    await pg.reset()
    const orgs = [new PgOrgRepository(pg.db), new PgOrgRepository(await secondProcess(pg.url))]
    const outcomes = await Promise.all(Array.from({ length: 6 }, (_, i) => orgs[i % 2]!.link([SLACK, `teams:tenant-${i}`], `org-${i}`, at)))
    expect(outcomes.filter((o) => o.kind === 'created')).toHaveLength(1)
    expect(outcomes.filter((o) => o.kind === 'conflict')).toEqual([])
    const [only] = await orgs[0]!.list()
    expect((await orgs[1]!.list()).length).toBe(1)
    expect(only!.workspaces).toHaveLength(7)

    await Promise.all([
      ...only!.workspaces.map((w, i) => orgs[i % 2]!.rememberIdentity(only!.id, { workspace: w, personId: 'U_ADA' }, 'ada@example.com', at)),
      ...only!.workspaces.slice(1).map((w, i) => orgs[i % 2]!.unlink(w)),
    ])
    expect(await orgs[0]!.list()).toEqual([])
    expect(await orgs[1]!.accountsByEmail(only!.id, 'ada@example.com')).toEqual([])
  })

  it('one person giving from two accounts on two processes at the allowance edge: one lock, one give', async () => {
    for (let round = 0; round < 5; round++) {
      await pg.reset()
      const results = await racingGives(new PgKudosRepository(pg.db), new PgKudosRepository(await secondProcess(pg.url)))
      expect(results.filter((x) => x.ok)).toHaveLength(1)
    }
  })
})
