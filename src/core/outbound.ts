/**
 * What Beacon says, independent of any platform: text in a small markdown subset plus an optional
 * card tree. Adapters render cards with pure functions (Block Kit, Adaptive Card, terminal text);
 * `text` is always present so notifications, screen readers and old clients have something to show.
 *
 * Markdown subset understood by every renderer: **bold**, _italic_, `code`, [label](url),
 * lines starting with "- " as bullets, and blank lines between paragraphs.
 */
export interface Outbound {
  text: string
  card?: Card
  /** Person id: only they see it (Slack ephemeral). Platforms without ephemeral messages DM instead. */
  visibleTo?: string
  /**
   * With visibleTo: the message holds nothing private (help, a usage hint), so where the platform
   * cannot show it to one person alone, a reply in the same conversation is fine instead of a DM.
   */
  publicFallback?: boolean
}

export interface Card {
  title?: string
  blocks: CardBlock[]
}

export type CardBlock =
  | { type: 'text'; text: string }
  | { type: 'fields'; fields: CardField[] }
  | { type: 'context'; text: string }
  | { type: 'divider' }
  | { type: 'actions'; buttons: CardButton[] }

export interface CardField {
  label: string
  value: string
}

export interface CardButton {
  /** Routed back to the capability that owns the prefix before the first ":" (e.g. "task:done"). */
  actionId: string
  label: string
  value?: string
  style?: 'primary' | 'danger'
  /** A link button: opens the URL, sends nothing back. */
  url?: string
}

/** A modal (Slack) or dialog (Teams) asking for input. */
export interface Form {
  /** Routed back to the capability that owns the prefix before the first ":". */
  formId: string
  title: string
  submitLabel: string
  /** Opaque state carried to the submission (Slack private_metadata, Teams data). */
  context?: string
  fields: FormField[]
}

export interface FormField {
  id: string
  label: string
  kind: 'text' | 'multiline' | 'date' | 'select'
  initial?: string
  placeholder?: string
  required?: boolean
  maxLength?: number
  options?: { label: string; value: string }[]
}

/**
 * Replaces every `[label](url)` (label without "]", url without ")" or whitespace) the way
 * `text.replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, fn)` would, in one pass. The regex is quadratic on text
 * people really paste (a long run of "[" or of "[a](b" without a closing bracket makes it rescan
 * the rest of the text from every "["); this scanner never looks at a character more than twice.
 */
export function replaceLinks(text: string, fn: (label: string, url: string) => string): string {
  let out = ''
  let copied = 0
  let pos = 0
  // The first ")" or whitespace at or after urlFrom is urlStop: positions only grow, so it is reused.
  let urlFrom = -1
  let urlStop = -1
  for (;;) {
    const open = text.indexOf('[', pos)
    if (open === -1) break
    const close = text.indexOf(']', open + 1)
    if (close === -1) break
    // Every "[" between open and close shares this "]": if the link fails after it, all of them do.
    if (close === open + 1 || text[close + 1] !== '(') {
      pos = close === open + 1 ? open + 1 : close + 1
      continue
    }
    const start = close + 2
    if (!(start >= urlFrom && start <= urlStop)) {
      urlFrom = start
      urlStop = start
      while (urlStop < text.length && text[urlStop] !== ')' && !/\s/.test(text[urlStop]!)) urlStop++
    }
    if (urlStop > start && text[urlStop] === ')') {
      out += text.slice(copied, open) + fn(text.slice(open + 1, close), text.slice(start, urlStop))
      copied = pos = urlStop + 1
    } else pos = close + 1
  }
  return copied === 0 ? text : out + text.slice(copied)
}

/** A character escapeMarkdown protected with a backslash; renderers show it as typed. */
export const ESCAPED_CHAR = /\\([*_`[\]()\\])/g

/**
 * Runs `render` on markdown with every escaped character hidden from it, then puts each back bare
 * (or as `restore` spells it for a target whose markup has no escapes), so a renderer's rules never
 * mistake "lunch\_order" for emphasis or show the backslash.
 */
export function withEscapesHidden(md: string, render: (hidden: string) => string, restore: (c: string) => string = (c) => c): string {
  const literal: string[] = []
  const hidden = md.replace(ESCAPED_CHAR, (_m, c: string) => `\u0001${literal.push(c) - 1}\u0001`)
  return render(hidden).replace(/\u0001(\d+)\u0001/g, (_m, i: string) => restore(literal[Number(i)] ?? ''))
}

/** The markdown subset as plain text: links become "label (url)", emphasis marks are dropped. */
export function markdownToPlain(md: string): string {
  return withEscapesHidden(md, (text) =>
    replaceLinks(text, (label, url) => (label === url ? url : `${label} (${url})`))
      .replace(/\*\*([^*]+)\*\*/g, '$1')
      .replace(/(^|[\s(])_([^_]+)_(?=$|[\s).,!?:;])/g, '$1$2')
      .replace(/`([^`]+)`/g, '$1'),
  )
}

/** Plain-text rendering of a card: the fallback every platform gets alongside the card. */
export function cardToPlainText(card: Card): string {
  const lines: string[] = []
  if (card.title) lines.push(card.title)
  for (const b of card.blocks) {
    switch (b.type) {
      case 'text':
      case 'context':
        lines.push(markdownToPlain(b.text))
        break
      case 'fields':
        for (const f of b.fields) lines.push(`${f.label}: ${markdownToPlain(f.value)}`)
        break
      case 'divider':
        lines.push('---')
        break
      case 'actions':
        lines.push(b.buttons.map((x) => (x.url ? `[${x.label}: ${x.url}]` : `[${x.label}]`)).join(' '))
        break
    }
  }
  return lines.join('\n')
}

/** Escape text that came from a person so it is shown literally inside Beacon's markdown. */
export function escapeMarkdown(s: string): string {
  return s.replace(/([*_`[\]()\\])/g, '\\$1')
}
