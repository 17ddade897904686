import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { verifyWebhookSignature, webhookBodySchema } from '../../src/core/tasks/index.ts'
import { startHarness, type Harness } from '../adapters/slack/harness.ts'
import { FakeSlackApi } from '../support/fake-slack-api.ts'
import { jobsIdle } from '../support/jobs.ts'
import { TestClock } from '../support/test-clock.ts'
import { SlackDriver, buttons, visibleText } from './slack-driver.ts'
import { BERLIN, NY, people } from './tasks-slack-people.ts'
import { localParts, startWebhookReceiver, taskRows, type WebhookReceiver } from './support.ts'
import { waitFor } from '../support/wait.ts'

const WEBHOOK_SECRET = 'e2e-webhook-secret-0123456789'

/** 17:00 tomorrow in `zone`, checked with Intl only. */
function isTomorrow5pm(dueAt: number, zone: string): boolean {
  const p = localParts(dueAt, zone)
  return p.time === '17:00' && p.ymd === localParts(Date.now() + 86_400_000, zone).ymd
}

describe('tasks on Slack, end to end', () => {
  let h: Harness
  let slack: SlackDriver
  let hook: WebhookReceiver
  const db = () => h.ctx.db
  /** Beacon's clock: the wall clock, moved on where a test needs time to have passed. */
  const clock = TestClock.followingWallClock()

  beforeAll(async () => {
    hook = await startWebhookReceiver()
    const fake = await new FakeSlackApi().start()
    people(fake)
    h = await startHarness({
      compose: true,
      fake,
      composeOptions: { clock },
      env: { TASK_WEBHOOK_URL: hook.url, TASK_WEBHOOK_SECRET: WEBHOOK_SECRET },
    })
    slack = new SlackDriver(h.eventsUrl, h.fake)
  })
  afterAll(async () => {
    await h?.close()
    await hook?.close()
  })

  it('/task with a mention and "tomorrow 5pm": reply in the creator’s zone with Edit/Undo, a DM card to the assignee, a signed webhook', async () => {
    const before = Date.now()
    const reply = await slack.command('write the guide <@UBOB|bob> tomorrow 5pm')
    expect(reply.response_type).toBe('ephemeral')
    const text = visibleText(reply)
    expect(text).toContain('T-1')
    expect(text).toContain('write the guide')
    // The date and the mention left the title; the date is shown with the words it was read from.
    expect(text.split('\n')[0]).not.toMatch(/tomorrow|5pm|<@/)
    expect(text).toContain(`(${NY}) — from “tomorrow 5pm”`)
    expect(text).toContain('Bob')
    expect(text).toContain(`17:00 (${NY})`)
    const tomorrowNy = localParts(Date.now() + 86_400_000, NY).date
    expect(text).toContain(tomorrowNy)
    expect(buttons(reply.blocks).map((b) => b.label)).toEqual(['Edit', 'Undo'])

    const [row] = taskRows(db())
    expect(row).toMatchObject({ number: 1, title: 'write the guide', status: 'open', creator_id: 'UALICE', assignees: 'UBOB', timezone: NY })
    expect(isTomorrow5pm(row!.due_at!, NY)).toBe(true)

    // The assignee's DM: opened with conversations.open, a card with Done and Snooze, the time in *their* zone.
    const dm = await waitFor(() => slack.dms('UBOB', before)[0], 'the assignment DM to Bob')
    expect(h.fake.callsOf('conversations.open').some((c) => c.params.users === 'UBOB')).toBe(true)
    const dmText = visibleText(dm.params)
    expect(dmText).toContain('write the guide')
    expect(dmText).toContain('Alice')
    expect(dmText).toContain(`${localParts(row!.due_at!, BERLIN).time} (${BERLIN})`)
    expect(buttons(dm.params.blocks).map((b) => [b.action_id, b.value])).toEqual([
      ['task:done', '1'],
      ['task:snooze', '1'],
    ])
    // The creator assigned it to someone else: no DM to the creator about her own task.
    expect(slack.dms('UALICE', before)).toHaveLength(0)

    const created = await waitFor(() => hook.received.find((r) => r.headers['x-beacon-event'] === 'task.created'), 'the task.created webhook')
    expect(
      verifyWebhookSignature(WEBHOOK_SECRET, {
        signature: String(created.headers['x-beacon-signature']),
        timestamp: String(created.headers['x-beacon-timestamp']),
        body: created.body,
      }),
    ).toBe(true)
    expect(
      verifyWebhookSignature('another-secret-0123456789', {
        signature: String(created.headers['x-beacon-signature']),
        timestamp: String(created.headers['x-beacon-timestamp']),
        body: created.body,
      }),
    ).toBe(false)
    const body = webhookBodySchema.parse(JSON.parse(created.body))
    expect(body).toMatchObject({
      type: 'task.created',
      workspace: 'slack:T1',
      task: { id: 'T-1', title: 'write the guide', status: 'open', assignees: [{ id: 'UBOB', name: 'Bob' }] },
    })
  })

  it('Done on the assignee’s DM card replaces the card, tells the creator, sends a signed task.done, and only once', async () => {
    const dm = slack.dms('UBOB').find((c) => visibleText(c.params).includes('write the guide'))!
    // Slack sends the card's ts back in the button's container.
    const msgTs = '1700000001.000100'
    const done = buttons(dm.params.blocks).find((b) => b.action_id === 'task:done')!
    const { responseId } = await slack.click('UBOB', done, { message: { channel: 'DUBOB', ts: msgTs } })
    const replaced = await waitFor(() => slack.responses(responseId!)[0], 'the DM card replaced through response_url')
    expect(replaced.body.replace_original).toBe(true)
    expect(visibleText(replaced.body)).toMatch(/T-1.*write the guide.*done/)
    expect(taskRows(db())[0]).toMatchObject({ status: 'done' })

    const toCreator = await waitFor(
      () => slack.dms('UALICE').find((c) => /Bob marked .*T-1.* done/.test(String(c.params.text))),
      'the creator told Bob finished it',
    )
    expect(toCreator).toBeDefined()
    const doneHook = await waitFor(() => hook.received.find((r) => r.headers['x-beacon-event'] === 'task.done'), 'the task.done webhook')
    expect(
      verifyWebhookSignature(WEBHOOK_SECRET, {
        signature: String(doneHook.headers['x-beacon-signature']),
        timestamp: String(doneHook.headers['x-beacon-timestamp']),
        body: doneHook.body,
      }),
    ).toBe(true)
    expect(webhookBodySchema.parse(JSON.parse(doneHook.body)).task).toMatchObject({ id: 'T-1', status: 'done', closedBy: 'UBOB' })

    // A second click (double click, or an old copy of the card): nothing changes, Bob is told why.
    const again = await slack.click('UBOB', done, { message: { channel: 'DUBOB', ts: msgTs } })
    const second = await waitFor(() => slack.responses(again.responseId!)[0], 'the answer to a second Done')
    expect(visibleText(second.body)).toMatch(/already done/)
    await jobsIdle(db())
    expect(hook.received.filter((r) => r.headers['x-beacon-event'] === 'task.done')).toHaveLength(1)
    expect(slack.dms('UALICE').filter((c) => /marked .*T-1/.test(String(c.params.text)))).toHaveLength(1)
  })

  it('Undo on the creation reply cancels the task; nothing is left to remind', async () => {
    const reply = await slack.command('order team lunch <@UBOB> fri')
    const undo = buttons(reply.blocks).find((b) => b.action_id === 'task:undo')!
    const n = Number(undo.value)
    const { responseId } = await slack.click('UALICE', undo, { message: { channel: 'C1', ts: '1700000500.000100', ephemeral: true } })
    const answer = await waitFor(() => slack.responses(responseId!)[0], 'the undo answer')
    expect(answer.body.replace_original).toBe(true)
    expect(visibleText(answer.body)).toMatch(/Undone/)
    expect(taskRows(db()).find((t) => t.number === n)).toMatchObject({ status: 'cancelled' })
    // No reminder job for it is waiting any more.
    const waiting = db()
      .$client.prepare(`SELECT count(*) AS n FROM jobs WHERE name = 'task.remind' AND status = 'waiting' AND data LIKE ?`)
      .get(`%"taskId":${taskRows(db()).find((t) => t.number === n)!.id},%`) as { n: number }
    expect(waiting.n).toBe(0)
  })

  it('the create_task shortcut opens a prefilled modal; submitting creates the task linked to its source, with one note in the thread', async () => {
    const source = { ts: '1700000100.000100', user: 'UEVE', text: '<@UBOB> can you update the onboarding doc by fri?' }
    h.fake.addMessage('C1', source)
    const before = Date.now()
    const trigger = await slack.shortcut('UALICE', 'C1', source)
    const open = await waitFor(() => h.fake.callsOf('views.open').find((c) => c.params.trigger_id === trigger), 'views.open for the shortcut')
    const view = open.params.view as {
      callback_id: string
      private_metadata: string
      blocks: { block_id: string; element: { initial_value?: string } }[]
    }
    expect(view.callback_id).toBe('task:create')
    const initial = Object.fromEntries(view.blocks.map((b) => [b.block_id, b.element.initial_value ?? '']))
    expect(initial.title).toMatch(/update the onboarding doc/)
    expect(initial.title).not.toMatch(/by fri|<@/)
    expect(initial.assignees).toBe('@Bob')
    expect(initial.due).toMatch(/17:00$/)
    const count = taskRows(db()).length

    // Nothing exists until the person submits.
    expect(taskRows(db())).toHaveLength(count)
    const ack = await slack.submit('UALICE', view, { title: initial.title!, assignees: initial.assignees!, due: initial.due! })
    expect(ack.status).toBe(200)
    expect(ack.body).toBeUndefined() // an empty ack closes the modal
    expect(ack.ms).toBeLessThan(3000)
    const row = taskRows(db()).at(-1)!
    expect(taskRows(db())).toHaveLength(count + 1)
    expect(row).toMatchObject({ assignees: 'UBOB', source_conversation_id: 'C1', source_message_id: source.ts })

    // The creator hears what was created (a modal has no channel: by DM).
    await waitFor(
      () => slack.dms('UALICE', before).find((c) => visibleText(c.params).includes(`T-${row.number}`)),
      'the creation confirmation to Alice',
    )
    // Bob's DM links back to the source message through chat.getPermalink.
    const dm = await waitFor(() => slack.dms('UBOB', before).find((c) => visibleText(c.params).includes(`T-${row.number}`)), 'the assignment DM')
    const open2 = buttons(dm.params.blocks).find((b) => b.label === 'Open source')
    expect(open2?.url).toBe(`https://acme.slack.com/archives/C1/p${source.ts.replace('.', '')}`)
    expect(h.fake.callsOf('chat.getPermalink').some((c) => c.params.message_ts === source.ts)).toBe(true)
    expect(taskRows(db()).at(-1)!.source_permalink).toBe(open2?.url)
    // Exactly one confirmation in the source thread.
    await waitFor(() => slack.threadPosts('C1', source.ts).length > 0, 'the thread confirmation')
    await jobsIdle(db())
    const notes = slack.threadPosts('C1', source.ts)
    expect(notes).toHaveLength(1)
    expect(String(notes[0]!.params.text)).toMatch(new RegExp(`T-${row.number}.*Bob`))

    // Done from the DM: the card is replaced and the source thread is told.
    const done = buttons(dm.params.blocks).find((b) => b.action_id === 'task:done')!
    const { responseId } = await slack.click('UBOB', done, { message: { channel: 'DUBOB', ts: '1700000777.000100' } })
    const replaced = await waitFor(() => slack.responses(responseId!)[0], 'the replaced DM card')
    expect(replaced.body.replace_original).toBe(true)
    const told = await waitFor(
      () => slack.threadPosts('C1', source.ts).find((c) => /done/.test(String(c.params.text))),
      'the done note in the source thread',
    )
    expect(String(told.params.text)).toMatch(new RegExp(`T-${row.number}.*done.*Bob`))
  })

  it('a bad modal submission keeps the modal open with the error on its field and stores nothing', async () => {
    const source = { ts: '1700000200.000100', user: 'UBOB', text: 'someone should renew the certificate' }
    const trigger = await slack.shortcut('UALICE', 'C1', source)
    const open = await waitFor(() => h.fake.callsOf('views.open').find((c) => c.params.trigger_id === trigger), 'views.open')
    const view = open.params.view as { callback_id: string; private_metadata: string }
    const count = taskRows(db()).length
    const noTitle = await slack.submit('UALICE', view, { title: '   ', assignees: '', due: '' })
    expect(noTitle.status).toBe(200)
    expect(noTitle.body).toMatchObject({ response_action: 'errors', errors: { title: expect.stringMatching(/title/i) } })
    const badDue = await slack.submit('UALICE', view, { title: 'renew the certificate', assignees: '', due: 'flurbsday' })
    expect(badDue.body).toMatchObject({ response_action: 'errors', errors: { due: expect.stringContaining('flurbsday') } })
    const nobody = await slack.submit('UALICE', view, { title: 'renew the certificate', assignees: '@zed', due: '' })
    expect(nobody.body).toMatchObject({ response_action: 'errors', errors: { assignees: expect.stringContaining('zed') } })
    expect(taskRows(db())).toHaveLength(count)
  })

  it.each([
    ['no title', '<@UBOB|bob> tomorrow 5pm', /What should the task say/],
    ['an unknown person (plain @name)', 'write the guide @zed tomorrow', /don’t know who \*@zed\*/],
    ['an unknown person (a token Slack sent)', 'write the guide <@UGHOST|ghost>', /don’t know who \*@ghost\*/],
    ['a bot', 'write the guide <@UBOTTY>', /bot and can’t be assigned/],
    ['a nonsense date', 'write the guide due flurbsday', /couldn’t read \*flurbsday\* as a date/],
    ['an impossible date', 'write the guide by Feb 30', /couldn’t read \*Feb 30\*/],
    ['an impossible time', 'write the guide tomorrow at 25pm', /couldn’t read \*tomorrow at 25pm\*/],
    ['a date in the past', 'write the guide due yesterday', /already passed/],
    ['5,000 characters', `${`write the guide ${'and more '.repeat(600)}`.slice(0, 4999)}x`, /5,000 characters — too long/],
  ])('bad input (%s) gets a clear private reply and stores nothing', async (_what, text, expected) => {
    const count = taskRows(db()).length
    const dmsBefore = h.fake.callsOf('chat.postMessage').length
    const reply = await slack.command(text)
    expect(reply.response_type).toBe('ephemeral')
    expect(String(reply.text)).toMatch(expected)
    await jobsIdle(db())
    expect(taskRows(db())).toHaveLength(count)
    expect(h.fake.callsOf('chat.postMessage')).toHaveLength(dmsBefore)
  })
})
