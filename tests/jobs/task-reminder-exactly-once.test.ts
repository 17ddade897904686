/**
 * A reminder fires exactly once at the right time across a restart: through the in-process queue
 * on a SQLite file, and through BullMQ on a real Redis.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { silentLogger } from '../../src/core/logger.ts'
import type { Person } from '../../src/core/model.ts'
import type { JobQueue } from '../../src/core/ports.ts'
import { stageReminders } from '../../src/core/tasks/reminders.ts'
import type { Task } from '../../src/core/tasks/types.ts'
import { BullmqJobQueue } from '../../src/jobs/bullmq-queue.ts'
import { InProcessJobQueue } from '../../src/jobs/in-process-queue.ts'
import { closeDb, openDb, openMemoryDb, type Db } from '../../src/storage/db.ts'
import { describeWithRedis, getTestRedis, type TestRedis } from '../support/redis.ts'
import { BullmqObserver, jobsIdle } from '../support/jobs.ts'
import { harness, PEOPLE, tasksPlatform, WS, type Harness } from '../core/tasks/support.ts'
import { waitFor } from '../support/wait.ts'

const [alice, bob] = PEOPLE as [Person, Person]
const EARLY_MARGIN_MS = 5

/** Records when each reminder reached the platform. */
function timedPlatform() {
  const platform = tasksPlatform()
  const fired: { kind: 'lead' | 'due'; at: number }[] = []
  const post = platform.post.bind(platform)
  platform.post = async (target, m) => {
    if (m.text.startsWith('⏰')) fired.push({ kind: m.text.includes('due now') ? 'due' : 'lead', at: Date.now() })
    return post(target, m)
  }
  return { platform, fired }
}

async function createDueIn(h: Harness, ms: number): Promise<Task> {
  return h.feature.service.create({
    workspace: WS,
    creator: alice,
    draft: { title: 'renew the certificate', assignees: [bob], due: { at: new Date(Date.now() + ms), dateOnly: false }, truncated: false },
  })
}

/**
 * Stop one process before anything is due, start another on the same storage: one lead, one due,
 * never early. `idle` resolves once the second process's queue has run everything due.
 */
async function restartScenario(
  makeQueue: (db: Db) => JobQueue,
  openStore: () => Db,
  closeStore: (db: Db) => void,
  idle: (db: Db) => Promise<void>,
): Promise<void> {
  const { platform, fired } = timedPlatform()
  const db1 = openStore()
  const first = await harness({ db: db1, platform, queue: makeQueue(db1), reminderLeadMs: 600 })
  const task = await createDueIn(first, 2500)
  stageReminders(first.feature.context, task) // a duplicate plan (a retried event) changes nothing
  await first.close()
  closeStore(db1)
  expect(fired).toHaveLength(0)

  const db2 = openStore()
  const second = await harness({ db: db2, platform, queue: makeQueue(db2), reminderLeadMs: 600 })
  try {
    stageReminders(second.feature.context, task) // and neither does planning again after the restart
    await waitFor(() => fired.length >= 2, 'both reminders after the restart', 8000)
    await idle(db2)
    expect(fired.map((f) => f.kind)).toEqual(['lead', 'due'])
    const due = task.dueAt!.getTime()
    expect(fired[0]!.at).toBeGreaterThanOrEqual(due - 600 - EARLY_MARGIN_MS)
    expect(fired[1]!.at).toBeGreaterThanOrEqual(due - EARLY_MARGIN_MS)
  } finally {
    await second.close()
    closeStore(db2)
  }
}

describe('exactly once across a restart: in-process queue on a SQLite file', () => {
  let dir: string | undefined
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('a reminder planned before the restart fires once, on time, after it', { timeout: 15_000 }, async () => {
    dir = mkdtempSync(join(tmpdir(), 'beacon-tasks-'))
    const file = join(dir, 'beacon.db')
    await restartScenario(
      (db) => new InProcessJobQueue({ db, log: silentLogger, pollMs: 200 }),
      () => openDb(file),
      (db) => closeDb(db),
      (db) => jobsIdle(db),
    )
  })
})

describeWithRedis()('exactly once through BullMQ on Redis', () => {
  let redis: TestRedis
  let n = 0
  beforeAll(async () => {
    redis = await getTestRedis()
  })
  afterAll(async () => {
    await redis?.stop()
  })

  it('a reminder fires once at its time across a restart of the worker', { timeout: 20_000 }, async () => {
    // Tasks live in SQLite (one file shared by both "processes"); the delayed jobs live in Redis.
    const prefix = `${redis.prefix}-tasks-${++n}`
    const dir = mkdtempSync(join(tmpdir(), 'beacon-tasks-'))
    try {
      const file = join(dir, 'beacon.db')
      await restartScenario(
        (db) => new BullmqJobQueue({ redisUrl: redis.url, prefix, log: silentLogger, db }),
        () => openDb(file),
        (db) => closeDb(db),
        async (db) => {
          const observer = new BullmqObserver(redis.url, prefix, db)
          await observer.idle().finally(() => observer.close())
        },
      )
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('snooze removes the old delayed jobs from Redis; cancel leaves nothing to fire', { timeout: 20_000 }, async () => {
    const { platform, fired } = timedPlatform()
    const db = openMemoryDb()
    const prefix = `${redis.prefix}-tasks-${++n}`
    const h = await harness({ db, platform, queue: new BullmqJobQueue({ redisUrl: redis.url, prefix, log: silentLogger, db }), reminderLeadMs: 300 })
    const observer = new BullmqObserver(redis.url, prefix, db)
    try {
      const snoozed = await createDueIn(h, 900)
      await h.feature.service.snooze(snoozed, 'U_BOB')
      const cancelled = await createDueIn(h, 900)
      await h.feature.service.cancel(cancelled, 'U_ALICE')
      await observer.idle() // nothing left due soon: the old reminders were removed, or they ran
      expect(fired).toHaveLength(0)
    } finally {
      await observer.close()
      await h.close()
      closeDb(db)
    }
  })
})
