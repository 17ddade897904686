/**
 * Due dates on Slack, end to end (issues 17 and 22): a `/task` whose date Beacon cannot read is
 * refused with what was not understood and nothing stored, its "Create without a date" button
 * creates the task, and every confirmation shows the date the words became.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startHarness, type Harness } from '../adapters/slack/harness.ts'
import { FakeSlackApi } from '../support/fake-slack-api.ts'
import { SlackDriver, buttons, visibleText } from './slack-driver.ts'
import { jobsIdle } from '../support/jobs.ts'
import { localParts, taskRows } from './support.ts'
import { waitFor } from '../support/wait.ts'

const NY = 'America/New_York'

describe('due dates on Slack', () => {
  let h: Harness
  let slack: SlackDriver
  const db = () => h.ctx.db

  beforeAll(async () => {
    const fake = await new FakeSlackApi().start()
    fake.users.set('UALICE', { id: 'UALICE', name: 'alice', real_name: 'Alice Martin', tz: NY, profile: { display_name: 'Alice' } })
    fake.users.set('UBOB', { id: 'UBOB', name: 'bob', real_name: 'Bob Chen', tz: 'Europe/Berlin', profile: { display_name: 'Bob' } })
    fake.channels.set('C1', { id: 'C1', name: 'general' })
    fake.members.set('C1', ['UALICE', 'UBOB'])
    h = await startHarness({ compose: true, fake })
    slack = new SlackDriver(h.eventsUrl, h.fake)
  })
  afterAll(async () => {
    await h?.close()
  })

  it.each([
    ['<@UBOB|bob> review the contract at 25:99', '25:99', 'task <@UBOB|bob> review the contract', '/task @bob review the contract'],
    [
      '<@UBOB|bob> review the contract by the 45th of smarch',
      'the 45th of smarch',
      'task <@UBOB|bob> review the contract',
      '/task @bob review the contract',
    ],
  ])('%s: says what it could not read, stores nothing, and "Create without a date" creates it', async (command, unread, undated, hint) => {
    const before = Date.now()
    const count = taskRows(db()).length
    const reply = await slack.command(command)
    expect(reply.response_type).toBe('ephemeral')
    const text = visibleText(reply)
    expect(text).toContain(`couldn’t read *${unread}* as a date`)
    expect(text).toContain(`To create it without a due date: \`${hint}\``)
    await jobsIdle(db()) // anything the command queued has run
    expect(taskRows(db())).toHaveLength(count)
    expect(slack.dms('UBOB', before)).toHaveLength(0)

    const offer = buttons(reply.blocks)
    expect(offer.map((b) => [b.action_id, b.label])).toEqual([['task:undated', 'Create without a date']])
    expect(`task ${offer[0]!.value}`).toBe(undated)
    const { responseId } = await slack.click('UALICE', offer[0]!, { message: { channel: 'C1', ts: '1700000900.000100', ephemeral: true } })
    const answer = await waitFor(() => slack.responses(responseId!)[0], 'the answer to Create without a date')
    // The offer is replaced by the confirmation, so its button is gone.
    expect(answer.body.replace_original).toBe(true)
    expect(visibleText(answer.body)).toMatch(/Created \*T-\d+\*: review the contract\nAssigned to Bob, no due date\./)
    const row = taskRows(db()).at(-1)!
    expect(taskRows(db())).toHaveLength(count + 1)
    expect(row).toMatchObject({ title: 'review the contract', assignees: 'UBOB', due_at: null, creator_id: 'UALICE', conversation_id: 'C1' })
    await waitFor(() => slack.dms('UBOB', before).find((c) => visibleText(c.params).includes('review the contract')), 'the assignment DM to Bob')
  })

  it('the confirmation shows the date the words became: "next friday" → the Friday of next week, 17:00', async () => {
    const reply = await slack.command('book the venue next friday')
    const row = taskRows(db()).at(-1)!
    expect(row.title).toBe('book the venue')
    // chrono's "next friday": the Friday of next week (from a Sunday or Saturday, the coming one).
    const weekday = new Date(localParts(Date.now(), NY).ymd).getUTCDay()
    const days = weekday === 0 ? 5 : weekday === 6 ? 6 : 12 - weekday
    const expected = localParts(Date.now() + days * 86_400_000, NY).date
    expect(localParts(row.due_at!, NY)).toMatchObject({ date: expected, time: '17:00' })
    expect(visibleText(reply)).toContain(`due ${expected}, 17:00 (${NY}) — from “next friday”`)
  })
})
