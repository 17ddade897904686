/**
 * SIGTERM under load, on the embedded defaults (`npm start`: SQLite file, in-process jobs). Beacon
 * stops taking requests, finishes what it acked and the jobs it is running (slow Slack calls
 * included), and exits 0; jobs not started yet stay in SQLite. A new process on the same file, with
 * Slack redelivering what never got a 200, ends with every effect exactly once.
 */
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { FakeSlackApi } from '../support/fake-slack-api.ts'
import { startBeacon, tempDataDir } from '../support/run-beacon.ts'
import { post } from '../support/slack-signing.ts'
import { SIGNING_SECRET } from '../adapters/slack/harness.ts'
import { settled } from '../e2e/knowledge-support.ts'
import { closeDb, openDb } from '../../src/storage/db.ts'
import { planTraffic, seedWorkspace } from '../load/traffic.ts'
import { notExactlyOnce, outcome } from '../load/traffic-outcome.ts'
import { sendSteady } from '../load/traffic-send.ts'
import { waitFor } from '../support/wait.ts'

describe('SIGTERM under load', () => {
  const fake = new FakeSlackApi()
  const running: ReturnType<typeof startBeacon>[] = []
  afterAll(async () => {
    for (const b of running) if (b.child.exitCode === null) b.child.kill('SIGKILL')
    await fake.stop()
  })

  it('in-flight work finishes or stays queued; after a restart nothing is lost or doubled', { timeout: 90_000 }, async () => {
    await fake.start()
    const roots = seedWorkspace(fake, 30, 'sigterm')
    fake.delay('conversations.replies', 300) // captures are mid-flight when the signal lands
    const file = join(tempDataDir(), 'beacon.db')
    const env = {
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_API_URL: fake.apiUrl,
      DATABASE_PATH: file,
      PORT: '0',
      LOG_LEVEL: 'info',
    }
    const start = async () => {
      const b = startBeacon('main', { env, ready: /Beacon listening on :(\d+)/ })
      running.push(b)
      return { b, url: `http://127.0.0.1:${(await b.ready)[1]}/slack/events` }
    }

    const plan = planTraffic(fake, roots, 300, 31)
    const first = await start()
    // The signal lands mid-traffic: after 100 acks, whatever the machine's speed.
    let acks = 0
    const sending = sendSteady(first.url, plan.deliveries, 60, (status) => void (status === 200 && acks++))
    await waitFor(() => acks >= 100, '100 acks before the signal', 30_000)
    first.b.child.kill('SIGTERM')
    const exit = await first.b.exited
    expect(exit.code).toBe(0)
    expect(exit.stdout).toContain('stopped')
    const sent = await sending
    const acked = sent.statuses.filter((s) => s === 200).length
    expect(acked).toBeGreaterThanOrEqual(100)
    expect(acked).toBeLessThan(plan.deliveries.length) // the signal landed mid-traffic, not after it

    // Slack redelivers whatever did not get a 200 (with X-Slack-Retry-Num); the new process takes it.
    const second = await start()
    const missed = plan.deliveries.filter((_, i) => sent.statuses[i] !== 200)
    for (const d of missed) expect((await post(second.url, d.build())).status).toBe(200)

    const db = openDb(file, { migrate: false })
    try {
      await waitFor(() => outcome(db, fake, plan).unansweredCommands.length === 0, 'every command answered', 30_000)
      await waitFor(() => outcome(db, fake, plan).confirmationsPerSavedThread.every((n) => n >= 1), 'every saved thread confirmed', 30_000)
      await settled(() => fake.calls.length, 1000, 30_000)
      const o = outcome(db, fake, plan)
      expect(o.missingClaims).toEqual([])
      expect(notExactlyOnce(o.effectsPerId)).toEqual([])
      expect(o.itemsPerSavedThread).toEqual(plan.savedThreads.map(() => 1))
      expect(o.confirmationsPerSavedThread).toEqual(plan.savedThreads.map(() => 1))
      expect(o.tasksPerCommand).toEqual(plan.tasks.map(() => 1))
      expect(o.assignmentDms.every((n) => n === 1)).toBe(true)
      const failed = db.$client.prepare(`SELECT name, last_error FROM jobs WHERE status = 'failed'`).all()
      expect(failed).toEqual([])
    } finally {
      closeDb(db)
      second.b.child.kill('SIGTERM')
      expect((await second.b.exited).code).toBe(0)
    }
  })
})
