/**
 * /task list, done, edit and cancel by id, and App Home, on Slack end to end. The first tasks are
 * seeded through the commands: one Bob finished and one Alice cancelled, which no list may show.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startHarness, type Harness } from '../adapters/slack/harness.ts'
import { FakeSlackApi } from '../support/fake-slack-api.ts'
import { jobsIdle } from '../support/jobs.ts'
import { TestClock } from '../support/test-clock.ts'
import { waitFor } from '../support/wait.ts'
import { SlackDriver, buttons, visibleText } from './slack-driver.ts'
import { localParts, taskRows } from './support.ts'
import { NY, people } from './tasks-slack-people.ts'

describe('tasks on Slack by command and App Home, end to end', () => {
  let h: Harness
  let slack: SlackDriver
  const db = () => h.ctx.db
  /** Beacon's clock: the wall clock, moved on where a test needs time to have passed. */
  const clock = TestClock.followingWallClock()

  beforeAll(async () => {
    const fake = await new FakeSlackApi().start()
    people(fake)
    h = await startHarness({ compose: true, fake, composeOptions: { clock } })
    slack = new SlackDriver(h.eventsUrl, h.fake)
    // Bob's finished task and Alice's cancelled one.
    const guide = Number(buttons((await slack.command('write the guide <@UBOB|bob> tomorrow 5pm')).blocks)[0]!.value)
    expect(String((await slack.command(`done T-${guide}`, 'UBOB')).text)).toMatch(/done/)
    const lunch = Number(buttons((await slack.command('order team lunch <@UBOB> fri')).blocks)[0]!.value)
    expect(String((await slack.command(`cancel T-${lunch}`, 'UALICE')).text)).toMatch(/Cancelled/)
  })
  afterAll(async () => {
    await h?.close()
  })

  it('/task list mine|created|channel|overdue show the right tasks to the right person', async () => {
    await slack.command('prepare the quarterly review <@UBOB> next week')
    await slack.command('book the offsite venue fri', 'UALICE', 'C2')
    // Due a second from now: overdue by the time we ask.
    await slack.command('call the vendor <@UBOB> in 1 second')
    clock.advance(1100)

    const mine = visibleText(await slack.command('list mine', 'UBOB'))
    expect(mine).toContain('prepare the quarterly review')
    expect(mine).toContain('call the vendor')
    expect(mine).not.toContain('write the guide') // done
    expect(mine).not.toContain('order team lunch') // undone
    expect(mine).not.toContain('book the offsite venue') // Alice's own

    const created = visibleText(await slack.command('list created', 'UALICE'))
    expect(created).toContain('book the offsite venue')
    expect(created).toContain('prepare the quarterly review')

    const channel = visibleText(await slack.command('list channel', 'UBOB', 'C2'))
    expect(channel).toContain('book the offsite venue')
    expect(channel).not.toContain('prepare the quarterly review')

    const overdue = visibleText(await slack.command('list overdue', 'UBOB'))
    expect(overdue).toContain('call the vendor')
    expect(overdue).toContain('overdue')
    expect(overdue).not.toContain('prepare the quarterly review')

    const eve = await slack.command('list', 'UEVE')
    expect(visibleText(eve)).toMatch(/Nothing assigned to you/)
  })

  it('/task done, edit and cancel by id; a stranger is refused and nothing changes', async () => {
    const reply = await slack.command('update the status page <@UBOB> fri')
    const n = Number(buttons(reply.blocks)[0]!.value)
    const id = `T-${n}`

    // To a stranger the task does not exist (tests/security/task-strangers.test.ts tries every verb).
    for (const cmd of [`done ${id}`, `edit ${id} tomorrow 9am`, `cancel ${id}`]) {
      expect(String((await slack.command(cmd, 'UEVE')).text)).toContain(`There is no task *${id}* here`)
    }
    expect(taskRows(db()).find((t) => t.number === n)).toMatchObject({ status: 'open', title: 'update the status page' })

    const bobDms = slack.dms('UBOB').length
    const edited = visibleText(await slack.command(`edit ${id} refresh the status page <@UBOB> <@UEVE> tomorrow 9am`, 'UALICE'))
    expect(edited).toMatch(/Updated/)
    expect(edited).toContain('refresh the status page')
    expect(edited).toContain(`09:00 (${NY})`)
    const row = taskRows(db()).find((t) => t.number === n)!
    expect(row).toMatchObject({ title: 'refresh the status page', assignees: 'UBOB,UEVE' })
    expect(localParts(row.due_at!, NY).time).toBe('09:00')
    // Eve, newly assigned, gets her card; Bob, who already has his, does not get a second one.
    const eveDm = await waitFor(
      () => slack.dms('UEVE').find((c) => visibleText(c.params).includes('refresh the status page')),
      'Eve told she was assigned',
    )
    expect(buttons(eveDm.params.blocks).map((b) => b.action_id)).toContain('task:done')
    await jobsIdle(db())
    // Other tests' tasks may come due meanwhile (their reminders are not about this one).
    expect(
      slack
        .dms('UBOB')
        .slice(bobDms)
        .map((c) => visibleText(c.params))
        .filter((t) => t.includes(id)),
    ).toEqual([])

    const done = await slack.command(`done ${id}`, 'UBOB')
    expect(String(done.text)).toMatch(new RegExp(`${id}.*done`))
    expect(taskRows(db()).find((t) => t.number === n)).toMatchObject({ status: 'done' })

    const other = await slack.command('tidy the wiki fri', 'UALICE')
    const m = Number(buttons(other.blocks)[0]!.value)
    const cancelled = await slack.command(`cancel T-${m}`, 'UALICE')
    expect(String(cancelled.text)).toMatch(/Cancelled/)
    expect(taskRows(db()).find((t) => t.number === m)).toMatchObject({ status: 'cancelled' })

    const missing = await slack.command('done T-999', 'UALICE')
    expect(String(missing.text)).toMatch(/no task \*T-999\*/)
  })

  it('App Home shows my open tasks with Done buttons; Done there closes the task and the Home updates', async () => {
    const published = h.fake.callsOf('views.publish').length
    await slack.event({ type: 'app_home_opened', user: 'UBOB', channel: 'DUBOB', tab: 'home', event_ts: `${Date.now() / 1000}` })
    const call = await waitFor(
      () =>
        h.fake
          .callsOf('views.publish')
          .slice(published)
          .find((c) => c.params.user_id === 'UBOB'),
      'views.publish for Bob',
    )
    const view = call.params.view as { type: string; blocks: unknown }
    expect(view.type).toBe('home')
    const text = visibleText(view)
    expect(text).toContain('prepare the quarterly review')
    expect(text).not.toContain('write the guide')
    const doneButtons = buttons(view.blocks).filter((b) => b.action_id === 'task:done')
    const openForBob = taskRows(db()).filter((t) => t.status === 'open' && t.assignees.split(',').includes('UBOB'))
    expect(doneButtons.map((b) => Number(b.value)).sort()).toEqual(openForBob.map((t) => t.number).sort())

    const target = openForBob.find((t) => t.title === 'prepare the quarterly review')!
    const after = h.fake.callsOf('views.publish').length
    await slack.click('UBOB', { action_id: 'task:done', value: String(target.number) }, { home: true })
    await waitFor(() => taskRows(db()).find((t) => t.id === target.id)?.status === 'done', 'the task done from App Home')
    const refreshed = await waitFor(
      () =>
        h.fake
          .callsOf('views.publish')
          .slice(after)
          .find((c) => c.params.user_id === 'UBOB'),
      'App Home republished',
    )
    expect(visibleText(refreshed.params.view as { blocks: unknown })).not.toContain('prepare the quarterly review')
  })
})
