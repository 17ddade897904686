import { describe, expect, it } from 'vitest'
import { cardToPlainText, escapeMarkdown, markdownToPlain } from '../../src/core/outbound.ts'

describe('plain-text rendering', () => {
  it('shows links as label and address, and drops emphasis marks', () => {
    expect(markdownToPlain('**Saved**: [VPN guide](https://x.test/a) by _Ann_')).toBe('Saved: VPN guide (https://x.test/a) by Ann')
  })

  it('shows what people typed exactly, even characters that look like markdown', () => {
    const typed = 'lunch_order (Fridays) **not bold** [not](a link) `x` \\'
    expect(markdownToPlain(escapeMarkdown(typed))).toBe(typed)
  })

  it('renders every card block as text, numbering nothing', () => {
    const text = cardToPlainText({
      title: 'Task T-1',
      blocks: [
        { type: 'fields', fields: [{ label: 'Due', value: '**Fri**' }] },
        { type: 'divider' },
        {
          type: 'actions',
          buttons: [
            { actionId: 'task:done', label: 'Done' },
            { actionId: 'x', label: 'Open', url: 'https://x.test' },
          ],
        },
      ],
    })
    expect(text).toBe('Task T-1\nDue: Fri\n---\n[Done] [Open: https://x.test]')
  })
})
