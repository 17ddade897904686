/**
 * The delivery inbox's table on SQLite and PostgreSQL: a key is accepted once, a take-over is won by
 * one process only, a finished row forgets its body but keeps the key, effects only grow, and a
 * removed workspace's bodies go while other rows (and the removal's own) stay.
 */
import { describe, expect, it } from 'vitest'
import { PgInbox } from '../../../src/storage/pg/repositories/inbox.ts'
import { type InboxStore, SqliteInbox } from '../../../src/storage/repositories/inbox.ts'
import { describeWithPostgres, withPostgresDatabase } from '../../support/postgres.ts'
import { freshSqlite, secondProcess } from './backends.ts'

const describePg = await describeWithPostgres()
const row = (key: string, body: unknown = { key }, owner = 'host|1|a') => ({
  source: 'slack',
  key,
  body: JSON.stringify(body),
  owner,
  leaseUntil: 1_000,
  receivedAt: 500,
})

describe('inbox store on sqlite', () => {
  contract(async () => {
    const db = freshSqlite()
    return [new SqliteInbox(db), new SqliteInbox(db)]
  })
})

describePg('inbox store on postgres', () => {
  const pg = withPostgresDatabase()
  contract(async () => {
    await pg.reset()
    return [new PgInbox(pg.db), new PgInbox(await secondProcess(pg.url))]
  })
})

