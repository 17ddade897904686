/**
 * The behaviour every JobQueue must have, run against each implementation. Only "not early" is
 * checked against the wall clock (with a small margin: timers may round by a millisecond or two); a
 * busy machine makes jobs late, so lateness is never asserted. "Not twice" is checked once the queue
 * has nothing left pending (`pending()`), and "a schedule stops" once another schedule has fired
 * twice since, so no check depends on how fast the machine is.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { PermanentJobError } from '../../src/core/errors.ts'
import type { JobContext, JobDefinition } from '../../src/core/ports.ts'
import { sleep, waitFor } from '../support/wait.ts'
import { DUE_SOON_MS, expectCode, type QueueFactory, type QueueUnderTest } from './queue-under-test.ts'

export { DUE_SOON_MS, type QueueFactory, type QueueUnderTest }

const EARLY_MARGIN_MS = 5
const greet: JobDefinition<{ who: string }> = { name: 'greet', schema: z.object({ who: z.string().min(1) }), backoffMs: 50 }
const every = { second: '*/1 * * * * *', year: '0 0 0 1 1 *' }

interface Run {
  data: { who: string }
  ctx: JobContext
  at: number
}

/** Second boundaries (cron occurrences of `*\/1 * * * * *`) in (from, to]. */
const occurrencesBetween = (from: number, to: number) => Math.floor((to + EARLY_MARGIN_MS) / 1000) - Math.floor(from / 1000)

