/**
 * A task and its follow-ups (reminders, the assignee notice, the webhook) are one transaction with
 * the task: if the queue refuses one of them after the task row was written, nothing is left
 * half-made (no task without its reminder), the person hears it failed, and trying again makes the
 * task whose reminder then fires once. The SIGKILL variant is in slack-kill.test.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { BeaconError } from '../../src/core/errors.ts'
import { silentLogger } from '../../src/core/logger.ts'
import type { EnqueueOptions, JobDefinition } from '../../src/core/ports.ts'
import { taskNotifyJob } from '../../src/core/tasks/job-defs.ts'
import { InProcessJobQueue } from '../../src/jobs/in-process-queue.ts'
import { closeDb, openDb, type Db } from '../../src/storage/db.ts'
import { harness, tasksPlatform } from '../core/tasks/support.ts'
import { count } from './support.ts'
import { waitFor } from '../support/wait.ts'

/** The real embedded queue, except that it refuses the assignee notice while `refusing`. */
class RefusingQueue extends InProcessJobQueue {
  refusing = true
  override stage<T>(def: JobDefinition<T>, data: T, opts?: EnqueueOptions): void {
    this.check(def)
    super.stage(def, data, opts)
  }

  override async enqueue<T>(def: JobDefinition<T>, data: T, opts?: EnqueueOptions): Promise<{ id: string; deduped: boolean }> {
    this.check(def)
    return super.enqueue(def, data, opts)
  }

  private check(def: JobDefinition<unknown>): void {
    if (this.refusing && def.name === taskNotifyJob.name) throw new BeaconError('unavailable', 'job queue refused the notice')
  }
}

describe('task follow-ups commit with the task', () => {
  let dir: string | undefined
  let db: Db | undefined
  afterEach(() => {
    if (db) closeDb(db)
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('the queue failing after the insert leaves no task; the retry makes one whose reminder fires once', { timeout: 20_000 }, async () => {
    dir = mkdtempSync(join(tmpdir(), 'beacon-follow-ups-'))
    db = openDb(join(dir, 'beacon.db'))
    const queue = new RefusingQueue({ db, log: silentLogger, pollMs: 50 })
    const platform = tasksPlatform()
    const h = await harness({ db, platform, queue, reminderLeadMs: 0 })
    try {
      // Due in 1 minute: the reminder is planned at once and fires when the test moves it up.
      const refused = await h.command('renew the wildcard certificate @Bob in 1 minute')
      expect(refused.replies.map((r) => r.text).join('\n')).toMatch(/something went wrong on Beacon’s side and nothing was changed/)
      expect(count(db, 'SELECT count(*) AS n FROM tasks')).toBe(0)
      expect(count(db, 'SELECT count(*) AS n FROM jobs')).toBe(0)

      queue.refusing = false
      const ok = await h.command('renew the wildcard certificate @Bob in 1 minute')
      expect(ok.replies.map((r) => r.text).join('\n')).toMatch(/Created \*\*T-\d+\*\*/)
      expect(count(db, 'SELECT count(*) AS n FROM tasks')).toBe(1)
      expect(count(db, `SELECT count(*) AS n FROM jobs WHERE name = 'task.remind'`)).toBe(1)

      // Bring the due time (task and reminder alike) to now, so the reminder runs now (the queue looks again within its 50 ms poll).
      const now = Date.now()
      db.$client.prepare('UPDATE tasks SET due_at = ?').run(now)
      const job = db.$client.prepare(`SELECT id, data FROM jobs WHERE name = 'task.remind'`).get() as { id: string; data: string }
      db.$client
        .prepare('UPDATE jobs SET run_at = ?, data = ? WHERE id = ?')
        .run(now, JSON.stringify({ ...JSON.parse(job.data), dueAt: now }), job.id)
      await waitFor(
        () => count(db!, `SELECT count(*) AS n FROM jobs WHERE name = 'task.remind' AND status = 'completed'`) === 1,
        'the reminder job to finish',
        10_000,
      )
      const reminders = platform.posts.filter((p) => p.message.text.startsWith('⏰'))
      expect(reminders).toHaveLength(1)
      expect(reminders[0]!.target).toEqual({ dmTo: expect.objectContaining({ id: 'U_BOB' }) })
    } finally {
      await h.close()
    }
  })
})
