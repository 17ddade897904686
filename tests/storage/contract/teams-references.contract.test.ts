/**
 * Teams conversation references on SQLite and PostgreSQL: the reference comes back as stored, a
 * later message without a group id keeps the one an installation event gave, an unreachable mark is
 * cleared by the next upsert, teams are listed once each (newest reference), users map both ways.
 */
import { describe, expect, it } from 'vitest'
import type { TeamsReferenceRepository } from '../../../src/core/adapter-stores.ts'
import { PgTeamsReferenceRepository } from '../../../src/storage/pg/repositories/teams-references.ts'
import { SqliteTeamsReferenceRepository } from '../../../src/storage/repositories/teams-references.ts'
import { describeWithPostgres, withPostgresDatabase } from '../../support/postgres.ts'
import { freshSqlite } from './backends.ts'

const describePg = await describeWithPostgres()
const W = 'teams:tenant-1'
const ref = (conversationId: string) => ({ conversation: { id: conversationId }, serviceUrl: 'https://smba.example/', bot: { id: '28:bot' } })

describe('Teams references on sqlite', () => {
  contract(async () => new SqliteTeamsReferenceRepository(freshSqlite()))
})

describePg('Teams references on postgres', () => {
  const pg = withPostgresDatabase()
  contract(async () => {
    await pg.reset()
    return new PgTeamsReferenceRepository(pg.db)
  })
})

function contract(make: () => Promise<TeamsReferenceRepository>): void {
  it('keeps a group id across later upserts, clears unreachable marks, lists teams once', async () => {
    const repo = await make()
    await repo.upsert({
      workspace: W,
      conversationId: '19:general',
      kind: 'channel',
      teamId: 'team-1',
      groupId: 'g-1',
      membershipType: 'standard',
      reference: ref('19:general'),
    })
    await repo.upsert({ workspace: W, conversationId: '19:general', kind: 'channel', teamId: 'team-1', reference: ref('19:general') })
    expect(await repo.get(W, '19:general')).toEqual({
      workspace: W,
      conversationId: '19:general',
      kind: 'channel',
      teamId: 'team-1',
      groupId: 'g-1',
      reference: ref('19:general'),
    })
    expect(await repo.get('teams:other', '19:general')).toBeUndefined()

    const at = new Date('2026-01-02T03:04:05Z')
    await repo.markUnreachable(W, '19:general', 'BotNotInConversationRoster', at)
    expect((await repo.get(W, '19:general'))?.unreachable).toEqual({ reason: 'BotNotInConversationRoster', at })
    expect(await repo.teamsOf(W)).toEqual([])
    await repo.upsert({ workspace: W, conversationId: '19:general', kind: 'channel', teamId: 'team-1', reference: ref('19:general') })
    expect((await repo.get(W, '19:general'))?.unreachable).toBeUndefined()

    await repo.upsert({ workspace: W, conversationId: '19:random', kind: 'channel', teamId: 'team-1', reference: ref('19:random') })
    await repo.upsert({ workspace: W, conversationId: 'a:chat', kind: 'personal', personId: 'p1', reference: ref('a:chat') })
    // One entry per team, through any of its reachable channels (two upserts in one millisecond tie)…
    const [team, ...more] = await repo.teamsOf(W)
    expect(more).toEqual([])
    expect(team?.teamId).toBe('team-1')
    expect(['19:general', '19:random']).toContain(team?.conversationId)
    // …never through one Beacon can no longer reach.
    await repo.markUnreachable(W, '19:general', 'BotNotInConversationRoster', at)
    expect(await repo.teamsOf(W)).toEqual([{ teamId: 'team-1', conversationId: '19:random' }])
    expect((await repo.personal(W, 'p1'))?.conversationId).toBe('a:chat')
    expect(await repo.placesLeft(W)).toBe(2)
    await repo.remove(W, '19:random')
    expect(await repo.placesLeft(W)).toBe(1)
    expect(await repo.removeTeam(W, 'team-1')).toBe(1)
    expect(await repo.placesLeft(W)).toBe(0)
  })

  it('remembers teams and users, and why a user cannot be reached', async () => {
    const repo = await make()
    await repo.rememberTeam(W, 'team-1', 'g-1', 'Sales')
    await repo.rememberTeam(W, 'team-1', 'g-2')
    expect(await repo.groupIdOfTeam(W, 'team-1')).toBe('g-2')
    expect(await repo.groupIdOfTeam('teams:other', 'team-1')).toBeUndefined()

    await repo.rememberUser(W, 'p1', '29:bot-user')
    expect(await repo.botUserId(W, 'p1')).toBe('29:bot-user')
    expect(await repo.personIdForBotUser(W, '29:bot-user')).toBe('p1')
    expect(await repo.userUnreachable(W, 'p1')).toBeUndefined()
    const at = new Date('2026-01-02T03:04:05Z')
    await repo.markUserUnreachable(W, 'p2', '29:other', 'not installed', at)
    expect(await repo.userUnreachable(W, 'p2')).toEqual({ reason: 'not installed', at })
  })
}
