/**
 * A colleague who is neither the creator nor an assignee of a task tries its id: `/task done`,
 * `edit`, `cancel`, `snooze` and the card's buttons. Each answer must read exactly like the answer
 * for an id that does not exist (no "Only Alice can…", which would tell them the task exists and
 * who made it), and nothing about the task may change. Real composition root, signed Slack requests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startHarness, type Harness } from '../adapters/slack/harness.ts'
import { FakeSlackApi } from '../support/fake-slack-api.ts'
import { SlackDriver, buttons, visibleText } from '../e2e/slack-driver.ts'
import { taskRows } from '../e2e/support.ts'
import { waitFor } from '../support/wait.ts'

describe('a stranger and somebody else’s task', () => {
  let h: Harness
  let slack: SlackDriver

  beforeAll(async () => {
    const fake = await new FakeSlackApi().start()
    fake.users.set('UALICE', { id: 'UALICE', name: 'alice', real_name: 'Alice Martin', tz: 'UTC', profile: { display_name: 'Alice' } })
    fake.users.set('UBOB', { id: 'UBOB', name: 'bob', real_name: 'Bob Chen', tz: 'UTC', profile: { display_name: 'Bob' } })
    fake.users.set('UEVE', { id: 'UEVE', name: 'eve', real_name: 'Eve Stranger', tz: 'UTC', profile: { display_name: 'Eve' } })
    fake.channels.set('C1', { id: 'C1', name: 'general' })
    fake.members.set('C1', ['UALICE', 'UBOB', 'UEVE'])
    h = await startHarness({ compose: true, fake })
    slack = new SlackDriver(h.eventsUrl, h.fake)
  })
  afterAll(async () => {
    await h?.close()
  })

  it('every command on the id answers like a missing task, and the task is untouched', async () => {
    const reply = await slack.command('draft the reorg memo <@UBOB> fri')
    const n = Number(buttons(reply.blocks)[0]!.value)
    const id = `T-${n}`
    const missing = `T-${n + 500}`
    // Bob's "you were assigned" DM is the last thing the creation sends; count from there.
    await waitFor(() => slack.dms('UBOB').length === 1, 'Bob told he was assigned')
    const before = taskRows(h.ctx.db).find((t) => t.number === n)!
    const callsBefore = h.fake.callsOf('chat.postMessage').length

    for (const verb of ['done', 'cancel', 'snooze', 'edit', 'show']) {
      const args = verb === 'edit' ? ' tomorrow 9am steal it <@UEVE>' : ''
      const theirs = visibleText(await slack.command(`${verb} ${id}${args}`, 'UEVE'))
      const nobodys = visibleText(await slack.command(`${verb} ${missing}${args}`, 'UEVE'))
      expect(theirs, verb).toBe(nobodys.replaceAll(missing, id))
      expect(theirs, verb).not.toMatch(/Alice|Bob|reorg/)
    }
    // The card's own buttons, clicked by the stranger (the value is just the task number).
    for (const action of ['task:done', 'task:snooze', 'task:edit', 'task:undo']) {
      const theirs = await slack.click('UEVE', { action_id: action, value: String(n) }, { message: { channel: 'C1', ts: '1.1', ephemeral: true } })
      const nobodys = await slack.click(
        'UEVE',
        { action_id: action, value: String(n + 500) },
        { message: { channel: 'C1', ts: '1.2', ephemeral: true } },
      )
      const said = (r: { responseId?: string }) =>
        visibleText(slack.responses(r.responseId!).at(-1)?.body ?? h.fake.callsOf('chat.postEphemeral').at(-1)!.params)
      await expect.poll(() => slack.responses(nobodys.responseId!).length + slack.responses(theirs.responseId!).length).toBe(2)
      expect(said(theirs), action).toBe(said(nobodys).replaceAll(String(n + 500), String(n)))
    }

    const after = taskRows(h.ctx.db).find((t) => t.number === n)!
    expect(after).toEqual(before)
    // Nobody was told anything (no DM, no thread note about a change).
    expect(h.fake.callsOf('chat.postMessage').length).toBe(callsBefore)
    // The people it is about still can.
    expect(visibleText(await slack.command(`done ${id}`, 'UBOB'))).toContain('is done')
  })
})
