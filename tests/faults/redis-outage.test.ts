/**
 * Redis goes away while Beacon (REDIS_URL set, BullMQ) is taking traffic. Every delivery still gets
 * its 200, because a job is persisted in the SQLite outbox before anything waits on Redis; when
 * Redis is back the relay hands the jobs over, and every effect a person expects (the saved item,
 * its one confirmation, the task, the assignee's one DM) happens exactly once. A process killed
 * with SIGKILL after acking, before relaying, leaves its jobs in the outbox for the next process.
 */
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { FakeSlackApi } from '../support/fake-slack-api.ts'
import { describeWithRedis } from '../support/redis.ts'
import { killHard, startBeacon, tempDataDir } from '../support/run-beacon.ts'
import { SIGNING_SECRET, startHarness, type Harness } from '../adapters/slack/harness.ts'
import { settled } from '../e2e/knowledge-support.ts'
import { closeDb, openDb } from '../../src/storage/db.ts'
import { planTraffic, seedWorkspace, type Plan } from '../load/traffic.ts'
import { notExactlyOnce, outcome } from '../load/traffic-outcome.ts'
import { sendSteady } from '../load/traffic-send.ts'
import { OwnRedis } from './own-redis.ts'
import { waitFor } from '../support/wait.ts'

const outboxRows = (h: Harness) => (h.ctx.db.$client.prepare('SELECT count(*) AS n FROM job_outbox').get() as { n: number }).n

// A job running when Redis stopped is recovered by BullMQ's stalled-job check (every 30 s), so allow
// a few of those: the promise is "once, after Redis is back", not "within N seconds".
async function expectExactlyOnce(h: Harness, fake: FakeSlackApi, plan: Plan, timeoutMs = 90_000): Promise<void> {
  await waitFor(() => outcome(h.ctx.db, fake, plan).unansweredCommands.length === 0, 'every command answered', timeoutMs)
  await waitFor(
    () => {
      const o = outcome(h.ctx.db, fake, plan)
      return o.confirmationsPerSavedThread.every((n) => n >= 1) && o.assignmentDms.every((n) => n >= 1)
    },
    'every saved thread confirmed and every assignee told',
    timeoutMs,
  )
  await settled(() => fake.calls.length, 1000, timeoutMs)
  const o = outcome(h.ctx.db, fake, plan)
  expect(o.missingClaims).toEqual([])
  expect(notExactlyOnce(o.effectsPerId)).toEqual([])
  expect(o.itemsPerSavedThread).toEqual(plan.savedThreads.map(() => 1))
  expect(o.confirmationsPerSavedThread).toEqual(plan.savedThreads.map(() => 1))
  expect(o.tasksPerCommand).toEqual(plan.tasks.map(() => 1))
  expect(o.assignmentDms.every((n) => n === 1)).toBe(true)
}

describeWithRedis()('Redis outage under load (BullMQ with the SQLite outbox)', () => {
  const redis = new OwnRedis()
  beforeAll(async () => {
    await redis.start()
  })
  afterAll(async () => {
    await redis.dispose()
  })

  it('Redis stops mid-traffic and comes back on the same port: every delivery got 200, every effect happens once', { timeout: 300_000 }, async () => {
    const fake = await new FakeSlackApi().start()
    const roots = seedWorkspace(fake, 40, 'outage')
    const h = await startHarness({ compose: true, fake, env: { REDIS_URL: redis.url, QUEUE_PREFIX: 'outage' } })
    try {
      const before = planTraffic(fake, roots.slice(0, 20), 150, 11)
      const during = planTraffic(fake, roots.slice(20), 150, 12)
      const first = await sendSteady(h.eventsUrl, before.deliveries, 50)
      await redis.stop()
      expect(await h.ctx.queue.ping()).toBe(false)
      const second = await sendSteady(h.eventsUrl, during.deliveries, 50)
      expect([...first.statuses, ...second.statuses].filter((s) => s !== 200)).toEqual([])
      // The outage was real: the jobs those 200s promised are waiting in SQLite, not in Redis.
      await waitFor(() => outboxRows(h) > 0, 'jobs accepted during the outage to be in the outbox')
      expect(outcome(h.ctx.db, fake, during).confirmationsPerSavedThread.every((n) => n === 0)).toBe(true)

      await redis.start()
      await expectExactlyOnce(h, fake, before)
      await expectExactlyOnce(h, fake, during)
      expect(outboxRows(h)).toBe(0)
    } finally {
      await h.close()
      await fake.stop()
    }
  })

  it('a process SIGKILLed after acking, before relaying: the next process relays its jobs, once', { timeout: 90_000 }, async () => {
    const fake = await new FakeSlackApi().start()
    const roots = seedWorkspace(fake, 12, 'killed')
    const dir = tempDataDir()
    const env = {
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_API_URL: fake.apiUrl,
      DATABASE_PATH: join(dir, 'beacon.db'),
      PORT: '0',
      REDIS_URL: redis.url,
      QUEUE_PREFIX: 'killed',
      LOG_LEVEL: 'info',
    }
    await redis.stop() // down from the start: nothing the first process accepts can reach Redis
    const first = startBeacon('main', { env, ready: /Beacon listening on :(\d+)/ })
    let h: Harness | undefined
    try {
      const port = (await first.ready)[1]
      const plan = planTraffic(fake, roots, 30, 21, ['save', 'task'])
      const sent = await sendSteady(`http://127.0.0.1:${port}/slack/events`, plan.deliveries, 50)
      expect(sent.statuses.filter((s) => s !== 200)).toEqual([])
      // Every save and every task's notification is persisted locally before the process dies.
      const peek = openDb(env.DATABASE_PATH, { migrate: false })
      const expected = plan.savedThreads.length + plan.tasks.length
      try {
        await waitFor(
          () => (peek.$client.prepare('SELECT count(*) AS n FROM job_outbox').get() as { n: number }).n >= expected,
          `${expected} jobs in the outbox`,
        )
        // The kill lands after every delivery's own work (a command's answer, recorded as sent), before
        // the relay: a kill inside an answer may repeat it (README, "Operational notes"), which
        // tests/durability/random-kill.test.ts covers.
        await waitFor(
          () => (peek.$client.prepare("SELECT count(*) AS n FROM inbox WHERE state = 'pending'").get() as { n: number }).n === 0,
          'every delivery finished',
        )
      } finally {
        closeDb(peek)
      }
      killHard(first.child)
      await first.exited
      expect(fake.callsOf('chat.postMessage')).toEqual([]) // nothing was done before the kill

      await redis.start()
      h = await startHarness({ compose: true, fake, dataDir: dir, keepFake: true, env: { REDIS_URL: redis.url, QUEUE_PREFIX: 'killed' } })
      await expectExactlyOnce(h, fake, plan)
      expect(outboxRows(h)).toBe(0)
    } finally {
      if (first.child.exitCode === null) killHard(first.child)
      await h?.close()
      await fake.stop()
    }
  })
})
