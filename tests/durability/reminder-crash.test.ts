/**
 * The reminder window: each DM is claimed in the database before it is sent, so a process killed
 * after the claim — before the send, or inside it (the platform never answered) — leaves a claim
 * whose DM may never have gone out. The rerun of that same job (same job id: the in-process queue
 * reruns a dead process's job under its id, BullMQ reruns a stalled job under its id) must send it,
 * once; any other run — a duplicate job, or the same job after it completed — must not.
 *
 * The "kill" is chosen, not timed: the platform holds the reminder DM open forever, so the first
 * run stops exactly between the claim and the confirmed send and never gets to its error handling,
 * as with a SIGKILL. (A kill after the platform accepted the DM but before the claim is marked sent
 * resends it on the rerun: at least once, since the platform's send has no idempotency key.)
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { MessageRef } from '../../src/core/model.ts'
import type { Outbound } from '../../src/core/outbound.ts'
import type { PostTarget } from '../../src/core/ports.ts'
import { runReminder } from '../../src/core/tasks/reminders.ts'
import type { ReminderJob } from '../../src/core/tasks/job-defs.ts'
import { silentLogger } from '../../src/core/logger.ts'
import { InProcessJobQueue } from '../../src/jobs/in-process-queue.ts'
import { closeDb, openMemoryDb } from '../../src/storage/db.ts'
import { harness, PEOPLE, tasksPlatform, WS, type Harness } from '../core/tasks/support.ts'
import { count } from './support.ts'

/** Holds every reminder DM open while `gate.hold` is set: the process "dies" inside the send. */
function holdingPlatform() {
  const platform = tasksPlatform()
  const gate = { hold: true, held: 0 }
  const post = platform.post.bind(platform)
  platform.post = (target: PostTarget, m: Outbound): Promise<MessageRef> => {
    if (gate.hold && m.text.startsWith('⏰')) {
      gate.held++
      return new Promise<never>(() => {})
    }
    return post(target, m)
  }
  return { platform, gate }
}

describe('a reminder killed between its claim and its send', () => {
  let h: Harness | undefined
  afterEach(async () => {
    await h?.close()
    if (h) closeDb(h.db)
  })

  it('the rerun of the same job sends it once; a duplicate job or a later rerun sends nothing', async () => {
    const { platform, gate } = holdingPlatform()
    const db = openMemoryDb() // the in-process queue's own jobs table is what reruns a dead process's job
    h = await harness({ db, platform, queue: new InProcessJobQueue({ db, log: silentLogger, pollMs: 200 }), reminderLeadMs: 0 })
    const bob = PEOPLE[1]!
    // Due in an hour: its queued job stays delayed, so only the runs below send anything.
    const task = await h.feature.service.create({
      workspace: WS,
      creator: PEOPLE[0]!,
      conversationId: 'C_GENERAL',
      draft: {
        title: 'renew the wildcard certificate',
        assignees: [bob],
        due: { at: new Date(Date.now() + 3_600_000), dateOnly: false },
        truncated: false,
      },
    })
    const job = h.db.$client.prepare(`SELECT id, data FROM jobs WHERE name = 'task.remind'`).get() as { id: string; data: string }
    const data = JSON.parse(job.data) as ReminderJob
    expect(data).toMatchObject({ taskId: task.id, kind: 'due' })
    const reminders = () => platform.dmsTo(bob.id).filter((m) => m.text.startsWith('⏰'))

    // The run that dies: it claimed Bob's DM and is inside the send when the process goes.
    void runReminder(h.feature.context, data, job.id)
    await waitUntilHeld(gate)
    expect(count(h.db, 'SELECT count(*) AS n FROM task_notifications WHERE task_id = ? AND sent = 0', task.id)).toBe(1)
    gate.hold = false

    // A different job for the same reminder (a duplicate) does not take over a live claim.
    expect(await runReminder(h.feature.context, data, 'some-other-job')).toBe('already-sent')
    expect(reminders()).toHaveLength(0)

    // The queue reruns the dead process's job under its id: the DM goes out, once.
    expect(await runReminder(h.feature.context, data, job.id)).toBe('sent')
    expect(reminders()).toHaveLength(1)
    expect(reminders()[0]!.text).toContain('renew the wildcard certificate')
    expect(count(h.db, 'SELECT count(*) AS n FROM task_notifications WHERE task_id = ? AND sent = 1', task.id)).toBe(1)

    // Any run after that — the same job again, another job, no job id — finds it sent.
    expect(await runReminder(h.feature.context, data, job.id)).toBe('already-sent')
    expect(await runReminder(h.feature.context, data, 'some-other-job')).toBe('already-sent')
    expect(await runReminder(h.feature.context, data)).toBe('already-sent')
    expect(reminders()).toHaveLength(1)
  })
})

async function waitUntilHeld(p: { held: number }): Promise<void> {
  for (let i = 0; p.held === 0; i++) {
    if (i > 1000) throw new Error('the reminder never reached the platform')
    await new Promise((r) => setImmediate(r))
  }
}
