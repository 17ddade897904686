/**
 * `/task …`, buttons and forms through the real dispatcher, on real SQLite and the real in-process
 * queue; the chat platform is a recording fake.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { cardToPlainText } from '../../../src/core/outbound.ts'
import { runNotify } from '../../../src/core/tasks/notify.ts'
import { buttons, harness, msg, tasksPlatform, WS, type Harness } from './support.ts'

describe('tasks through the dispatcher', () => {
  let h: Harness
  afterEach(async () => {
    await h?.close()
  })

  const tasks = () => h.feature.context.repo.list({ workspace: WS, limit: 100 })

  it('/task creates, shows what it understood privately, and DMs the assignee a card', async () => {
    h = await harness()
    const turn = await h.command('@Bob review the deck tomorrow 5pm')
    const reply = turn.replies[0]!
    expect(reply.visibleTo).toBe('U_ALICE')
    expect(reply.text).toContain('Created **T-1**: review the deck')
    // Read in Alice's zone (Paris) and shown with it.
    expect(cardToPlainText(reply.card!)).toMatch(/Assignee: Bob\nDue: \w{3} \d+ \w{3}(?: \d{4})?, 17:00 \(Europe\/Paris\)/)
    expect(buttons(reply).map((b) => [b.actionId, b.value])).toEqual([
      ['task:edit', '1'],
      ['task:undo', '1'],
    ])
    await h.jobs.advance(3000)
    expect(h.platform.dmsTo('U_BOB').length === 1, 'the assignee DM').toBe(true)
    const dm = h.platform.dmsTo('U_BOB')[0]!
    expect(dm.text).toContain('Alice assigned you **T-1**: review the deck')
    expect(buttons(dm).map((b) => b.actionId)).toEqual(['task:done', 'task:snooze'])
    // A command has no source thread: nothing is posted anywhere else, and Alice gets no DM of her own.
    await h.jobs.advance(3_000)
    expect(h.platform.posts).toHaveLength(1)
  })

  it('bad input gets a clear private reply and creates nothing', async () => {
    h = await harness()
    const cases: [string, RegExp][] = [
      ['@nobody fix the build', /don’t know who \*\*@nobody\*\*/],
      ['fix the build due someday-ish', /couldn’t read/],
      ['fix the build yesterday 5pm', /already passed/],
      ['@bob tomorrow', /What should the task say/],
      ['z'.repeat(5000), /5,000 characters/],
    ]
    for (const [text, answer] of cases) {
      const turn = await h.command(text)
      expect(turn.replies).toHaveLength(1)
      expect(turn.replies[0]).toMatchObject({ visibleTo: 'U_ALICE' })
      expect(turn.replies[0]!.text).toMatch(answer)
    }
    expect((await tasks()).total).toBe(0)
    await h.jobs.advance(3_000)
    expect(h.platform.posts).toHaveLength(0)
  })

  it('short ids are per workspace and accepted as T-2, t2 or 2', async () => {
    h = await harness()
    await h.command('one')
    await h.command('two')
    expect((await h.command('done t2')).replies[0]!.text).toContain('**T-2** two is done')
    expect((await h.command('done 1')).replies[0]!.text).toContain('**T-1** one is done')
    expect((await h.command('done T-9')).replies[0]!.text).toContain('There is no task **T-9**')
  })

  it('only the creator or an assignee may see, edit, finish or cancel (to others it does not exist); only the creator may undo', async () => {
    h = await harness()
    await h.command('@Bob fix the flaky test')
    for (const cmd of ['show T-1', 'done T-1', 'cancel T-1', 'edit T-1 tomorrow', 'snooze T-1']) {
      const r = await h.command(cmd, 'U_CAROL')
      expect(r.replies[0]!.text).toBe('There is no task **T-1** here. `/task list` shows yours.')
    }
    expect((await h.click('task:undo', '1', 'U_BOB')).replies[0]!.text).toContain('Only Alice can undo')
    expect((await h.click('task:done', '1', 'U_CAROL')).replies[0]!.text).toContain('There is no task **T-1**')
    expect((await h.command('show T-1', 'U_BOB')).replies[0]!.text).toContain('**T-1** fix the flaky test — Bob')
    expect((await tasks()).tasks[0]).toMatchObject({ status: 'open', version: 1 })
    // The assignee can.
    const done = await h.click('task:done', '1', 'U_BOB', { replaceSource: true })
    expect(done.replaced[0]!.text).toContain('done')
    expect((await h.click('task:done', '1', 'U_BOB')).replies[0]!.text).toContain('**T-1** is already done; nothing changed.')
  })

  it('edit changes assignees and due; the new assignee is told, the old one is not told twice', async () => {
    h = await harness()
    await h.command('@Bob write release notes by fri')
    await h.jobs.advance(4000)
    expect(h.platform.dmsTo('U_BOB').length === 1).toBe(true)
    const r = await h.command('edit T-1 @Carol @Bob next week')
    expect(r.replies[0]!.text).toContain('Updated **T-1**: write release notes')
    expect(buttons(r.replies[0]).map((b) => b.actionId)).toEqual(['task:edit']) // no "Undo" that would cancel the task
    await h.jobs.advance(3000)
    expect(h.platform.dmsTo('U_CAROL').length === 1, 'the new assignee DM').toBe(true)
    await h.jobs.advance(3_000)
    expect(h.platform.dmsTo('U_BOB')).toHaveLength(1)
    const t = (await tasks()).tasks[0]!
    expect(t.assignees.map((a) => a.personId)).toEqual(['U_CAROL', 'U_BOB'])
    expect(t.title).toBe('write release notes')
    expect((await h.command('edit T-1 due none')).replies[0]!.text).toContain('no due date')
  })

  it('lists mine, created, channel and overdue', async () => {
    h = await harness()
    await h.command('@Bob alpha', 'U_ALICE', 'C_ONE')
    await h.command('beta tomorrow', 'U_BOB', 'C_TWO')
    await h.command('@Alice gamma', 'U_CAROL', 'C_ONE')
    const text = async (q: string, as = 'U_ALICE', conv = 'C_ONE') => (await h.command(q, as, conv)).replies[0]!.text
    expect(await text('list')).toMatch(/gamma/)
    expect(await text('list')).not.toMatch(/alpha|beta/)
    expect(await text('list created')).toMatch(/alpha/)
    expect(await text('list channel')).toMatch(/alpha[\s\S]*gamma|gamma[\s\S]*alpha/)
    expect(await text('list mine', 'U_BOB')).toMatch(/alpha[\s\S]*beta|beta[\s\S]*alpha/)
    expect(await text('list overdue', 'U_BOB')).toBe('Nothing overdue. 🎉')
    // "list of vendors" is a task, not a list.
    expect(await text('list of vendors to call')).toContain('Created **T-4**: list of vendors to call')
  })

  it('/task help comes from the dispatcher’s help entries', async () => {
    h = await harness()
    const r = await h.command('help')
    expect(r.replies[0]!.text).toContain('`/task list [mine|created|channel|overdue]`')
    expect((await h.command('')).replies[0]!.text).toContain('`/task done <id>`')
  })

  it('undo from the creation reply cancels it before anyone is disturbed', async () => {
    h = await harness({ start: false })
    await h.command('@Bob tidy the backlog tomorrow')
    const undo = await h.click('task:undo', '1', 'U_ALICE', { replaceSource: true })
    expect(undo.replaced[0]!.text).toContain('Undone — **T-1** tidy the backlog won’t be tracked')
    await h.queue.start()
    await h.jobs.advance(3_000)
    expect(h.platform.posts).toHaveLength(0) // the queued "created" DM saw a cancelled task
    expect((await tasks()).tasks[0]!.status).toBe('cancelled')
  })

  it('create_task without modals (the shell) creates from the message, links the source, and confirms in the thread once', async () => {
    h = await harness()
    const m = msg('@Bob can you check the logs by friday?\nThey broke yesterday at 5pm', { author: 'U_CAROL' })
    const turn = await h.action(m, 'U_ALICE')
    expect(turn.replies[0]!.text).toContain('Created **T-1**: can you check the logs?')
    await h.jobs.advance(3000)
    expect(h.platform.inThread(m.threadId).length === 1 && h.platform.dmsTo('U_BOB').length === 1, 'DM and confirmation').toBe(true)
    const dm = h.platform.dmsTo('U_BOB')[0]!
    const open = buttons(dm).find((b) => b.label === 'Open source')!
    expect(open.url).toBe(`https://example.slack.com/archives/C_GENERAL/p${m.id.replace('.', '')}`)
    expect(h.platform.inThread(m.threadId)[0]!.text).toContain('Alice made this a task: **T-1**')
    // The job running again (a retry, a duplicate) posts nothing more.
    const t = (await tasks()).tasks[0]!
    await runNotify(h.feature.context, { workspace: WS, taskId: t.id, event: 'created', version: 1, actorId: 'U_ALICE' })
    expect(h.platform.inThread(m.threadId)).toHaveLength(1)
    expect(h.platform.dmsTo('U_BOB')).toHaveLength(1)
    expect(t.source).toMatchObject({ conversationId: 'C_GENERAL', messageId: m.id, threadId: m.threadId })
  })

  it('create_task with modals opens a prefilled form; errors stay in the form; a valid submission creates', async () => {
    h = await harness({ platform: tasksPlatform({ modals: true }) })
    const m = msg('@Bob please rotate the API keys by Dec 3\nsee the audit', { permalink: 'https://chat.example/p1' })
    const opened = await h.action(m, 'U_ALICE', { forms: true })
    const form = opened.forms[0]!
    expect(form.formId).toBe('task:create')
    expect(Object.fromEntries(form.fields.map((f) => [f.id, f.initial]))).toEqual({
      title: 'rotate the API keys', // "@Bob please …": the polite lead-in goes with the mention
      assignees: '@Bob',
      due: expect.stringMatching(/^3 Dec \d{4} 17:00$/),
    })
    expect((await tasks()).total).toBe(0)

    const bad = await h.submit('task:create', { title: 'rotate keys', assignees: '@Zed', due: 'yesterday' }, form.context, 'U_ALICE')
    expect(Object.keys(bad.rejected[0]!)).toEqual(['assignees'])
    const badDue = await h.submit('task:create', { title: 'rotate keys', assignees: '@Bob', due: 'blorp' }, form.context, 'U_ALICE')
    expect(badDue.rejected[0]!.due).toMatch(/couldn’t read/)
    expect((await tasks()).total).toBe(0)

    const good = await h.submit('task:create', { title: 'rotate keys', assignees: '@Bob', due: 'tomorrow 5pm' }, form.context, 'U_ALICE')
    expect(good.replies[0]!.text).toContain('Created **T-1**: rotate keys')
    const t = (await tasks()).tasks[0]!
    expect(t.source).toEqual({ conversationId: 'C_GENERAL', messageId: m.id, threadId: m.threadId, permalink: 'https://chat.example/p1' })
    await h.jobs.advance(3000)
    expect(h.platform.inThread(m.threadId).length === 1, 'the thread confirmation').toBe(true)

    // Edit opens a form prefilled in the editor's zone; saving the same due changes nothing there.
    const edit = await h.click('task:edit', '1', 'U_BOB', { forms: true })
    const ef = edit.forms[0]!
    const values = Object.fromEntries(ef.fields.map((f) => [f.id, f.initial ?? '']))
    const saved = await h.submit('task:edit', { ...values, title: 'rotate the keys' }, ef.context, 'U_BOB')
    expect(saved.replies[0]!.text).toContain('Updated **T-1**: rotate the keys')
    const after = (await tasks()).tasks[0]!
    expect(after.dueAt).toEqual(t.dueAt)
  })

  it('the App Home section lists my open tasks with Done buttons', async () => {
    h = await harness()
    await h.command('@Bob first thing tomorrow 9am')
    await h.command('@Bob second thing')
    const blocks = await h.feature.homeSection(WS, 'U_BOB')
    const text = blocks.filter((b) => b.type === 'text').map((b) => (b as { text: string }).text)
    expect(text[0]).toBe('**Your open tasks**')
    expect(text[1]).toContain('**T-1** first thing')
    const dones = blocks.flatMap((b) => (b.type === 'actions' ? b.buttons : [])).filter((b) => b.actionId === 'task:done')
    expect(dones.map((b) => b.value)).toEqual(['1', '2'])
    expect((await h.feature.homeSection(WS, 'U_CAROL'))[1]).toMatchObject({ text: expect.stringContaining('Nothing assigned to you') })
  })
})
