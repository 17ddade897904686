/**
 * The life of a task on the test clock: created → DM → reminders at the right time, once → done →
 * source thread told; snooze, cancel and stale jobs; retries that fill gaps without repeats.
 * Due times are a second or two ahead and the lead time is shortened. "On time" is the planned time
 * in the queue (exact) plus "never early"; "never" and "once" are checked after the clock has moved
 * past everything due (the in-memory queue runs each job at its due time), not after a sleep.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { Person } from '../../../src/core/model.ts'
import { reminderKey, taskReminderJob } from '../../../src/core/tasks/job-defs.ts'
import { stageReminders } from '../../../src/core/tasks/reminders.ts'
import type { Task } from '../../../src/core/tasks/types.ts'
import { buttons, harness, msg, PEOPLE, WS, type Harness } from './support.ts'

const [alice, bob, carol] = PEOPLE as [Person, Person, Person]
const EARLY_MARGIN_MS = 5

function reminders(h: Harness, personId: string) {
  return h.platform.posts.filter((p) => 'dmTo' in p.target && p.target.dmTo.id === personId && p.message.text.startsWith('⏰'))
}

async function createDueIn(h: Harness, ms: number, assignees: Person[] = [bob], source = true): Promise<Task> {
  const m = msg('deploy the fix', { id: `17.${Math.random().toString().slice(2, 8)}` })
  return h.feature.service.create({
    workspace: WS,
    creator: alice,
    draft: { title: 'deploy the fix', assignees, due: { at: new Date(h.clock.nowMs() + ms), dateOnly: false }, truncated: false },
    conversationId: m.conversation.id,
    ...(source ? { source: { conversationId: m.conversation.id, messageId: m.id, threadId: m.threadId } } : {}),
  })
}

describe('task reminders on the in-process queue', () => {
  // (Now the deterministic in-memory queue; the name is kept so the test's history stays findable.)
  let h: Harness
  afterEach(async () => {
    await h?.close()
  })

  it('the whole flow: DM, lead and due reminders once each at their time, done tells the thread and the creator', { timeout: 15_000 }, async () => {
    const hookCalls: number[] = []
    h = await harness({ reminderLeadMs: 700, onTaskDone: async (t) => void hookCalls.push(t.id) })
    const t = await createDueIn(h, 1500)
    stageReminders(h.feature.context, t) // planning twice queues once (dedupe keys)
    await h.jobs.advance(0)
    expect(h.platform.dmsTo('U_BOB').length === 1, 'the assignment DM').toBe(true)
    await h.jobs.advance(5000)
    expect(reminders(h, 'U_BOB').length === 2, 'both reminders').toBe(true)
    const [lead, atDue] = reminders(h, 'U_BOB')
    expect(lead!.message.text).toContain('Coming up: **T-1** deploy the fix is due')
    expect(atDue!.message.text).toContain('**T-1** is due now')
    expect(buttons(atDue!.message).map((b) => b.actionId)).toEqual(['task:done', 'task:snooze', 'task:open'])

    const done = await h.click('task:done', '1', 'U_BOB', { replaceSource: true })
    expect(done.replaced[0]!.text).toContain('✅ **T-1** deploy the fix — done.')
    const thread = t.source!.threadId
    await h.jobs.advance(3000)
    expect(h.platform.inThread(thread).length === 2, 'the done note in the thread').toBe(true)
    expect(h.platform.inThread(thread).map((m) => m.text)).toEqual([
      expect.stringContaining('Alice made this a task: **T-1**'),
      '✅ **T-1** deploy the fix is done — marked by Bob.',
    ])
    await h.jobs.advance(3000)
    expect(h.platform.dmsTo('U_ALICE').length === 1, 'the creator DM').toBe(true)
    expect(h.platform.dmsTo('U_ALICE')[0]!.text).toBe('✅ Bob marked **T-1** deploy the fix done.')
    expect(buttons(h.platform.dmsTo('U_ALICE')[0])).toEqual([]) // no recognition: no kudos button
    expect(hookCalls).toEqual([t.id])
    await h.jobs.advance(3_000)
    expect(reminders(h, 'U_BOB')).toHaveLength(2)
  })

  it('fires at the right time, not early', { timeout: 10_000 }, async () => {
    h = await harness({ reminderLeadMs: 500 })
    const seen: { kind: string; at: number }[] = []
    const post = h.platform.post.bind(h.platform)
    h.platform.post = async (target, m) => {
      if (m.text.startsWith('⏰')) seen.push({ kind: m.text.includes('due now') ? 'due' : 'lead', at: h.clock.nowMs() })
      return post(target, m)
    }
    const t = await createDueIn(h, 1200, [bob], false)
    const due = t.dueAt!.getTime()
    const planned = [...h.jobs.of(taskReminderJob.name)].sort((a, b) => a.runAt - b.runAt)
    expect(planned.map((j) => [(j.data as { kind: string }).kind, j.runAt])).toEqual([
      ['lead', due - 500],
      ['due', due],
    ])
    await h.jobs.advance(8000)
    expect(seen.length === 2, 'two reminders').toBe(true)
    expect(seen.map((s) => s.kind)).toEqual(['lead', 'due'])
    expect(seen[0]!.at).toBeGreaterThanOrEqual(due - 500 - EARLY_MARGIN_MS)
    expect(seen[1]!.at).toBeGreaterThanOrEqual(due - EARLY_MARGIN_MS)
  })

  it('snooze moves the reminders: the old ones never fire, the new ones are queued', { timeout: 10_000 }, async () => {
    h = await harness({ reminderLeadMs: 400 })
    const t = await createDueIn(h, 900)
    const snoozed = await h.click('task:snooze', '1', 'U_BOB', { replaceSource: true })
    expect(snoozed.replaced[0]!.text).toMatch(/Snoozed \*\*T-1\*\* deploy the fix to .* \(America\/New_York\)/)
    await h.jobs.advance(3_000) // the old reminders were due within a second: they would have run by now
    expect(reminders(h, 'U_BOB')).toHaveLength(0)
    const after = (await h.feature.context.repo.get(WS, t.id))!
    expect(after.dueAt!.getTime()).toBe(t.dueAt!.getTime() + 86_400_000)
    const keys = h.jobs.of(taskReminderJob.name).map((j) => ({ k: j.opts.dedupeKey, status: 'waiting' }))
    const newDue = after.dueAt!.getTime()
    expect(keys).toEqual(
      expect.arrayContaining([
        { k: reminderKey({ taskId: t.id, dueAt: newDue, kind: 'lead' }), status: 'waiting' },
        { k: reminderKey({ taskId: t.id, dueAt: newDue, kind: 'due' }), status: 'waiting' },
      ]),
    )
    expect(keys).toHaveLength(2) // the old ones were removed, not left to fire
  })

  it('cancel withdraws the reminders and tells an assignee who had been told', { timeout: 10_000 }, async () => {
    h = await harness({ reminderLeadMs: 300 })
    await createDueIn(h, 800, [bob, carol])
    await h.jobs.advance(0)
    expect(h.platform.dmsTo('U_BOB').length === 1 && h.platform.dmsTo('U_CAROL').length === 1, 'assignment DMs').toBe(true)
    const r = await h.command('cancel T-1', 'U_CAROL')
    expect(r.replies[0]!.text).toBe('Cancelled **T-1** deploy the fix. Its reminders are off.')
    await h.jobs.advance(3_000)
    expect(reminders(h, 'U_BOB')).toHaveLength(0)
    expect(h.platform.dmsTo('U_BOB').map((m) => m.text)).toEqual([
      expect.any(String),
      'Carol cancelled **T-1** deploy the fix. Nothing more to do there.',
    ])
    expect(h.platform.dmsTo('U_CAROL')).toHaveLength(1) // the one who cancelled is not told
    expect(h.platform.updates[0]?.message.text).toContain('this task was cancelled') // the thread note is corrected
  })

  it('a stale reminder job (planned for an old due time) does nothing', async () => {
    h = await harness()
    const t = await createDueIn(h, 60_000, [bob], false)
    const old = t.dueAt!.getTime() - 3_600_000
    await h.queue.enqueue(taskReminderJob, { workspace: WS, taskId: t.id, dueAt: old, kind: 'due' }, { dedupeKey: 'stale-test' })
    await h.queue.enqueue(taskReminderJob, { workspace: WS, taskId: 999, dueAt: old, kind: 'due' }, { dedupeKey: 'stale-test-2' })
    await h.jobs.advance(3_000)
    const ran = [
      ...h.jobs.done.map((j) => ({ j, status: 'completed' })),
      ...h.jobs.failed.map((f) => ({ j: f.job, status: 'failed' })),
      ...h.jobs.pending.map((j) => ({ j, status: 'waiting' })),
    ]
      .filter(({ j }) => j.opts.dedupeKey?.startsWith('stale-test'))
      .map(({ status }) => ({ status }))
    expect(ran).toEqual([{ status: 'completed' }, { status: 'completed' }])
    expect(reminders(h, 'U_BOB')).toHaveLength(0)
  })

  it('a failed DM is retried for that person only: everyone gets exactly one reminder', { timeout: 15_000 }, async () => {
    h = await harness({ reminderLeadMs: 0 })
    h.platform.failFor.add('U_BOB')
    await createDueIn(h, 300, [bob, carol], false)
    await h.jobs.advance(3000)
    expect(reminders(h, 'U_CAROL').length === 1, 'Carol’s reminder').toBe(true)
    h.platform.failFor.delete('U_BOB')
    await h.jobs.advance(6000)
    expect(reminders(h, 'U_BOB').length === 1, 'Bob’s reminder on retry').toBe(true)
    await h.jobs.advance(3_000)
    expect(reminders(h, 'U_CAROL')).toHaveLength(1)
    expect(h.platform.dmsTo('U_BOB').filter((m) => m.text.includes('assigned you'))).toHaveLength(1)
  })

  it('with recognition, the creator is offered kudos once the assignee is done', { timeout: 10_000 }, async () => {
    const given: unknown[] = []
    h = await harness({ recognition: { giveKudos: async (k) => void given.push(k) } })
    await h.command('@Bob update the runbook')
    await h.command('done T-1', 'U_BOB')
    await h.jobs.advance(3000)
    expect(h.platform.dmsTo('U_ALICE').length === 1, 'the kudos offer').toBe(true)
    const offer = h.platform.dmsTo('U_ALICE')[0]!
    expect(offer.text).toContain('Bob marked **T-1** update the runbook done. Want to thank Bob?')
    expect(buttons(offer).map((b) => [b.actionId, b.label])).toEqual([['task:kudos', 'Send kudos to Bob']])
    expect((await h.click('task:kudos', '1', 'U_BOB')).replies[0]!.text).toContain('Only Alice can thank')
    expect((await h.click('task:kudos', '1', 'U_ALICE')).replies[0]!.text).toBe('🎉 Kudos sent to Bob for **T-1**.')
    expect((await h.click('task:kudos', '1', 'U_ALICE')).replies[0]!.text).toContain('already thanked')
    expect(given).toEqual([{ workspace: WS, fromId: 'U_ALICE', toIds: ['U_BOB'], reason: 'for finishing T-1: update the runbook', taskId: 1 }])
  })
})
