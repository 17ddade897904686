/**
 * Load: 1,000 signed Slack deliveries at a steady 100/s on loopback (messages, thread replies,
 * reactions, the knowledge reaction, /kb, /task, message shortcuts, and Slack retries of earlier
 * deliveries of every kind) through composeBeacon and the real POST /slack/events, on the embedded
 * defaults (SQLite file, in-process jobs). Every delivery's effect happens exactly once (counted per
 * id, so a double shows), every command is answered, no error. Ack latency is measured and printed
 * on one line but not asserted: the client shares the machine (and here the event loop), so a bound
 * would only measure how busy the machine is. Latency is `npm run bench`'s job (bench/slack-ack.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FakeSlackApi } from '../support/fake-slack-api.ts'
import { startHarness, type Harness } from '../adapters/slack/harness.ts'
import { failedJobs, jobsIdle, settled } from '../e2e/knowledge-support.ts'
import { planTraffic, seedWorkspace } from './traffic.ts'
import { notExactlyOnce, outcome } from './traffic-outcome.ts'
import { percentile, sendSteady } from './traffic-send.ts'
import { waitFor } from '../support/wait.ts'

const RATE = Number(process.env.LOAD_RATE ?? 100)
const SECONDS = Number(process.env.LOAD_SECONDS ?? 10)

describe('mixed Slack traffic at a steady rate', () => {
  const fake = new FakeSlackApi()
  let h: Harness

  beforeAll(async () => {
    await fake.start()
    // Production settings (the 15 s refresh debounce included): the numbers are what a deployment sees.
    h = await startHarness({ compose: true, fake })
  })
  afterAll(async () => {
    await h?.close()
  })

  it(`${RATE}/s for ${SECONDS} s: every delivery's effect once, every command answered, no error`, { timeout: 90_000 }, async () => {
    const roots = seedWorkspace(fake, 60)
    const plan = planTraffic(fake, roots, RATE * SECONDS)
    // Warm-up outside the measurement (every kind, on other threads' worth of ids): the first
    // requests of a fresh process pay for JIT, prepared statements and caches.
    const warm = planTraffic(fake, roots, 150, 99)
    await sendSteady(
      h.eventsUrl,
      warm.deliveries.filter((d) => d.kind !== 'save'),
      50,
    )
    await waitFor(() => outcome(h.ctx.db, fake, warm).unansweredCommands.length === 0, 'the warm-up commands', 30_000)

    const idleRss = process.memoryUsage().rss
    const sent = await sendSteady(h.eventsUrl, plan.deliveries, RATE)

    // Zero non-2xx, nothing refused at the socket.
    const errors = sent.statuses.map((s, i) => ({ s, kind: plan.deliveries[i]!.kind })).filter((x) => x.s < 200 || x.s >= 300)
    expect(errors).toEqual([])

    // Work happens after the ack: wait for every command's answer, then for the queue to go quiet.
    await waitFor(() => outcome(h.ctx.db, fake, plan).unansweredCommands.length === 0, 'every command to be answered', 30_000)
    await waitFor(() => outcome(h.ctx.db, fake, plan).itemsPerSavedThread.every((n) => n >= 1), 'every saved thread to be captured', 30_000)
    await jobsIdle(h.ctx.db, 30_000)
    await settled(() => fake.calls.length, 500, 30_000)

    const o = outcome(h.ctx.db, fake, plan)
    expect(o.missingClaims).toEqual([])
    expect(notExactlyOnce(o.effectsPerId)).toEqual([])
    expect(o.effectsPerId.size).toBe(plan.ids.size)
    expect(o.itemsPerSavedThread).toEqual(plan.savedThreads.map(() => 1))
    expect(o.confirmationsPerSavedThread).toEqual(plan.savedThreads.map(() => 1))
    expect(o.tasksPerCommand).toEqual(plan.tasks.map(() => 1))
    expect(o.taskCount).toBe(plan.tasks.length)
    expect(o.assignmentDms.length).toBeGreaterThan(0)
    expect(o.assignmentDms).toEqual(o.assignmentDms.map(() => 1)) // each assignee told once
    expect(failedJobs(h.ctx.db)).toEqual([])

    const p50 = percentile(sent.latencies, 50)
    const p99 = percentile(sent.latencies, 99)
    const max = percentile(sent.latencies, 100)
    const retried = plan.deliveries.filter((d) => d.kind === 'retry')
    const retries = retried.length
    const retriedCommands = retried.filter((d) => !d.id.startsWith('Ev')).length
    const peakRss = Math.max(idleRss, ...sent.rss)
    console.log(
      `[load] ${plan.deliveries.length} deliveries at ${RATE}/s (${plan.ids.size} distinct, ` +
        `${retries} retries of which ${retriedCommands} commands or shortcuts, ` +
        `${plan.savedThreads.length} threads saved, ${plan.tasks.length} tasks): ` +
        `ack p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${max.toFixed(1)} ms, errors 0; ` +
        `rss idle ${(idleRss / 2 ** 20).toFixed(0)} MiB, peak ${(peakRss / 2 ** 20).toFixed(0)} MiB`,
    )
  })
})
