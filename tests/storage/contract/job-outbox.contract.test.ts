/**
 * The BullMQ outbox's relay of one row (`relayOnce`), on SQLite and on PostgreSQL: a waiting row is
 * added once and then deleted, a row gone meanwhile is not added, a failed add keeps the row. On
 * PostgreSQL several web processes share the table: two relays (two pools) never add one row twice,
 * and a cancel from another process while a row is being added waits, then finds it relayed.
 */
import { describe, expect, it } from 'vitest'
import { JobOutbox, type NewOutboxRow, type OutboxStore } from '../../../src/jobs/outbox.ts'
import { PgJobOutbox } from '../../../src/storage/pg/repositories/job-outbox.ts'
import { describeWithPostgres, withPostgresDatabase } from '../../support/postgres.ts'
import { freshSqlite, secondProcess } from './backends.ts'

const describePg = await describeWithPostgres()
const row = (jobId: string): NewOutboxRow => ({ jobId, name: 'nudge', data: '{}', runAt: 0, attempts: 1, backoffMs: 0, createdAt: 0 })

function gate(): { open: () => void; opened: Promise<void> } {
  let open = () => {}
  const opened = new Promise<void>((r) => {
    open = r
  })
  return { open, opened }
}

describe('job outbox on sqlite', () => {
  contract(async () => new JobOutbox(freshSqlite()))
})

describePg('job outbox on postgres', () => {
  const pg = withPostgresDatabase()
  contract(async () => {
    await pg.reset()
    return new PgJobOutbox(pg.db)
  })

  it('two processes relaying the same rows at once add each row once', async () => {
    await pg.reset()
    const relays = [new PgJobOutbox(pg.db), new PgJobOutbox(await secondProcess(pg.url))]
    const ids = Array.from({ length: 40 }, (_, i) => `j.${i}`)
    for (const id of ids) await relays[0]!.add(row(id))
    const adds = new Map<string, number>()
    // Each relay reads every row, then relays them one by one, as OutboxRelay.drain does; the add
    // yields (as a Redis round trip does), so the two interleave row by row.
    await Promise.all(
      relays.map(async (relay) => {
        for (const r of await relay.take(100)) {
          await relay.relayOnce(r.jobId, async () => {
            adds.set(r.jobId, (adds.get(r.jobId) ?? 0) + 1)
            await new Promise((done) => setImmediate(done))
          })
        }
      }),
    )
    expect([...adds.keys()].sort()).toEqual([...ids].sort())
    expect([...adds.values()].every((n) => n === 1)).toBe(true)
    expect(await relays[0]!.count()).toBe(0)
  })

  it('a row being added by one process is skipped by the other, not added again', async () => {
    await pg.reset()
    const [a, b] = [new PgJobOutbox(pg.db), new PgJobOutbox(await secondProcess(pg.url))]
    await a.add(row('j.1'))
    const { release, result: first } = await holdInAdd(a, 'j.1', 'added by a')
    let secondAdd = false
    expect(
      await b.relayOnce('j.1', async () => {
        secondAdd = true
      }),
    ).toBeUndefined()
    expect(secondAdd).toBe(false)
    release.open()
    expect(await first).toBe('added by a')
    expect(await b.has('j.1')).toBe(false)
  })

  it("a cancel from another process during the add waits for it, then finds the row relayed (the job is Redis's to cancel)", async () => {
    await pg.reset()
    const other = await secondProcess(pg.url)
    const [a, b] = [new PgJobOutbox(pg.db), new PgJobOutbox(other)]
    await a.add(row('j.1'))
    const { release, result: relayed } = await holdInAdd(a, 'j.1', true)
    const cancel = b.remove('j.1')
    // The cancel's delete reached PostgreSQL and waits on the relay's claim.
    // No cap on the wait: on a busy machine the delete may take a while to arrive; the test's timeout bounds it.
    while (!(await waitingOnLock(pg.db.$client))) await new Promise((done) => setImmediate(done))
    release.open()
    expect(await relayed).toBe(true)
    expect(await cancel).toBe(false)
  })
})

/** `relay` claims `jobId` and stays inside its add (as inside a Redis round trip) until `release` opens. */
async function holdInAdd<T>(relay: OutboxStore, jobId: string, value: T): Promise<{ release: { open(): void }; result: Promise<T | undefined> }> {
  const inAdd = gate()
  const release = gate()
  const result = relay.relayOnce(jobId, async () => {
    inAdd.open()
    await release.opened
    return value
  })
  await inAdd.opened
  return { release, result }
}

async function waitingOnLock(pool: { query: (q: string) => Promise<{ rows: { n: number }[] }> }): Promise<boolean> {
  const { rows } = await pool.query(
    `select count(*)::int as n from pg_stat_activity
      where datname = current_database() and wait_event_type = 'Lock' and query like 'delete from "job_outbox"%'`,
  )
  return (rows[0]?.n ?? 0) > 0
}

function contract(make: () => Promise<OutboxStore>): void {
  it('relays a waiting row once and deletes it; a row gone meanwhile is not added; a failed add keeps the row', async () => {
    const outbox = await make()
    await outbox.add(row('j.1'))
    await outbox.add(row('j.2'))
    expect(await outbox.relayOnce('j.1', async () => 'job 1')).toBe('job 1')
    expect(await outbox.has('j.1')).toBe(false)
    let added = false
    expect(
      await outbox.relayOnce('j.1', async () => {
        added = true
      }),
    ).toBeUndefined()
    expect(added).toBe(false)
    await expect(
      outbox.relayOnce('j.2', async () => {
        throw new Error('redis went away')
      }),
    ).rejects.toThrow('redis went away')
    expect(await outbox.has('j.2')).toBe(true)
    expect(await outbox.relayOnce('j.2', async () => 'job 2')).toBe('job 2')
    expect(await outbox.count()).toBe(0)
  })
}
