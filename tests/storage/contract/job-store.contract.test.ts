/**
 * The in-process queue's store, on SQLite and on PostgreSQL: dedupe, claims with leases, guarded
 * finishes, abandoned work coming back, schedules firing once. On PostgreSQL two processes (two
 * pools, two owners) claim from the same table at once and never get the same job.
 */
import { describe, expect, it } from 'vitest'
import type { NewJob } from '../../../src/jobs/in-process-store.ts'
import { SqliteJobStore } from '../../../src/jobs/in-process-store.ts'
import type { JobStore } from '../../../src/jobs/job-store.ts'
import { PgJobStore } from '../../../src/storage/pg/repositories/job-store.ts'
import { describeWithPostgres, withPostgresDatabase } from '../../support/postgres.ts'
import { freshSqlite, secondProcess } from './backends.ts'

const T0 = 1_700_000_000_000
const job = (over: Partial<NewJob> = {}): NewJob => ({
  name: 'n',
  data: '{"workspace":"slack:T1"}',
  dedupeKey: null,
  maxAttempts: 2,
  backoffMs: 10,
  runAt: T0,
  ...over,
})
const describePg = await describeWithPostgres()

/** Two stores, as two processes with their own owner id would have. */
type Make = () => Promise<[JobStore, JobStore]>

describe('job store on sqlite', () => {
  contract(async () => {
    const db = freshSqlite()
    return [new SqliteJobStore(db, 'host:1:a'), new SqliteJobStore(db, 'host:2:b')]
  })
})

describePg('job store on postgres', () => {
  const pg = withPostgresDatabase()
  contract(async () => {
    await pg.reset()
    return [new PgJobStore(pg.db, 'host:1:a'), new PgJobStore(await secondProcess(pg.url), 'host:2:b')]
  })

  it('two processes claiming at once never take the same job, and between them take all', async () => {
    await pg.reset()
    const a = new PgJobStore(pg.db, 'host:1:a')
    const b = new PgJobStore(await secondProcess(pg.url), 'host:2:b')
    for (let i = 0; i < 60; i++) await a.insert(job({ runAt: T0 + i }), T0)
    const claim = async (s: PgJobStore): Promise<string[]> => {
      const got: string[] = []
      for (;;) {
        const row = await s.claimNext(['n'], T0 + 1000, 60_000)
        if (!row) return got
        got.push(row.id)
      }
    }
    const [ga, gb, gc, gd] = await Promise.all([claim(a), claim(b), claim(a), claim(b)])
    const all = [...ga!, ...gb!, ...gc!, ...gd!]
    expect(all).toHaveLength(60)
    expect(new Set(all).size).toBe(60)
  })
})

