import { describe, expect, it } from 'vitest'
import { LIMITS, markdownToMrkdwn, renderCard, renderHome, renderMessage, renderModal, truncate } from '../../../adapters/slack/render-block-kit.ts'
import type { Card, Form } from '../../../src/core/outbound.ts'

const card: Card = {
  title: 'Saved to knowledge',
  blocks: [
    {
      type: 'text',
      text: '**How to deploy** — see [the runbook](https://wiki.example.com/run?x=1&y=2) & ask <ops>\n- step one\n- step _two_ with `code`',
    },
    {
      type: 'fields',
      fields: [
        { label: 'Owner', value: '@Ada' },
        { label: 'Due', value: '2025-03-01' },
      ],
    },
    { type: 'divider' },
    { type: 'context', text: 'Saved by Grace from #general' },
    {
      type: 'actions',
      buttons: [
        { actionId: 'knowledge:open', label: 'Open', url: 'https://beacon.example.com/k/1' },
        { actionId: 'task:done', label: 'Mark done', value: 'task-1', style: 'primary' },
        { actionId: 'task:delete', label: 'Delete', value: 'task-1', style: 'danger' },
      ],
    },
  ],
}

const form: Form = {
  formId: 'task:create',
  title: 'Create a task from this message please',
  submitLabel: 'Create',
  context: '{"ts":"1.2"}',
  fields: [
    { id: 'title', label: 'Title', kind: 'text', initial: 'Fix VPN', required: true, maxLength: 200 },
    { id: 'notes', label: 'Notes', kind: 'multiline', placeholder: 'Anything else?' },
    { id: 'due', label: 'Due date', kind: 'date', initial: '2025-03-01' },
    { id: 'bad', label: 'Bad date', kind: 'date', initial: 'next friday' },
    {
      id: 'who',
      label: 'Assignee',
      kind: 'select',
      initial: 'U2',
      options: [
        { label: 'Ada', value: 'U1' },
        { label: 'Grace', value: 'U2' },
      ],
    },
  ],
}

describe('Block Kit renderer', () => {
  it('converts Beacon markdown to mrkdwn with escaping', () => {
    expect(markdownToMrkdwn('**b** & [l](https://a.b/?x=1&y=2) <tag>\n- item')).toBe('*b* &amp; <https://a.b/?x=1&amp;y=2|l> &lt;tag&gt;\n• item')
  })

  it('shows characters the core escaped (escapeMarkdown) as typed, inside links and bold too', () => {
    expect(markdownToMrkdwn('[Deploy \\(prod\\) with kubectl\\_v2 \\*fast\\*](https://x.y/p1)')).toBe(
      '<https://x.y/p1|Deploy (prod) with kubectl_v2 *fast*>',
    )
    expect(markdownToMrkdwn('**a \\[b\\] c** and a back\\\\slash')).toBe('*a [b] c* and a back\\slash')
  })

  it('renders a card (snapshot)', () => {
    expect(renderCard(card)).toMatchSnapshot()
  })

  it('always gives fallback text, from the card when the text is empty', () => {
    expect(renderMessage({ text: '', card }).text).toContain('Saved to knowledge')
    expect(renderMessage({ text: 'Saved **it**' })).toEqual({ text: 'Saved *it*' })
  })

  it('renders a form as a modal (snapshot)', () => {
    const view = renderModal(form)
    expect(view.title.text.length).toBeLessThanOrEqual(LIMITS.modalTitle)
    expect(view).toMatchSnapshot()
  })

  it('renders App Home (inline snapshot)', () => {
    expect(renderHome({ blocks: [{ type: 'text', text: 'Hi' }] })).toMatchInlineSnapshot(`
      {
        "blocks": [
          {
            "text": {
              "text": "Hi",
              "type": "mrkdwn",
            },
            "type": "section",
          },
        ],
        "type": "home",
      }
    `)
  })

  it('truncates visibly at Block Kit limits', () => {
    const long = 'x'.repeat(5000)
    const many: Card = {
      title: 't'.repeat(300),
      blocks: [
        { type: 'text', text: long },
        { type: 'fields', fields: Array.from({ length: 14 }, (_, i) => ({ label: `f${i}`, value: 'v' })) },
        { type: 'actions', buttons: Array.from({ length: 30 }, (_, i) => ({ actionId: `a:${i}`, label: 'L'.repeat(100) })) },
        ...Array.from({ length: 60 }, () => ({ type: 'divider' as const })),
      ],
    }
    const blocks = renderCard(many)
    expect(blocks).toHaveLength(LIMITS.messageBlocks)
    const json = JSON.stringify(blocks)
    expect(json).toContain('4 more not shown')
    expect(json).toContain('5 more buttons not shown')
    expect(json).toMatch(/\d+ more blocks not shown/)
    const [header, section, fields, , actions] = blocks as { text?: { text: string }; fields?: unknown[]; elements?: { text: { text: string } }[] }[]
    expect(header!.text!.text).toHaveLength(LIMITS.headerText)
    expect(header!.text!.text.endsWith('…')).toBe(true)
    expect(section!.text!.text).toHaveLength(LIMITS.sectionText)
    expect(fields!.fields).toHaveLength(LIMITS.fields)
    expect(actions!.elements).toHaveLength(LIMITS.actionsElements)
    expect(actions!.elements![0]!.text.text).toHaveLength(LIMITS.buttonText)
    expect(renderMessage({ text: long }).text.length).toBeLessThanOrEqual(LIMITS.fallbackText)
  })

  it('never splits an emoji when truncating', () => {
    expect(truncate('👩🏽‍💻'.repeat(10), 5)).toBe(`${Array.from('👩🏽‍💻'.repeat(10)).slice(0, 4).join('')}…`)
  })

  it('refuses private_metadata it would have to cut', () => {
    expect(() => renderModal({ ...form, context: 'x'.repeat(3001) })).toThrow(RangeError)
  })
})
