import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { silentLogger } from '../../src/core/logger.ts'
import { killWorkerMidJob } from './fixtures/run-crashing-worker.ts'
import type { JobContext } from '../../src/core/ports.ts'
import { InProcessJobQueue } from '../../src/jobs/in-process-queue.ts'
import { inProcessUnfinished } from '../support/jobs.ts'
import { closeDb, openDb, openMemoryDb, type Db } from '../../src/storage/db.ts'
import { DUE_SOON_MS, defineJobQueueContract } from './job-queue.contract.ts'
import { waitFor } from '../support/wait.ts'

const unfinished = (db: Db) => inProcessUnfinished(db, DUE_SOON_MS)

defineJobQueueContract('in-process (SQLite)', async () => {
  const db = openMemoryDb()
  return { queue: new InProcessJobQueue({ db, log: silentLogger }), db, dispose: async () => closeDb(db), pending: async () => unfinished(db) }
})

const report = { name: 'report', schema: z.object({ n: z.number() }) }

describe('in-process queue on a SQLite file', () => {
  let dir: string
  const cleanups: Array<() => Promise<void>> = []
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  function fresh(leaseMs?: number) {
    dir ??= mkdtempSync(join(tmpdir(), 'beacon-jobs-'))
    const db: Db = openDb(join(dir, 'beacon.db'))
    const queue = new InProcessJobQueue({ db, log: silentLogger, ...(leaseMs === undefined ? {} : { leaseMs }) })
    const runs: Array<{ n: number; ctx: JobContext; at: number }> = []
    queue.register(report, async (data, ctx) => {
      runs.push({ n: data.n, ctx, at: Date.now() })
    })
    cleanups.push(async () => {
      await queue.close()
      closeDb(db)
    })
    const drained = () => waitFor(() => unfinished(db) === 0, 'the queue to drain', 8000)
    return { queue, runs, db, drained }
  }

  it('a delayed job and a schedule survive a restart; the job fires once, on time', { timeout: 10_000 }, async () => {
    dir = mkdtempSync(join(tmpdir(), 'beacon-jobs-'))
    const before = fresh()
    await before.queue.start()
    const t0 = Date.now()
    await before.queue.enqueue(report, { n: 1 }, { delayMs: 400, dedupeKey: 'r1' })
    await before.queue.schedule(report, '*/1 * * * * *', { n: 2 })
    await before.queue.close() // the process stops before anything is due

    const after = fresh()
    await after.queue.start()
    await waitFor(() => after.runs.some((r) => r.n === 1), 'the delayed job after restart', 4000)
    const delayed = after.runs.filter((r) => r.n === 1)
    expect(delayed[0]!.at - t0).toBeGreaterThanOrEqual(395)
    await waitFor(() => after.runs.some((r) => r.n === 2), 'the schedule after restart', 3000)
    await after.queue.unschedule(report)
    await after.drained()
    expect(after.runs.filter((r) => r.n === 1)).toHaveLength(1)
    expect(before.runs).toHaveLength(0)
    expect((await after.queue.enqueue(report, { n: 1 }, { dedupeKey: 'r1' })).deduped).toBe(true)
  })

  it('a job running when its process was killed runs again, once, after the lease', { timeout: 15_000 }, async () => {
    dir = mkdtempSync(join(tmpdir(), 'beacon-jobs-'))
    const file = join(dir, 'beacon.db')
    const started = await killWorkerMidJob(file, 300)

    const next = fresh(300)
    await next.queue.start()
    await waitFor(() => next.runs.length === 1, 'the abandoned job to run again', 4000)
    expect(next.runs[0]).toMatchObject({ n: 7, ctx: { jobId: started, attempt: 2 } })
    await next.drained()
    // Finished, so no lease can ever make it look abandoned again.
    expect(next.db.$client.prepare('SELECT status, attempt FROM jobs WHERE id = ?').get(started)).toEqual({ status: 'completed', attempt: 2 })
    expect(next.runs).toHaveLength(1)
  })

  it('two queues on one file never run the same job twice', { timeout: 10_000 }, async () => {
    dir = mkdtempSync(join(tmpdir(), 'beacon-jobs-'))
    const a = fresh()
    const b = fresh()
    await Promise.all([a.queue.start(), b.queue.start()])
    for (let n = 0; n < 30; n++) await (n % 2 ? a : b).queue.enqueue(report, { n }, { delayMs: n % 3 === 0 ? 100 : 0 })
    await waitFor(() => a.runs.length + b.runs.length >= 30, 'all jobs', 5000)
    await a.drained()
    const all = [...a.runs, ...b.runs].map((r) => r.n).sort((x, y) => x - y)
    expect(all).toEqual(Array.from({ length: 30 }, (_, i) => i))
  })
})
