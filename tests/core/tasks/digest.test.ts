import { afterEach, describe, expect, it } from 'vitest'
import type { Person } from '../../../src/core/model.ts'
import { taskOverdueDigestJob } from '../../../src/core/tasks/job-defs.ts'
import { runOverdueDigest } from '../../../src/core/tasks/reminders.ts'
import { harness, PEOPLE, WS, type Harness } from './support.ts'
import { TestClock } from '../../support/test-clock.ts'

const [alice, bob, carol] = PEOPLE as [Person, Person, Person]

describe('daily overdue digest', () => {
  let h: Harness
  afterEach(async () => {
    await h?.close()
  })

  async function overdue(title: string, assignees: Person[], due: string) {
    return h.feature.service.create({
      workspace: WS,
      creator: alice,
      draft: { title, assignees, due: { at: new Date(due), dateOnly: false }, truncated: false },
    })
  }

  it('goes to each assignee once a day, at 09:xx on a weekday in their own zone', async () => {
    // Wed 5 Mar 2025 14:00 UTC = 09:00 in New York (Bob), 23:00 in Tokyo (Carol).
    const clock = TestClock.at('2025-03-05T14:00:00Z')
    h = await harness({ clock, start: false })
    await overdue('file the expenses', [bob, carol], '2025-03-04T17:00:00Z')
    await overdue('book the venue', [bob], '2025-03-05T13:00:00Z')
    const finished = await overdue('already done', [bob], '2025-03-01T10:00:00Z')
    await h.feature.service.complete(finished, 'U_BOB')
    await overdue('not yet due', [bob], '2025-03-05T15:00:00Z')
    const ctx = h.feature.context
    const digests = (id: string) => h.platform.dmsTo(id).filter((m) => m.text.includes('overdue'))

    expect(await runOverdueDigest(ctx)).toEqual({ sent: 1, failed: 0 })
    const bobs = digests('U_BOB')
    expect(bobs).toHaveLength(1)
    expect(bobs[0]!.text).toContain('You have 2 overdue tasks')
    expect(bobs[0]!.text).toMatch(/\*\*T-1\*\* file the expenses[\s\S]*\*\*T-2\*\* book the venue/)
    expect(bobs[0]!.text).not.toMatch(/already done|not yet due/)
    expect(bobs[0]!.text).toContain('(overdue)')

    // The hourly schedule runs again within the same local hour, and the next hour: no repeat.
    clock.set('2025-03-05T14:45:00Z')
    await h.queue.runNow(taskOverdueDigestJob.name, {})
    clock.set('2025-03-05T15:00:00Z')
    await runOverdueDigest(ctx)
    expect(digests('U_BOB')).toHaveLength(1)
    expect(digests('U_CAROL')).toHaveLength(0)

    // 09:10 Thursday in Tokyo: Carol's turn; New York is at 19:10.
    clock.set('2025-03-06T00:10:00Z')
    expect(await runOverdueDigest(ctx)).toEqual({ sent: 1, failed: 0 })
    expect(digests('U_CAROL')).toHaveLength(1)
    expect(digests('U_CAROL')[0]!.text).toContain('You have one overdue task')

    // Thursday 09:00 in New York: a new day, a new digest.
    clock.set('2025-03-06T14:00:00Z')
    await runOverdueDigest(ctx)
    expect(digests('U_BOB')).toHaveLength(2)

    // Saturday morning: nothing.
    clock.set('2025-03-08T14:00:00Z')
    await runOverdueDigest(ctx)
    expect(digests('U_BOB')).toHaveLength(2)
  })

  it('a person who cannot be reached is tried again at the next run of that hour, others are unaffected', async () => {
    const clock = TestClock.at('2025-03-05T14:00:00Z')
    h = await harness({ clock, start: false })
    await overdue('fix the alarm', [bob], '2025-03-04T17:00:00Z')
    h.platform.failFor.add('U_BOB')
    expect(await runOverdueDigest(h.feature.context)).toEqual({ sent: 0, failed: 1 })
    h.platform.failFor.delete('U_BOB')
    clock.set('2025-03-05T14:30:00Z')
    expect(await runOverdueDigest(h.feature.context)).toEqual({ sent: 1, failed: 0 })
  })

  it('the digest is scheduled hourly', async () => {
    h = await harness({ start: false })
    await h.feature.scheduleJobs()
    const row = h.jobs.schedules.find((s) => s.name === taskOverdueDigestJob.name)!
    expect(row.cron).toBe('0 * * * *')
  })
})
