import { afterAll, beforeAll, expect, it } from 'vitest'
import { z } from 'zod'
import { silentLogger } from '../../src/core/logger.ts'
import { dedupeJobId } from '../../src/jobs/bullmq-jobs.ts'
import { BullmqJobQueue } from '../../src/jobs/bullmq-queue.ts'
import { createJobQueue } from '../../src/jobs/create-queue.ts'
import { sqliteStorage } from '../../src/storage/open.ts'
import { InProcessJobQueue } from '../../src/jobs/in-process-queue.ts'
import { closeDb, openMemoryDb } from '../../src/storage/db.ts'
import { BullmqObserver } from '../support/jobs.ts'
import { describeWithRedis, getTestRedis, type TestRedis } from '../support/redis.ts'
import { DUE_SOON_MS, defineJobQueueContract } from './job-queue.contract.ts'
import { waitFor } from '../support/wait.ts'

describeWithRedis()('BullMQ queue on Redis', () => {
  let redis: TestRedis
  let n = 0
  beforeAll(async () => {
    redis = await getTestRedis()
  })
  afterAll(async () => {
    await redis?.stop()
  })

  // Each queue gets its own prefix under the run's, so a test never sees jobs another one left behind.
  // With the SQLite outbox, as createJobQueue builds it: enqueue persists locally, a relay moves jobs to Redis.
  defineJobQueueContract('BullMQ', async () => {
    const db = openMemoryDb()
    const prefix = `${redis.prefix}-${++n}`
    const observer = new BullmqObserver(redis.url, prefix, db)
    return {
      queue: new BullmqJobQueue({ redisUrl: redis.url, prefix, log: silentLogger, db }),
      db,
      dispose: async () => {
        await observer.close()
        closeDb(db)
      },
      pending: () => observer.unfinished(DUE_SOON_MS),
    }
  })

  it('accepts dedupe keys BullMQ would reject as job ids (colons, digits only)', async () => {
    const queue = new BullmqJobQueue({ redisUrl: redis.url, prefix: `${redis.prefix}-${++n}`, log: silentLogger, db: openMemoryDb() })
    const def = { name: 'nudge:manager', schema: z.object({ n: z.number() }) }
    const seen: number[] = []
    queue.register(def, async ({ n }) => {
      seen.push(n)
    })
    await queue.start()
    try {
      for (const [i, key] of ['T1:C1:1712.3', '42', 'x'.repeat(300)].entries()) {
        expect((await queue.enqueue(def, { n: i }, { dedupeKey: key })).deduped).toBe(false)
        expect((await queue.enqueue(def, { n: 99 }, { dedupeKey: key })).deduped).toBe(true)
      }
      await waitFor(() => seen.length === 3, 'three jobs', 4000)
      expect(seen.sort()).toEqual([0, 1, 2])
      expect(dedupeJobId('a', '1')).not.toMatch(/:|^\d+$/)
    } finally {
      await queue.close()
    }
  })

  it('with Redis down, start() does not hang, ping() is false promptly, close() returns', async () => {
    const queue = new BullmqJobQueue({ redisUrl: 'redis://127.0.0.1:1', prefix: redis.prefix, log: silentLogger, db: openMemoryDb() })
    queue.register({ name: 'noop', schema: z.object({}) }, async () => {})
    await queue.start()
    expect(await queue.ping()).toBe(false) // answers instead of waiting for Redis (the test's timeout catches a hang)
    await queue.close()
  })

  it('createJobQueue picks BullMQ with a Redis URL and the in-process queue without', async () => {
    const storage = sqliteStorage(openMemoryDb())
    const onRedis = await createJobQueue({ redisUrl: redis.url, prefix: `${redis.prefix}-${++n}`, storage, log: silentLogger })
    const embedded = await createJobQueue({ prefix: 'unused', storage, log: silentLogger })
    expect(onRedis).toBeInstanceOf(BullmqJobQueue)
    expect(embedded).toBeInstanceOf(InProcessJobQueue)
    await onRedis.close()
    await embedded.close()
    await storage.close()
  })
})
