import { cardToPlainText, markdownToPlain, type CardButton, type Outbound } from '../../src/core/outbound.ts'

/**
 * Pure rendering of what Beacon says for a terminal. Buttons are numbered so they can be pressed
 * with `/click N`; the caller keeps the returned buttons in that order.
 */
export function renderForTerminal(m: Outbound): { text: string; buttons: CardButton[] } {
  if (!m.card) return { text: markdownToPlain(m.text), buttons: [] }
  const buttons: CardButton[] = []
  const card = {
    ...m.card,
    blocks: m.card.blocks.map((b) =>
      b.type === 'actions' ? { ...b, buttons: b.buttons.map((x) => ({ ...x, label: x.url ? x.label : `${buttons.push(x)}: ${x.label}` })) } : b,
    ),
  }
  return { text: cardToPlainText(card), buttons }
}

export function indent(text: string, by = '    '): string {
  return text
    .split('\n')
    .map((l) => by + l)
    .join('\n')
}