export function defineJobQueueContract(label: string, factory: QueueFactory): void {
  describe(`JobQueue contract: ${label}`, () => {
    const open: QueueUnderTest[] = []
    afterEach(async () => {
      for (const q of open.splice(0)) {
        await q.queue.close()
        await q.dispose()
      }
    })

    /** A started queue whose `greet` handler records each run (and may be told to throw). */
    async function started(behave: (run: Run) => Promise<void> = async () => {}, defs: JobDefinition<{ who: string }> = greet) {
      const q = await factory()
      open.push(q)
      const runs: Run[] = []
      q.queue.register(defs, async (data, ctx) => {
        const run = { data, ctx, at: Date.now() }
        runs.push(run)
        await behave(run)
      })
      await q.queue.start()
      /** Resolves once nothing is left to run: the point where a duplicate would already have run. */
      const drained = () => waitFor(async () => (await q.pending()) === 0, 'the queue to drain', 8000)
      /**
       * Resolves once a second schedule has fired twice: every cron occurrence due before its second
       * firing has been handed to a worker by then, whatever the machine's speed.
       */
      const pastTwoOccurrences = async () => {
        const from = runs.length
        await q.queue.schedule(greet, every.second, { who: 'sentinel' }, { key: 'sentinel' })
        await waitFor(() => runs.slice(from).filter((r) => r.data.who === 'sentinel').length >= 2, 'two sentinel firings', 8000)
        await q.queue.unschedule(greet, 'sentinel')
      }
      return { queue: q.queue, runs, db: q.db, drained, pastTwoOccurrences, pending: () => q.pending() }
    }

    it('stage joins the caller’s transaction: the job exists if it commits, not if it rolls back', async () => {
      const { queue, runs, db, drained } = await started()
      expect(() =>
        db.transaction(() => {
          queue.stage(greet, { who: 'rolled back' })
          throw new Error('the change failed')
        }),
      ).toThrow('the change failed')
      db.transaction(() => queue.stage(greet, { who: 'committed' }, { dedupeKey: 'staged' }))
      db.transaction(() => queue.stage(greet, { who: 'committed' }, { dedupeKey: 'staged' })) // dedupe as enqueue
      await waitFor(() => runs.length >= 1)
      await drained()
      expect(runs.map((r) => r.data.who)).toEqual(['committed'])
      expect(() => queue.stage(greet, { who: '' })).toThrow(/invalid data/)
    })

    it('runs a job enqueued now, once, with its data and attempt 1', async () => {
      const { queue, runs, drained } = await started()
      const { id, deduped } = await queue.enqueue(greet, { who: 'ada' })
      expect(deduped).toBe(false)
      await waitFor(() => runs.length === 1, 'the job to run', 4000)
      expect(runs[0]).toMatchObject({ data: { who: 'ada' }, ctx: { jobId: id, attempt: 1 } })
      await drained()
      expect(runs).toHaveLength(1)
    })

    it('runs a delayed job at its time, not early', async () => {
      const { queue, runs } = await started()
      const t0 = Date.now()
      await queue.enqueue(greet, { who: 'later' }, { delayMs: 400 })
      await waitFor(() => runs.length === 1, 'the delayed job', 4000)
      expect(runs[0]!.at - t0).toBeGreaterThanOrEqual(400 - EARLY_MARGIN_MS)
    })

    it('runs a job at runAt', async () => {
      const { queue, runs } = await started()
      const runAt = new Date(Date.now() + 300)
      await queue.enqueue(greet, { who: 'at' }, { runAt })
      await waitFor(() => runs.length === 1, 'the job due at runAt', 4000)
      expect(runs[0]!.at).toBeGreaterThanOrEqual(runAt.getTime() - EARLY_MARGIN_MS)
    })

    it('dedupes: the same key enqueued twice runs once, and again after completion still does nothing', async () => {
      const { queue, runs, drained } = await started()
      const first = await queue.enqueue(greet, { who: 'one' }, { dedupeKey: 'reminder:42', delayMs: 100 })
      const second = await queue.enqueue(greet, { who: 'two' }, { dedupeKey: 'reminder:42' })
      expect(first.deduped).toBe(false)
      expect(second).toEqual({ id: first.id, deduped: true })
      await waitFor(() => runs.length === 1, 'the deduped job', 4000)
      expect(runs[0]!.data.who).toBe('one')
      await drained() // the completion is recorded
      const again = await queue.enqueue(greet, { who: 'three' }, { dedupeKey: 'reminder:42' })
      expect(again).toEqual({ id: first.id, deduped: true })
      const other = await queue.enqueue(greet, { who: 'other' }, { dedupeKey: 'reminder:43' })
      expect(other.deduped).toBe(false)
      await waitFor(() => runs.length === 2, 'the job with another key', 4000)
      await drained()
      expect(runs.map((r) => r.data.who)).toEqual(['one', 'other'])
    })

    it('cancels a delayed job by its dedupe key', async () => {
      const { queue, runs, drained } = await started()
      await queue.enqueue(greet, { who: 'cancelled' }, { dedupeKey: 'k1', delayMs: 300 })
      expect(await queue.cancel(greet, 'k1')).toBe(true)
      expect(await queue.cancel(greet, 'k1')).toBe(false)
      expect(await queue.cancel(greet, 'never-enqueued')).toBe(false)
      // The key is free again once cancelled.
      const again = await queue.enqueue(greet, { who: 'replacement' }, { dedupeKey: 'k1', delayMs: 100 })
      expect(again.deduped).toBe(false)
      await waitFor(() => runs.length === 1, 'the replacement job', 4000)
      await drained()
      expect(runs.map((r) => r.data.who)).toEqual(['replacement'])
      // A finished job cannot be cancelled.
      expect(await queue.cancel(greet, 'k1')).toBe(false)
    })

    it('fires a seconds-level cron schedule, and stops after unschedule', { timeout: 15_000 }, async () => {
      const { queue, runs, drained, pastTwoOccurrences } = await started()
      const t0 = Date.now()
      await queue.schedule(greet, every.second, { who: 'tick' }, { timezone: 'Europe/Paris' })
      await waitFor(() => runs.length >= 3, 'three cron firings', 8000)
      expect(runs.every((r) => r.data.who === 'tick')).toBe(true)
      // Firings may be late on a busy machine, never more than one per occurrence.
      expect(runs.length).toBeLessThanOrEqual(occurrencesBetween(t0, runs.at(-1)!.at))
      await queue.unschedule(greet)
      await drained()
      const seen = runs.length
      await pastTwoOccurrences()
      expect(runs.filter((r) => r.data.who === 'tick')).toHaveLength(seen)
    })

    it('scheduling the same key again replaces the schedule (cron and data)', { timeout: 15_000 }, async () => {
      const { queue, runs, drained, pastTwoOccurrences } = await started()
      const t0 = Date.now()
      await queue.schedule(greet, every.second, { who: 'old' }, { key: 'digest' })
      await queue.schedule(greet, every.year, { who: 'yearly' }, { key: 'digest' })
      await queue.schedule(greet, every.second, { who: 'new' }, { key: 'digest' })
      await waitFor(() => runs.length >= 3, 'three firings of the replaced schedule', 8000)
      expect(runs.map((r) => r.data.who)).toEqual(runs.map(() => 'new'))
      // One schedule, not two at the same cron: never more firings than occurrences.
      expect(runs.length).toBeLessThanOrEqual(occurrencesBetween(t0, runs.at(-1)!.at))
      await queue.schedule(greet, every.year, { who: 'yearly' }, { key: 'digest' })
      await drained()
      const seen = runs.length
      await pastTwoOccurrences()
      expect(runs.filter((r) => r.data.who !== 'sentinel')).toHaveLength(seen)
      await queue.unschedule(greet, 'digest')
    })

    it('rejects a bad cron expression or timezone with job_invalid', async () => {
      const { queue } = await started()
      await expectCode(queue.schedule(greet, 'every day at noon', { who: 'x' }), 'job_invalid')
      await expectCode(queue.schedule(greet, '0 9 * * *', { who: 'x' }, { timezone: 'Mars/Olympus' }), 'job_invalid')
      await expectCode(queue.schedule(greet, '0 9 * * *', { who: '' }), 'job_invalid')
    })

    it('retries a failing job with exponential backoff, then succeeds', async () => {
      const { queue, runs, drained } = await started(async (run) => {
        if (run.ctx.attempt < 3) throw new Error(`flaky ${run.ctx.attempt}`)
      })
      await queue.enqueue(greet, { who: 'flaky' }, { attempts: 3, backoffMs: 100 })
      await waitFor(() => runs.length === 3, 'three tries', 4000)
      expect(runs.map((r) => r.ctx.attempt)).toEqual([1, 2, 3])
      expect(new Set(runs.map((r) => r.ctx.jobId)).size).toBe(1)
      expect(runs[1]!.at - runs[0]!.at).toBeGreaterThanOrEqual(100 - EARLY_MARGIN_MS)
      expect(runs[2]!.at - runs[1]!.at).toBeGreaterThanOrEqual(200 - EARLY_MARGIN_MS)
      await drained()
      expect(runs).toHaveLength(3)
    })

    it('gives up after the allowed attempts', async () => {
      const { queue, runs, drained } = await started(async () => {
        throw new Error('always')
      })
      await queue.enqueue(greet, { who: 'doomed' }, { attempts: 2, backoffMs: 50 })
      await waitFor(() => runs.length === 2, 'two tries', 4000)
      await drained()
      expect(runs.map((r) => r.ctx.attempt)).toEqual([1, 2])
    })

    it('does not retry a PermanentJobError, and keeps running other jobs', async () => {
      const { queue, runs, drained } = await started(async (run) => {
        if (run.data.who === 'gone') throw new PermanentJobError('target deleted')
      })
      await queue.enqueue(greet, { who: 'gone' }, { attempts: 5, backoffMs: 50 })
      await waitFor(() => runs.length === 1, 'the first try', 4000)
      await drained()
      expect(runs).toHaveLength(1)
      await queue.enqueue(greet, { who: 'fine' })
      await waitFor(() => runs.length === 2, 'the next job', 4000)
    })

    it('fails a payload that no longer fits the schema once, without calling the handler', async () => {
      // The worker validates with the registered (newer, stricter) definition; a job written by an
      // older version with a looser schema must fail once and never reach the handler.
      let validations = 0
      const strict: JobDefinition<{ who: string }> = {
        name: 'greet',
        backoffMs: 50,
        schema: z.object({ who: z.string() }).refine((v) => {
          validations++
          return v.who !== 'legacy'
        }),
      }
      const { queue, runs, drained } = await started(async () => {}, strict)
      await queue.enqueue(greet, { who: 'legacy' }, { attempts: 5 })
      await waitFor(() => validations === 1, 'the worker to validate the payload', 4000)
      await drained()
      expect(validations).toBe(1)
      expect(runs).toHaveLength(0)
    })

    it('refuses to enqueue invalid data with job_invalid, storing nothing', async () => {
      const { queue, runs, drained } = await started()
      await expectCode(queue.enqueue(greet, { who: '' }, { dedupeKey: 'bad' }), 'job_invalid')
      await expectCode(queue.enqueue(greet, { nobody: true } as unknown as { who: string }), 'job_invalid')
      const ok = await queue.enqueue(greet, { who: 'valid' }, { dedupeKey: 'bad' })
      expect(ok.deduped).toBe(false)
      await waitFor(() => runs.length === 1, 'the valid job', 4000)
      await drained()
      expect(runs.map((r) => r.data.who)).toEqual(['valid'])
    })

    it('close() waits for the running job and takes no new ones', async () => {
      let finished = false
      const { queue, runs, pending } = await started(async (run) => {
        if (run.data.who !== 'slow') return
        await sleep(400)
        finished = true
      })
      await queue.enqueue(greet, { who: 'slow' })
      await waitFor(() => runs.length === 1, 'the slow job to start', 4000)
      // Falls due while close() waits for the slow job: it must stay stored for the next process.
      await queue.enqueue(greet, { who: 'after-close' }, { delayMs: 150 })
      await queue.close()
      expect(finished).toBe(true)
      expect(runs.map((r) => r.data.who)).toEqual(['slow'])
      expect(await pending()).toBe(1)
    })

    it('runNow runs a registered job in place; names() lists jobs; ping() answers', async () => {
      const { queue, runs } = await started(async (run) => {
        if (run.data.who === 'boom') throw new Error('boom')
      })
      expect(queue.names()).toEqual(['greet'])
      expect(await queue.ping()).toBe(true)
      await queue.runNow('greet', { who: 'operator' })
      expect(runs.map((r) => r.data.who)).toEqual(['operator'])
      expect(runs[0]!.ctx.attempt).toBe(1)
      await expect(queue.runNow('greet', { who: 'boom' })).rejects.toThrow('boom')
      await expectCode(queue.runNow('greet', { who: '' }), 'job_invalid')
      await expectCode(queue.runNow('nope', {}), 'not_found')
      // Without data, a scheduled job runs with its schedule's data.
      await queue.schedule(greet, every.year, { who: 'scheduled' })
      await queue.runNow('greet')
      expect(runs.at(-1)!.data.who).toBe('scheduled')
      await queue.unschedule(greet)
    })
  })
}
