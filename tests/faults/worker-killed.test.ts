/**
 * A worker killed (SIGKILL) in the middle of a job on BullMQ: the job's lock lapses, another
 * process picks it up, runs it again, and it runs exactly once there. The in-process (SQLite) variant
 * of the same fault is in tests/jobs/in-process-queue.test.ts ("a job running when its process was
 * killed runs again, once, after the lease"), with the same fixture.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { z } from 'zod'
import { silentLogger } from '../../src/core/logger.ts'
import type { JobContext } from '../../src/core/ports.ts'
import { BullmqJobQueue } from '../../src/jobs/bullmq-queue.ts'
import { closeDb, openDb } from '../../src/storage/db.ts'
import { killWorkerMidJob } from '../jobs/fixtures/run-crashing-worker.ts'
import { BullmqObserver } from '../support/jobs.ts'
import { describeWithRedis, getTestRedis, type TestRedis } from '../support/redis.ts'
import { waitFor } from '../support/wait.ts'

describeWithRedis()('worker killed mid-job (BullMQ)', () => {
  let redis: TestRedis
  let dir: string
  beforeAll(async () => {
    redis = await getTestRedis()
    dir = mkdtempSync(join(tmpdir(), 'beacon-killed-'))
  })
  afterAll(async () => {
    await redis?.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  it('the job runs again in the next worker, once', { timeout: 30_000 }, async () => {
    const file = join(dir, 'beacon.db')
    const prefix = `${redis.prefix}-killed`
    const started = await killWorkerMidJob(file, 1000, { url: redis.url, prefix })

    const db = openDb(file)
    const next = new BullmqJobQueue({ redisUrl: redis.url, prefix, db, log: silentLogger, lockDurationMs: 1000 })
    const runs: { n: number; ctx: JobContext }[] = []
    next.register({ name: 'report', schema: z.object({ n: z.number() }) }, async (data, ctx) => {
      runs.push({ n: data.n, ctx })
    })
    try {
      await next.start()
      await waitFor(() => runs.length === 1, 'the abandoned job to run again', 10_000)
      expect(runs[0]).toMatchObject({ n: 7, ctx: { jobId: started } })
      // Completed: nothing is waiting, delayed or active any more, so no stall check can pick it up again.
      const observer = new BullmqObserver(redis.url, prefix, db)
      await observer.idle().finally(() => observer.close())
      expect(runs).toHaveLength(1)
    } finally {
      await next.close()
      closeDb(db)
    }
  })
})
