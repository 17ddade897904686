/**
 * Task reminders on Slack, end to end: through BullMQ on a real Redis, and in-process across a restart
 * (the next process delivers what the first one planned). Harness as in tasks-slack.test.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startHarness, type Harness } from '../adapters/slack/harness.ts'
import { FakeSlackApi } from '../support/fake-slack-api.ts'
import { BullmqObserver, jobsIdle } from '../support/jobs.ts'
import { describeWithRedis, getTestRedis, type TestRedis } from '../support/redis.ts'
import { SlackDriver, buttons, visibleText } from './slack-driver.ts'
import { taskRows } from './support.ts'
import { people } from './tasks-slack-people.ts'
import { waitFor } from '../support/wait.ts'

describeWithRedis()('task reminders through BullMQ on a real Redis', () => {
  let redis: TestRedis
  let h: Harness
  let slack: SlackDriver
  beforeAll(async () => {
    redis = await getTestRedis()
    const fake = await new FakeSlackApi().start()
    people(fake)
    // 0.05 minutes = 3 s of lead time: the lead reminder may run up to 3 s late and still be useful.
    h = await startHarness({ compose: true, fake, env: { REDIS_URL: redis.url, QUEUE_PREFIX: redis.prefix, TASK_REMINDER_LEAD_MINUTES: '0.05' } })
    slack = new SlackDriver(h.eventsUrl, h.fake)
  })
  afterAll(async () => {
    await h?.close()
    await redis?.stop()
  })

  it('a task due in 5 s: the lead reminder and the due reminder each arrive once, never early', async () => {
    await slack.command('send the contract <@UBOB> in 5 seconds')
    const row = taskRows(h.ctx.db)[0]!
    const due = row.due_at!
    const reminders = () => slack.dms('UBOB').filter((c) => /⏰/.test(String(c.params.text)))
    const lead = await waitFor(() => reminders().find((c) => /Coming up/.test(String(c.params.text))), 'the lead reminder', 8000)
    expect(lead.at).toBeGreaterThanOrEqual(due - 3000)
    const atDue = await waitFor(() => reminders().find((c) => /is due now/.test(String(c.params.text))), 'the due reminder', 8000)
    expect(atDue.at).toBeGreaterThanOrEqual(due)
    expect(visibleText(atDue.params)).toContain('send the contract')
    expect(buttons(atDue.params.blocks).map((b) => b.action_id)).toEqual(['task:done', 'task:snooze'])
    const observer = new BullmqObserver(redis.url, redis.prefix, h.ctx.db)
    await observer.idle().finally(() => observer.close())
    expect(reminders()).toHaveLength(2)
  })
})

describe('task reminders in-process, across a restart', () => {
  it('the reminder planned by the first process is delivered once by the next one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'beacon-e2e-restart-'))
    const fake = await new FakeSlackApi().start()
    people(fake)
    const env = { TASK_REMINDER_LEAD_MINUTES: '0' }
    let second: Harness | undefined
    try {
      const first = await startHarness({ compose: true, fake, dataDir: dir, keepFake: true, env })
      const slack1 = new SlackDriver(first.eventsUrl, fake)
      await slack1.command('file the expense report <@UBOB> in 4 seconds')
      const due = taskRows(first.ctx.db)[0]!.due_at!
      await waitFor(() => slack1.dms('UBOB').length > 0, 'the assignment DM')
      await first.close()
      const reminders = () => fake.callsOf('chat.postMessage').filter((c) => c.params.channel === 'DUBOB' && /⏰/.test(String(c.params.text)))
      expect(reminders()).toHaveLength(0)

      second = await startHarness({ compose: true, fake, dataDir: dir, keepFake: true, env })
      const r = await waitFor(() => reminders()[0], 'the reminder from the restarted process', 10_000)
      expect(r.at).toBeGreaterThanOrEqual(due)
      expect(String(r.params.text)).toMatch(/T-1\*? is due now: file the expense report/)
      await jobsIdle(second.ctx.db)
      expect(reminders()).toHaveLength(1)
    } finally {
      await second?.close()
      await fake.stop()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
