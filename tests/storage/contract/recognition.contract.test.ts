/**
 * The kudos repository and its aggregates, on SQLite and on PostgreSQL: idempotent gives and
 * credits, the allowance checked against what was already given, leaderboards that rank by distinct
 * givers and respect the audience, claims that succeed once. On PostgreSQL the same giver on two
 * processes at once cannot overspend the allowance.
 */
import { describe, expect, it } from 'vitest'
import type { GiverUsage, KudosRepository, NewKudos } from '../../../src/core/recognition/types.ts'
import { PgKudosRepository } from '../../../src/storage/pg/repositories/recognition.ts'
import { SqliteKudosRepository } from '../../../src/storage/repositories/recognition.ts'
import { describeWithPostgres, withPostgresDatabase } from '../../support/postgres.ts'
import { freshSqlite, secondProcess } from './backends.ts'

const W = 'slack:T1'
const day = new Date('2025-03-05T00:00:00Z')
const at = new Date('2025-03-05T10:00:00Z')
const window = (giverId: string) => ({ workspace: W, giverId, dayStart: day, weekStart: new Date('2025-03-03T00:00:00Z') })
const given = (giverId: string, receiverId: string, key: string, over: Partial<NewKudos> = {}): NewKudos => ({
  workspace: W,
  kind: 'given',
  source: 'command',
  giverId,
  giverName: giverId,
  receiverId,
  receiverName: `name-${receiverId}`,
  reason: 'thanks',
  key,
  isPublic: true,
  ...over,
})
const auto = (receiverId: string, key: string): NewKudos => ({
  workspace: W,
  kind: 'auto',
  source: 'task-done',
  receiverId,
  receiverName: receiverId,
  reason: 'done',
  key,
  isPublic: true,
})
/** At most `perDay` a day, like the core's allowance. */
const allowance = (perDay: number) => (u: GiverUsage, fresh: NewKudos[]) => (u.today + fresh.length > perDay ? 'over' : undefined)
const describePg = await describeWithPostgres()

describe('KudosRepository on sqlite', () => {
  contract(async () => new SqliteKudosRepository(freshSqlite()))
})

describePg('KudosRepository on postgres', () => {
  const pg = withPostgresDatabase()
  contract(async () => {
    await pg.reset()
    return new PgKudosRepository(pg.db)
  })

  it('the same giver on two processes at once cannot give past the allowance', async () => {
    await pg.reset()
    const repos = [new PgKudosRepository(pg.db), new PgKudosRepository(await secondProcess(pg.url))]
    const outcomes = await Promise.all(
      Array.from({ length: 6 }, (_, i) => repos[i % 2]!.giveChecked([given('U_A', `U_${i}`, `race-${i}`)], window('U_A'), allowance(3), at)),
    )
    expect(outcomes.filter((o) => o.ok)).toHaveLength(3)
    expect((await repos[0]!.usage(window('U_A'))).today).toBe(3)
  })
})

