/**
 * On PostgreSQL a delivery's two writes after its ack — its activity record and its inbox finish —
 * go out in one statement with those of its neighbours (src/storage/pg/after-ack.ts). What a user
 * would notice if that went wrong: a finished delivery replayed (its row left pending), a body kept,
 * another process's row finished, an event counted twice or lost with a neighbour's bad row.
 */
import { beforeEach, expect, it } from 'vitest'
import type { ActivityEvent } from '../../src/core/adoption/types.ts'
import { PgActivityRepository } from '../../src/storage/pg/repositories/adoption-activity.ts'
import { PgInbox } from '../../src/storage/pg/repositories/inbox.ts'
import { describeWithPostgres, withPostgresDatabase } from '../support/postgres.ts'

const describePg = await describeWithPostgres()
const W = 'slack:T1'
const AT = '2026-01-06T10:00:00Z'
// Quotes, backslashes, braces and commas: what an array parameter has to escape.
const ODD = 'host|1|"a",{b}\\c'
const ev = (personId: string, sourceKey: string | undefined, iso = AT): ActivityEvent => ({
  workspace: W,
  conversationId: 'C1',
  personId,
  kind: 'message',
  at: new Date(iso),
  ...(sourceKey ? { sourceKey } : {}),
})
const row = (key: string, owner = ODD) => ({
  source: 'slack',
  key,
  body: JSON.stringify({ key, text: 'say "hi" \\ {}' }),
  owner,
  leaseUntil: 1_000,
  receivedAt: 500,
})

describePg('after-ack writes on postgres', () => {
  const pg = withPostgresDatabase()
  let inbox: PgInbox
  let activity: PgActivityRepository
  beforeEach(async () => {
    await pg.reset()
    inbox = new PgInbox(pg.db)
    activity = new PgActivityRepository(pg.db)
  })
  const states = async () =>
    (await pg.db.$client.query<{ key: string; state: string; body: string }>('select key, state, body from inbox order by id')).rows

  it('finishes and activity records sent together both commit: repeated keys count once, another owner’s row stays pending', async () => {
    const ids = await Promise.all(['event:A', 'event:B', 'event:C'].map((k) => inbox.insert(row(k, k === 'event:C' ? 'host|2|b' : ODD))))
    const [a, b, c] = ids as number[]
    const results = await Promise.all([
      activity.record(ev('U1', 'ev:C1:A')),
      inbox.finish(a!, 2_000, ODD).then(() => 'finished'),
      activity.record(ev('U1', 'ev:C1:A')), // a platform retry racing its original: counted once
      activity.record(ev('U2', undefined)),
      inbox.finish(b!, 2_000, ODD).then(() => 'finished'),
      inbox.finish(c!, 2_000, ODD).then(() => 'finished'), // not ours: nothing happens
      activity.record(ev('U2', undefined)), // twins without a key both count
    ])
    expect(results).toEqual([true, 'finished', false, true, 'finished', 'finished', true])
    expect(await states()).toEqual([
      { key: 'event:A', state: 'done', body: '' },
      { key: 'event:B', state: 'done', body: '' },
      { key: 'event:C', state: 'pending', body: row('event:C').body },
    ])
    const counts = await activity.weekCounts(W, ['C1'], '2026-01-05')
    expect(counts.sort((x, y) => x.personId.localeCompare(y.personId))).toEqual([
      { personId: 'U1', kind: 'message', count: 1 },
      { personId: 'U2', kind: 'message', count: 2 },
    ])
  })

  it('a bad event is refused alone: the finishes and events gathered with it still commit', async () => {
    const ids = (await Promise.all(Array.from({ length: 40 }, (_, i) => inbox.insert(row(`event:Ev${i}`))))) as number[]
    const together = await Promise.allSettled([
      ...ids.map((id) => inbox.finish(id, 3_000, ODD)),
      ...ids.map((_, i) => activity.record(ev(`U${i % 7}`, `ev:C1:Ev${i}`))),
      activity.record(ev('U9', 'ev:C1:Bad', 'not a date')),
    ])
    expect(together.map((r) => r.status)).toEqual([...ids.map(() => 'fulfilled'), ...ids.map(() => 'fulfilled'), 'rejected'])
    expect((await states()).every((r) => r.state === 'done' && r.body === '')).toBe(true)
    const counts = await activity.weekCounts(W, ['C1'], '2026-01-05')
    expect(counts.reduce((n, r) => n + r.count, 0)).toBe(40)
    // Replayed after a crash: the delivery's activity is not counted again.
    expect(await activity.record(ev('U0', 'ev:C1:Ev0'))).toBe(false)
  })

  it('a gathering of finishes alone, or of one finish, finishes each row once', async () => {
    const ids = (await Promise.all(Array.from({ length: 3 }, (_, i) => inbox.insert(row(`event:F${i}`))))) as number[]
    await Promise.all(ids.slice(0, 2).map((id) => inbox.finish(id, 4_000, ODD)))
    await inbox.finish(ids[2]!, 4_000, ODD)
    expect((await states()).map((r) => r.state)).toEqual(['done', 'done', 'done'])
    expect(await inbox.insert(row('event:F0'))).toBeUndefined()
  })
})