function contract(make: Make): void {
  it('dedupes on (name, key), claims a due job once, leaves future ones, and only its owner finishes it', async () => {
    const [a, b] = await make()
    const first = await a.insert(job({ dedupeKey: 'k' }), T0)
    expect(await b.insert(job({ dedupeKey: 'k' }), T0)).toEqual({ id: first.id, deduped: true })
    expect((await a.insert(job(), T0)).deduped).toBe(false)
    expect((await a.insert(job(), T0)).deduped).toBe(false)
    await a.insert(job({ runAt: T0 + 10_000 }), T0)
    expect(await a.nextDue(['n'])).toBe(T0)

    const claimed = [await a.claimNext(['n'], T0, 1000), await b.claimNext(['n'], T0, 1000), await a.claimNext(['n'], T0, 1000)]
    expect(claimed.every((r) => r?.status === 'running' && r.attempt === 1)).toBe(true)
    expect(new Set(claimed.map((r) => r!.id)).size).toBe(3)
    expect(await b.claimNext(['n'], T0, 1000)).toBeUndefined() // the fourth is not due yet
    expect(await b.claimNext(['other'], T0 + 20_000, 1000)).toBeUndefined()

    const mine = claimed[0]!
    await b.finish(mine, 'completed', null, T0) // not b's: ignored
    expect(await a.cancelWaiting('n', 'k')).toBe(false) // running, not waiting
    await a.retryAt(mine, T0 + 5, 'boom')
    const again = await a.claimNext(['n'], T0 + 5, 1000)
    expect(again).toMatchObject({ id: mine.id, attempt: 2, lastError: 'boom' })
    await a.finish(again!, 'failed', 'boom twice', T0 + 6)
    expect(await a.purgeFinished(T0 + 7)).toBe(1)
  })

  it('work of a process that stopped renewing comes back, and fails once out of attempts', async () => {
    const [a, b] = await make()
    await a.insert(job({ maxAttempts: 2 }), T0)
    const row = await a.claimNext(['n'], T0, 1000)
    await a.renewLeases(T0 + 5000)
    expect(await b.reclaimAbandoned(T0 + 2000)).toBe(0) // renewed: still a's
    expect(await b.otherRunningOwners()).toEqual(['host:1:a'])
    await b.expireLeases(['host:1:a'], T0 + 3000)
    expect(await b.nextDue(['n'])).toBe(T0 + 2999)
    expect(await b.reclaimAbandoned(T0 + 3000)).toBe(1)
    await a.finish(row!, 'completed', null, T0 + 3001) // a lost it: its late finish must not count
    const retried = await b.claimNext(['n'], T0 + 3001, 1000)
    expect(retried).toMatchObject({ id: row!.id, attempt: 2, claimedBy: 'host:2:b' })
    await a.reclaimAbandoned(T0 + 10_000) // b died too, at its last attempt
    expect(await a.claimNext(['n'], T0 + 10_000, 1000)).toBeUndefined()
    expect(await a.purgeFinished(T0 + 10_001)).toBe(1)
  })

  it('a due schedule fires once however many processes try, and moves to its next time', async () => {
    const [a, b] = await make()
    await a.upsertSchedule({ name: 'n', key: 'n', cron: '* * * * *', timezone: 'UTC', data: '{}', nextRunAt: T0 }, T0)
    const [due] = await b.dueSchedules(['n'], T0)
    expect(due).toMatchObject({ name: 'n', nextRunAt: T0 })
    const fired = await Promise.all([
      a.fireSchedule(due!, T0 + 60_000, { maxAttempts: 1, backoffMs: 1 }, T0),
      b.fireSchedule(due!, T0 + 60_000, { maxAttempts: 1, backoffMs: 1 }, T0),
    ])
    expect(fired.filter(Boolean)).toHaveLength(1)
    expect((await a.getSchedule('n', 'n'))?.nextRunAt).toBe(T0 + 60_000)
    expect(await a.claimNext(['n'], T0, 1000)).toMatchObject({ name: 'n', runAt: T0 })
    expect(await a.claimNext(['n'], T0, 1000)).toBeUndefined()
    await a.deleteSchedule('n', 'n')
    expect(await a.dueSchedules(['n'], T0 + 120_000)).toEqual([])
  })

  it("forgets a workspace's jobs that are not running, and only that workspace's", async () => {
    const [a] = await make()
    await a.insert(job({ data: '{"workspace":"slack:T1","x":1}' }), T0)
    await a.insert(job({ data: '{"workspace":"slack:T1","x":2}' }), T0)
    await a.insert(job({ data: '{"workspace":"slack:T10"}' }), T0)
    await a.insert(job({ data: '{"note":"slack:T1 in text only"}' }), T0)
    await a.insert(job({ name: 'running', data: '{"workspace":"slack:T1"}' }), T0)
    await a.claimNext(['running'], T0, 1000) // running: its runner owns it until it ends
    expect(await a.purgeWorkspace('slack:T1')).toBe(2)
    const left = [await a.claimNext(['n'], T0, 1000), await a.claimNext(['n'], T0, 1000), await a.claimNext(['n'], T0, 1000)]
    expect(left.map((r) => r?.data).sort()).toEqual(['{"note":"slack:T1 in text only"}', '{"workspace":"slack:T10"}', undefined])
  })
}