/** `make` gives two handles on one database: two processes. */
function contract(make: () => Promise<[InboxStore, InboxStore]>): void {
  it('accepts a key once per source; finishing drops the body and keeps the key', async () => {
    const [a, b] = await make()
    const id = await a.insert(row('event:Ev1'))
    expect(id).toBeTypeOf('number')
    expect(await b.insert(row('event:Ev1'))).toBeUndefined()
    expect(await b.insert({ ...row('event:Ev1'), source: 'teams' })).toBeTypeOf('number')
    await b.finish(id!, 2_000, 'someone else') // not the owner: nothing happens
    expect(await a.pendingNotOwnedBy('slack', 'host|2|b')).toHaveLength(1)
    await a.finish(id!, 2_000, 'host|1|a')
    expect(await a.pendingNotOwnedBy('slack', 'host|2|b')).toEqual([])
    expect(await b.insert(row('event:Ev1'))).toBeUndefined()
    expect(await a.purgeFinished('done', 1_999)).toBe(0)
    expect(await a.purgeFinished('done', 2_001)).toBe(1)
    expect(await b.insert(row('event:Ev1'))).toBeTypeOf('number')
  })

  it('of two processes taking over an abandoned row only one wins, and it counts a try', async () => {
    const [a, b] = await make()
    await a.insert(row('event:Ev2', { x: 1 }, 'dead|1|x'))
    const [seenByA] = await a.pendingNotOwnedBy('slack', 'host|1|a')
    const [seenByB] = await b.pendingNotOwnedBy('slack', 'host|2|b')
    const wins = await Promise.all([a.takeOver(seenByA!, 'host|1|a', 9_000), b.takeOver(seenByB!, 'host|2|b', 9_000)])
    expect(wins.filter(Boolean)).toHaveLength(1)
    const [after] = await a.pendingNotOwnedBy('slack', 'nobody')
    expect(after).toMatchObject({ attempts: 2, leaseUntil: 9_000, owner: wins[0] ? 'host|1|a' : 'host|2|b' })
    await a.renew([after!.id], after!.owner!, 12_000)
    expect((await a.pendingNotOwnedBy('slack', 'nobody'))[0]?.leaseUntil).toBe(12_000)
    await a.release(after!.id, 'boom', after!.owner!)
    expect((await a.pendingNotOwnedBy('slack', 'nobody'))[0]).toMatchObject({ owner: null, leaseUntil: null, lastError: 'boom' })
    const released = (await a.pendingNotOwnedBy('slack', 'nobody'))[0]!
    await a.park(released, 20_000, 'gave up')
    expect(await a.pendingNotOwnedBy('slack', 'nobody')).toEqual([])
    expect(await a.purgeFinished('parked', 20_001)).toBe(1)
  })

  it('deliveries arriving together: a key twice gets one id, for the first; a bad row is refused alone', async () => {
    const [a] = await make()
    // Sent in one turn: the backends write them together (one statement on PostgreSQL).
    const together = await Promise.allSettled([
      a.insert(row('event:Dup')),
      a.insert(row('event:Dup')),
      a.insert({ ...row('event:Bad'), body: null as unknown as string }),
      a.insert(row('event:Ok')),
    ])
    expect(together.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled'])
    const [dup, again, , ok] = together.map((r) => (r.status === 'fulfilled' ? r.value : 'refused'))
    expect(dup).toBeTypeOf('number')
    expect(again).toBeUndefined()
    expect(ok).toBeTypeOf('number')
    expect((await a.pendingNotOwnedBy('slack', 'nobody')).map((r) => r.key).sort()).toEqual(['event:Dup', 'event:Ok'])
    // Finishes together: each row keeps its own owner guard.
    await Promise.all([a.finish(dup as number, 2_000, 'host|1|a'), a.finish(ok as number, 2_000, 'someone else')])
    expect((await a.pendingNotOwnedBy('slack', 'nobody')).map((r) => r.key)).toEqual(['event:Ok'])
    expect(await a.insert(row('event:Bad'))).toBeTypeOf('number')
  })

  it('a burst of deliveries in one turn, small or large: each keeps its own body and id, a repeated key is a duplicate', async () => {
    const [a] = await make()
    // PostgreSQL writes a few rows with one parameter per value and many as arrays: both ways, bodies
    // full of quotes and backslashes come back byte for byte.
    for (const n of [3, 45]) {
      const keys = Array.from({ length: n }, (_, i) => `event:Burst${n}-${i}`)
      // One of them a 1 MB message (Slack's text limit is far below; a hostile payload is not).
      const body = (k: string) => ({ key: k, text: k.endsWith('-1') ? 'ß"\\'.repeat(350_000) : 'say "hi" \\ {}', emoji: 'é✓' })
      const ids = await Promise.all([...keys.map((k) => a.insert(row(k, body(k)))), a.insert(row(keys[0]!))])
      expect(ids.at(-1)).toBeUndefined()
      expect(new Set(ids.slice(0, n)).size).toBe(n)
      expect(ids.slice(0, n).every((id) => typeof id === 'number')).toBe(true)
      const stored = (await a.pendingNotOwnedBy('slack', 'nobody')).filter((r) => r.key.startsWith(`event:Burst${n}-`))
      expect(stored.map((r) => [r.key, JSON.parse(r.body)]).sort()).toEqual(keys.map((k) => [k, body(k)]).sort())
    }
  })

  it('effects only grow', async () => {
    const [a] = await make()
    const id = (await a.insert(row('command:t1')))!
    await a.recordEffect(id, 2)
    await a.recordEffect(id, 1)
    expect(await a.effects(id)).toBe(2)
  })

  it('removes the bodies of a removed workspace, keeping the removal and other workspaces', async () => {
    const [a] = await make()
    const gone = (await a.insert(row('event:1', { team_id: 'T9' })))!
    const removal = (await a.insert(row('event:2', { team_id: 'T9' })))!
    await a.insert(row('event:3', { team_id: 'T1', text: 'mentions T9' }))
    const n = await a.removeBodies('slack', 'T9', (body) => (body as { team_id?: string }).team_id === 'T9', removal)
    expect(n).toBe(1)
    const left = (await a.pendingNotOwnedBy('slack', 'nobody')).map((r) => r.id)
    expect(left).not.toContain(gone)
    expect(left).toContain(removal)
    expect(left).toHaveLength(2)
  })
}
