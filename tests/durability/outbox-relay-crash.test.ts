/**
 * The BullMQ outbox relay dying between `queue.add` (Redis has the job) and deleting the outbox
 * row (SQLite still has it): the next process relays the row again. That second add must be a
 * no-op — the row carries the job id it was first added under — whether the job is still waiting
 * or already ran and finished, so nothing runs twice and nothing is lost.
 *
 * The crash point is chosen, not timed: process A's own SQLite connection gets a TEMP trigger that
 * aborts every delete from job_outbox, so A's relay always stops right after Redis accepted the job.
 * Process B opens the same file on its own connection (no trigger) and relays what A left.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Queue } from 'bullmq'
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest'
import { z } from 'zod'
import { silentLogger } from '../../src/core/logger.ts'
import { BullmqJobQueue } from '../../src/jobs/bullmq-queue.ts'
import { closeDb, openDb, type Db } from '../../src/storage/db.ts'
import { BullmqObserver } from '../support/jobs.ts'
import { describeWithRedis, getTestRedis, type TestRedis } from '../support/redis.ts'
import { waitFor } from '../support/wait.ts'

const report = { name: 'report', schema: z.object({ n: z.number() }) }
const ALL_STATES = ['waiting', 'delayed', 'prioritized', 'waiting-children', 'active', 'completed', 'failed'] as const

/** Process A: every delete from the outbox fails on this connection, as if the process died right there. */
function diesBeforeRemovingRows(db: Db): void {
  db.$client.exec(
    `CREATE TEMP TRIGGER die_before_outbox_delete BEFORE DELETE ON main.job_outbox BEGIN SELECT RAISE(ABORT, 'process killed here'); END`,
  )
}

const outboxIds = (db: Db) => (db.$client.prepare('SELECT job_id FROM job_outbox ORDER BY seq').all() as { job_id: string }[]).map((r) => r.job_id)

describeWithRedis()('outbox relay crash between queue.add and removing the row (BullMQ)', () => {
  let redis: TestRedis
  let dir: string
  let prefix: string
  let dbA: Db
  let dbB: Db
  let inspect: Queue
  const queues: BullmqJobQueue[] = []

  beforeAll(async () => {
    redis = await getTestRedis()
  })
  afterAll(async () => {
    await redis?.stop()
  })
  beforeEach((ctx) => {
    dir = mkdtempSync(join(tmpdir(), 'beacon-relay-crash-'))
    prefix = `${redis.prefix}-${ctx.task.id}`
    dbA = openDb(join(dir, 'beacon.db'))
    dbB = openDb(join(dir, 'beacon.db'), { migrate: false })
    inspect = new Queue('beacon', { connection: { url: redis.url }, prefix })
  })
  afterEach(async () => {
    for (const q of queues.splice(0)) await q.close()
    await inspect.close()
    closeDb(dbA)
    closeDb(dbB)
    rmSync(dir, { recursive: true, force: true })
  })

  const queueOn = (db: Db) => {
    const q = new BullmqJobQueue({ redisUrl: redis.url, prefix, db, log: silentLogger, relayIntervalMs: 50 })
    queues.push(q)
    return q
  }
  const jobsInRedis = async () => (await inspect.getJobs([...ALL_STATES])).map((j) => j.id).sort()

  it('a job still waiting in Redis: the rerun relays the row as a no-op, and the job runs once', { timeout: 30_000 }, async () => {
    diesBeforeRemovingRows(dbA)
    const a = queueOn(dbA) // accepts and relays, runs nothing (its worker never starts)
    a.register(report, async () => {})
    // Connected first, so each enqueue hands its job to Redis inline (A's background relay would
    // stop at the first row it cannot delete and never reach the second).
    await waitFor(() => a.ping(), 'A connected to Redis', 10_000)
    await a.enqueue(report, { n: 1 }) // no dedupe key: the row's random id is the only thing that can make the re-add a no-op
    await a.enqueue(report, { n: 2 }, { dedupeKey: 'two' })
    const left = outboxIds(dbA)
    expect(left).toHaveLength(2)
    await waitFor(async () => (await jobsInRedis()).length === 2, 'both jobs added to Redis by A', 10_000)
    expect(await jobsInRedis()).toEqual([...left].sort()) // the window: in Redis and still in the outbox
    await a.close()

    const runs: { n: number; jobId: string }[] = []
    const b = queueOn(dbB)
    b.register(report, async (d, ctx) => void runs.push({ n: d.n, jobId: ctx.jobId }))
    await b.start()
    await waitFor(() => outboxIds(dbB).length === 0, 'B to relay what A left', 10_000)
    const observer = new BullmqObserver(redis.url, prefix, dbB)
    await observer.idle().finally(() => observer.close())

    expect(await jobsInRedis()).toEqual([...left].sort()) // no second job under another id
    expect(runs.sort((x, y) => x.n - y.n)).toEqual([
      { n: 1, jobId: left[0] },
      { n: 2, jobId: left[1] },
    ])
  })

  it('a job that already ran and finished: relaying its row again does not run it a second time', { timeout: 30_000 }, async () => {
    diesBeforeRemovingRows(dbA)
    const runs: string[] = []
    const a = queueOn(dbA)
    a.register(report, async (_d, ctx) => void runs.push(`A ${ctx.jobId}`))
    await a.start()
    await a.enqueue(report, { n: 3 })
    const [id] = outboxIds(dbA)
    await waitFor(async () => (await inspect.getJobState(id!)) === 'completed', 'the job to finish in A', 10_000)
    expect(outboxIds(dbA)).toEqual([id]) // finished, and its row was never removed
    await a.close()

    const b = queueOn(dbB)
    b.register(report, async (_d, ctx) => void runs.push(`B ${ctx.jobId}`))
    await b.start()
    await waitFor(() => outboxIds(dbB).length === 0, 'B to relay the leftover row', 10_000)
    const observer = new BullmqObserver(redis.url, prefix, dbB)
    await observer.idle().finally(() => observer.close())

    expect(await jobsInRedis()).toEqual([id])
    expect(await inspect.getJobState(id!)).toBe('completed')
    expect(runs).toEqual([`A ${id}`])
  })
})
