import { describe, expect, it } from 'vitest'
import { htmlToMarkdown } from '../../../adapters/teams/html-to-markdown.ts'
import { renderAdaptiveCard, renderFormCard, renderMessage, toTeamsMarkdown } from '../../../adapters/teams/render-adaptive-card.ts'
import { parseCommand, plainText, splitConversationId } from '../../../adapters/teams/translate-activity.ts'
import { escapeMarkdown, type Card, type Form } from '../../../src/core/outbound.ts'

const taskCard: Card = {
  title: 'Task: write the RFC',
  blocks: [
    { type: 'text', text: 'Assigned to **Alice** by _Bob_.\nSee [the doc](https://example.com/doc).\n\n- first\n- second' },
    {
      type: 'fields',
      fields: [
        { label: 'Due', value: 'Fri 7 Feb' },
        { label: 'Status', value: '`open`' },
      ],
    },
    { type: 'divider' },
    { type: 'context', text: 'Created from a message in #design' },
    {
      type: 'actions',
      buttons: [
        { actionId: 'task:done', label: 'Mark done', value: 'task-42', style: 'primary' },
        { actionId: 'task:delete', label: 'Delete', value: 'task-42', style: 'danger' },
        { actionId: 'task:open', label: 'Open', url: 'https://beacon.example/tasks/42' },
      ],
    },
  ],
}

const form: Form = {
  formId: 'tasks:create',
  title: 'Create a task',
  submitLabel: 'Create',
  context: '{"messageId":"1"}',
  fields: [
    { id: 'title', label: 'Title', kind: 'text', required: true, maxLength: 200, placeholder: 'What needs doing?' },
    { id: 'notes', label: 'Notes', kind: 'multiline', initial: 'From the thread' },
    { id: 'due', label: 'Due', kind: 'date', initial: '2025-02-07' },
    {
      id: 'who',
      label: 'Assignee',
      kind: 'select',
      options: [
        { label: 'Alice', value: 'aad-alice' },
        { label: 'Bob', value: 'aad-bob' },
      ],
    },
  ],
}

describe('renderAdaptiveCard', () => {
  it('renders a card as Adaptive Card 1.5 (snapshot)', () => {
    expect(renderAdaptiveCard(taskCard)).toMatchSnapshot()
  })

  it('uses Action.Execute with verb = actionId and data.value, and Action.OpenUrl for links', () => {
    const set = renderAdaptiveCard(taskCard).body.find((b) => b.type === 'ActionSet') as unknown as { actions: Record<string, unknown>[] }
    expect(set.actions[0]).toEqual({ type: 'Action.Execute', title: 'Mark done', verb: 'task:done', data: { value: 'task-42' }, style: 'positive' })
    expect(set.actions[1]).toMatchObject({ style: 'destructive' })
    expect(set.actions[2]).toEqual({ type: 'Action.OpenUrl', title: 'Open', url: 'https://beacon.example/tasks/42' })
  })

  it('renders forms for a dialog (Action.Submit) and inline (Action.Execute), with errors (snapshot)', () => {
    expect(renderFormCard(form, { surface: 'dialog' })).toMatchSnapshot()
    const inline = renderFormCard(form, { surface: 'message', errors: { title: 'A task needs a title' }, values: { title: '' } })
    expect(inline.actions?.[0]).toMatchObject({
      type: 'Action.Execute',
      verb: 'beacon.form.submit',
      data: { beaconForm: { formId: 'tasks:create' } },
    })
    expect(inline.body).toContainEqual(expect.objectContaining({ type: 'TextBlock', text: 'A task needs a title', color: 'Attention' }))
  })

  it('always carries a plain-text fallback (summary + fallbackText); text-only messages stay markdown', () => {
    const m = renderMessage({ text: 'Task **created**', card: taskCard })
    expect(m.summary).toBe('Task created')
    expect(m.attachments?.[0]?.content.fallbackText).toBe('Task created')
    expect(renderMessage({ text: 'Use `kb`' })).toEqual({ type: 'message', text: 'Use `kb`', textFormat: 'markdown' })
  })
})

describe('toTeamsMarkdown', () => {
  it('shows what people typed, without the core’s backslash escapes, and keeps Beacon’s own markup', () => {
    expect(toTeamsMarkdown(`Saved **${escapeMarkdown('lunch_order (Fridays)')}** with \`/kb\``)).toBe('Saved **lunch_order (Fridays)** with /kb')
  })
})

describe('htmlToMarkdown', () => {
  it('turns Teams HTML into Beacon markdown', () => {
    const html =
      '<div><p>Hi <at id="0">Alice&nbsp;Martin</at>,</p>' +
      '<p>see <a href="https://x.example/a?b=1&amp;c=2">this</a> and https://y.example<br/>then <b>ship</b> <i>it</i> <code>now</code></p>' +
      '<ul><li>one</li><li>two</li></ul><p>&lt;tag&gt; &#128640; &#x2713;</p></div>'
    expect(htmlToMarkdown(html)).toBe(
      'Hi @Alice Martin,\n\nsee [this](https://x.example/a?b=1&c=2) and https://y.example\nthen **ship** _it_ `now`\n\n- one\n- two\n\n<tag> 🚀 ✓',
    )
  })

  it('drops attachments markup, scripts, unsafe links and images without http src', () => {
    expect(htmlToMarkdown('<p>a<attachment id="1"></attachment> <a href="javascript:alert(1)">b</a><script>x()</script><img src="data:x"></p>')).toBe(
      'a b',
    )
  })
})

describe('activity text helpers', () => {
  it('parses commands, with or without a slash, and ignores other words', () => {
    expect(parseCommand('kb rotate keys')).toEqual({ command: 'kb', text: 'rotate keys' })
    expect(parseCommand(' /Task  do it \n now')).toEqual({ command: 'task', text: 'do it \n now' })
    expect(parseCommand('help')).toEqual({ command: 'help', text: '' })
    expect(parseCommand('hello there')).toBeUndefined()
  })

  it('keeps mentions as @Name and splits ;messageid=', () => {
    expect(plainText('<at>Bob Chen</at> thanks&nbsp;a lot')).toBe('@Bob Chen thanks a lot')
    expect(splitConversationId('19:abc@thread.tacv2;messageid=123')).toEqual({ base: '19:abc@thread.tacv2', rootId: '123' })
    expect(splitConversationId('a:1xyz')).toEqual({ base: 'a:1xyz' })
  })
})
