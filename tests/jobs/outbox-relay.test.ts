/**
 * The relay reads a batch of outbox rows, then adds them to Redis one by one. A cancel or an
 * uninstall's purge that deletes a row in between must win: the job must not reach Redis
 * afterwards. The moment is chosen, not timed: the outbox store is the real SQLite one wrapped so
 * that `take` (the batch read) or `has` (the relay's re-check) waits on a gate the test opens.
 */
import { Queue } from 'bullmq'
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest'
import { z } from 'zod'
import { silentLogger } from '../../src/core/logger.ts'
import { dedupeJobId } from '../../src/jobs/bullmq-jobs.ts'
import { BullmqJobQueue } from '../../src/jobs/bullmq-queue.ts'
import { JobOutbox, type NewOutboxRow, type OutboxRow, type OutboxStore, recheckedRelay } from '../../src/jobs/outbox.ts'
import { closeDb, openMemoryDb, type Db } from '../../src/storage/db.ts'
import { describeWithRedis, getTestRedis, type TestRedis } from '../support/redis.ts'

const nudge = { name: 'nudge', schema: z.object({ workspace: z.string() }) }
const ALL_STATES = ['waiting', 'delayed', 'prioritized', 'waiting-children', 'active', 'completed', 'failed'] as const

function gate(): { open: () => void; opened: Promise<void> } {
  let open = () => {}
  const opened = new Promise<void>((r) => {
    open = r
  })
  return { open, opened }
}

/** The real outbox; `take` / `has` tell the test they read, then wait for `release` before answering. */
class HeldOutbox implements OutboxStore {
  /** Hold the first batch read, or the re-check of this job id. */
  hold: 'take' | { has: string } | undefined
  readonly reached = gate()
  readonly release = gate()
  /** Resolves when the relay asks for a batch again after the held one: it is done with it. */
  readonly batchDone = gate()
  private takes = 0
  constructor(private readonly inner: JobOutbox) {}
  stage(row: NewOutboxRow, committed: () => void): void {
    this.inner.stage(row, committed)
  }
  add(row: NewOutboxRow): Promise<boolean> {
    return this.inner.add(row)
  }
  async take(limit: number): Promise<OutboxRow[]> {
    const rows = await this.inner.take(limit)
    if (++this.takes > 1) this.batchDone.open()
    if (this.hold === 'take' && this.takes === 1) await this.held()
    return rows
  }
  async has(jobId: string): Promise<boolean> {
    const there = await this.inner.has(jobId)
    if (typeof this.hold === 'object' && this.hold.has === jobId) await this.held()
    return there
  }
  relayOnce<T>(jobId: string, add: () => Promise<T>): Promise<T | undefined> {
    return recheckedRelay(this, jobId, add) // through `has` above, where the test holds it
  }
  remove(jobId: string): Promise<boolean> {
    return this.inner.remove(jobId)
  }
  purgeWorkspace(workspace: string): Promise<number> {
    return this.inner.purgeWorkspace(workspace)
  }
  count(): Promise<number> {
    return this.inner.count()
  }
  private async held(): Promise<void> {
    this.hold = undefined
    this.reached.open()
    await this.release.opened
  }
}

describeWithRedis()('outbox relay against a concurrent cancel or uninstall (BullMQ)', () => {
  let redis: TestRedis
  let db: Db
  let outbox: HeldOutbox
  let queue: BullmqJobQueue
  let inspect: Queue
  let n = 0

  beforeAll(async () => {
    redis = await getTestRedis()
  })
  afterAll(async () => {
    await redis?.stop()
  })
  beforeEach(() => {
    const prefix = `${redis.prefix}-${++n}`
    db = openMemoryDb()
    outbox = new HeldOutbox(new JobOutbox(db))
    // No worker is started: a job that reached Redis stays there, waiting, for the test to see.
    queue = new BullmqJobQueue({ redisUrl: redis.url, prefix, log: silentLogger, outbox, relayIntervalMs: 60_000 })
    queue.register(nudge, async () => {})
    inspect = new Queue('beacon', { connection: { url: redis.url }, prefix })
  })
  afterEach(async () => {
    outbox.release.open()
    await queue.close()
    await inspect.close()
    closeDb(db)
  })

  /** A row accepted while this process was not relaying (another process, or Redis down at the time). */
  const accepted = (key: string, workspace: string) => {
    const now = Date.now()
    const row = { jobId: dedupeJobId(nudge.name, key), name: nudge.name, data: JSON.stringify({ workspace }), runAt: now }
    return outbox.add({ ...row, attempts: 1, backoffMs: 1000, createdAt: now })
  }
  const jobsInRedis = async () => (await inspect.getJobs([...ALL_STATES])).map((j) => j.data as unknown)
  /** Starts the relay: an enqueue does, and this one reaches Redis (a control that the relay really ran). */
  const startRelay = () => queue.enqueue(nudge, { workspace: 'T-other' }, { dedupeKey: 'control' })

  it('a job cancelled while its row is in the batch being relayed never reaches Redis', async () => {
    await accepted('k1', 'T1')
    outbox.hold = 'take'
    await startRelay()
    await outbox.reached.opened // the relay holds a batch with k1 in it
    expect(await queue.cancel(nudge, 'k1')).toBe(true)
    outbox.release.open()
    await outbox.batchDone.opened
    expect(await jobsInRedis()).toEqual([{ workspace: 'T-other' }])
  })

  it("an uninstalled workspace's rows in the batch being relayed never reach Redis", async () => {
    await accepted('k1', 'T1')
    await accepted('k2', 'T2')
    outbox.hold = 'take'
    await startRelay()
    await outbox.reached.opened
    expect(await queue.purgeWorkspace('T1')).toBe(1)
    outbox.release.open()
    await outbox.batchDone.opened
    const left = await jobsInRedis()
    expect(left).toHaveLength(2)
    expect(left).toEqual(expect.arrayContaining([{ workspace: 'T-other' }, { workspace: 'T2' }]))
  })

  it('a cancel arriving while its row is being added waits for the add, then removes the job from Redis', async () => {
    await accepted('k1', 'T1')
    outbox.hold = { has: dedupeJobId(nudge.name, 'k1') }
    await startRelay()
    await outbox.reached.opened // the relay has re-checked k1 and is about to add it
    const cancelled = queue.cancel(nudge, 'k1')
    outbox.release.open()
    expect(await cancelled).toBe(true)
    await outbox.batchDone.opened
    expect(await jobsInRedis()).toEqual([{ workspace: 'T-other' }])
  })

  it('an uninstall arriving while a row of its workspace is being added removes that job from Redis', async () => {
    await accepted('k1', 'T1')
    outbox.hold = { has: dedupeJobId(nudge.name, 'k1') }
    await startRelay()
    await outbox.reached.opened
    const purged = queue.purgeWorkspace('T1')
    outbox.release.open()
    expect(await purged).toBeGreaterThanOrEqual(1)
    await outbox.batchDone.opened
    expect(await jobsInRedis()).toEqual([{ workspace: 'T-other' }])
  })
})
