/**
 * "Create without a date" through the dispatcher, where the platform has no message to replace
 * (the shell): the offer names the command to type, the button creates the task, and a forged
 * button value is refused without creating anything (issue 17).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { buttons, harness, tasksPlatform, WS, type Harness } from './support.ts'
import { TestClock } from '../../support/test-clock.ts'

describe('an unreadable date on a platform without message updates', () => {
  let h: Harness
  afterEach(async () => {
    await h?.close()
  })
  const tasks = async () => (await h.feature.context.repo.list({ workspace: WS, limit: 10 })).tasks

  it('offers the command without the date; the button creates it there and then', async () => {
    h = await harness({ platform: tasksPlatform({ name: 'shell' }), clock: TestClock.at('2026-03-13T10:00:00Z'), start: false })
    const offer = (await h.command('@Bob renew the certificate by the 45th of smarch')).replies[0]!
    expect(offer.visibleTo).toBe('U_ALICE')
    expect(offer.text).toBe(
      'I couldn’t read **the 45th of smarch** as a date or time. Try “tomorrow 5pm”, “fri”, “in 3 days”, “next week”, “by Dec 3” or “by the 5th”.\n' +
        'To create it without a due date: `/task @Bob renew the certificate`',
    )
    expect(await tasks()).toHaveLength(0)

    const [button] = buttons(offer)
    const created = (await h.click(button!.actionId, button!.value!, 'U_ALICE')).replies[0]!
    expect(created.text).toBe('Created **T-1**: renew the certificate\nAssigned to Bob, no due date.')
    expect(await tasks()).toMatchObject([{ title: 'renew the certificate', assignees: [{ personId: 'U_BOB' }] }])
    expect((await tasks())[0]!.dueAt).toBeUndefined()
  })

  it('a forged button value creates nothing', async () => {
    h = await harness({ start: false })
    for (const value of ['', 'x'.repeat(1001)]) {
      const turn = await h.click('task:undated', value, 'U_ALICE')
      expect(turn.replies[0]!.text).toMatch(/couldn’t read that button/)
    }
    expect((await h.click('task:undated', '@nobody do it', 'U_ALICE')).replies[0]!.text).toMatch(/don’t know who \*\*@nobody\*\*/)
    expect(await tasks()).toHaveLength(0)
  })
})