function contract(make: () => Promise<KudosRepository>): void {
  it('gives once per key, refuses past the allowance, and counts usage today and per receiver this week', async () => {
    const repo = await make()
    const first = await repo.giveChecked([given('U_A', 'U_B', 'e1'), given('U_A', 'U_C', 'e1b')], window('U_A'), allowance(3), at)
    expect(first.ok && first.inserted.map((k) => k.receiverId)).toEqual(['U_B', 'U_C'])
    const replay = await repo.giveChecked([given('U_A', 'U_B', 'e1')], window('U_A'), allowance(3), at)
    expect(replay.ok && replay.inserted.length === 0 && replay.duplicates.map((k) => k.key)).toEqual(['e1'])
    expect(await repo.giveChecked([given('U_A', 'U_B', 'e2'), given('U_A', 'U_D', 'e3')], window('U_A'), allowance(3), at)).toEqual({
      ok: false,
      refusal: 'over',
    })
    const u = await repo.usage(window('U_A'))
    expect(u.today).toBe(2)
    expect([...u.thisWeek.entries()].sort()).toEqual([
      ['U_B', 1],
      ['U_C', 1],
    ])
    expect((await repo.credit([auto('U_B', 'task:1'), auto('U_B', 'task:1')], at)).length).toBe(1)
    expect(await repo.credit([auto('U_B', 'task:1')], at)).toEqual([])
    const recent = await repo.recent(W, 'U_B', 'received', 10)
    expect(recent.map((k) => k.kind).sort()).toEqual(['auto', 'given'])
    expect(recent[0]!.createdAt).toEqual(at)
  })

  it('ranks by distinct givers, leaves automatic credits and other audiences out, and sums a week', async () => {
    const repo = await make()
    await repo.credit(
      [
        given('U_A', 'U_B', 'k1', { value: 'ownership' }),
        given('U_C', 'U_B', 'k2'),
        given('U_A', 'U_D', 'k3'),
        given('U_A', 'U_D', 'k4'),
        given('U_A', 'U_D', 'k5'),
        given('U_C', 'U_E', 'k6', { isPublic: false, conversationId: 'G_PRIVATE' }),
        auto('U_F', 'k7'),
        auto('U_F', 'k8'),
      ],
      at,
    )
    const board = await repo.leaderboard({ workspace: W, limit: 10 })
    expect(board).toEqual([
      { receiverId: 'U_B', receiverName: 'name-U_B', givers: 2, count: 2 },
      { receiverId: 'U_D', receiverName: 'name-U_D', givers: 1, count: 3 },
    ])
    expect((await repo.leaderboard({ workspace: W, limit: 10, shownIn: 'G_PRIVATE' })).map((r) => r.receiverId)).toEqual(['U_B', 'U_D', 'U_E'])
    expect(await repo.leaderboard({ workspace: W, limit: 10, since: new Date('2025-03-06T00:00:00Z') })).toEqual([])
    expect((await repo.leaderboard({ workspace: W, limit: 10, value: 'ownership' })).map((r) => r.receiverId)).toEqual(['U_B'])
    expect(await repo.totals(W, 'U_F')).toEqual({ received: 0, receivedFrom: 0, auto: 2, given: 0 })
    expect(await repo.totals(W, 'U_A')).toEqual({ received: 0, receivedFrom: 0, auto: 0, given: 4 })
    const week = await repo.weekSummary(W, new Date('2025-03-03T00:00:00Z'), new Date('2025-03-10T00:00:00Z'), 1)
    expect(week).toEqual({
      total: 5,
      givers: 2,
      top: [{ receiverId: 'U_B', receiverName: 'name-U_B', givers: 2, count: 2 }],
      values: [{ value: 'ownership', count: 1 }],
      auto: [{ source: 'task-done', count: 2, people: 1 }],
    })
  })

  it('announces once, digests each channel once a week, and forgets a workspace', async () => {
    const repo = await make()
    await repo.credit([given('U_A', 'U_B', 'r1')], at)
    expect(await repo.claimAnnouncement(W, 'r1', at)).toBe(true)
    expect(await repo.claimAnnouncement(W, 'r1', at)).toBe(false)
    await repo.releaseAnnouncement(W, 'r1')
    expect(await repo.claimAnnouncement(W, 'r1', at)).toBe(true)

    await repo.setDigest(W, 'C1', 'general', true, 'U_A', at)
    await repo.setDigest(W, 'C1', undefined, true, 'U_A', at)
    expect(await repo.digestEnabled(W, 'C1')).toBe(true)
    expect(await repo.digestChannels()).toEqual([{ workspace: W, conversationId: 'C1', conversationName: 'general' }])
    expect(await repo.claimDigestWeek(W, 'C1', '2025-W10')).toBe(true)
    expect(await repo.claimDigestWeek(W, 'C1', '2025-W10')).toBe(false)
    await repo.releaseDigestWeek(W, 'C1', '2025-W10', undefined)
    expect(await repo.claimDigestWeek(W, 'C1', '2025-W10')).toBe(true)
    await repo.setDigest(W, 'C1', undefined, false, 'U_A', at)
    expect(await repo.claimDigestWeek(W, 'C1', '2025-W11')).toBe(false)
    expect(await repo.removeWorkspace(W)).toBe(1)
    expect(await repo.digestEnabled(W, 'C1')).toBe(false)
  })
}
