/**
 * Pure rendering of the core's neutral Outbound / Card / Form into Slack Block Kit. No I/O, no
 * state: the same input always gives the same blocks, which is what the snapshot tests pin down.
 *
 * Slack refuses a whole message when one block breaks a limit, so every limit below is enforced
 * here by truncating *visibly* ("…", "n more not shown") rather than letting chat.postMessage fail.
 */
import type { types as slack } from '@slack/bolt'
import {
  cardToPlainText,
  markdownToPlain,
  replaceLinks,
  withEscapesHidden,
  type Card,
  type CardBlock,
  type CardButton,
  type Form,
  type FormField,
  type Outbound,
} from '../../src/core/outbound.ts'

type Block = slack.KnownBlock

/** Block Kit limits (docs.slack.dev/reference/block-kit). */
export const LIMITS = {
  messageBlocks: 50,
  modalBlocks: 100,
  sectionText: 3000,
  headerText: 150,
  fields: 10,
  fieldText: 2000,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  url: 3000,
  /** Slack truncates top-level text beyond 40k; 4k keeps notifications readable. */
  fallbackText: 4000,
  modalTitle: 24,
  modalButton: 24,
  inputLabel: 2000,
  placeholder: 150,
  inputInitial: 3000,
  selectOptions: 100,
  optionText: 75,
  optionValue: 150,
  privateMetadata: 3000,
  callbackId: 255,
} as const

/** Cut to at most `max` characters (code points, so emoji are never split), ending with "…" when cut. */
export function truncate(s: string, max: number): string {
  const chars = Array.from(s)
  if (chars.length <= max) return s
  return `${chars.slice(0, Math.max(0, max - 1)).join('')}…`
}

/** Slack's three mandatory escapes; everything else is shown literally. */
export function escapeMrkdwn(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/**
 * Beacon markdown → Slack mrkdwn: **b** → *b*, [l](u) → <u|l>, "- " bullets → "• ", with &<>
 * escaped in the text but not in the link syntax Beacon itself produces.
 */
export function markdownToMrkdwn(md: string): string {
  // The core escapes people's text with a backslash (escapeMarkdown: \( \_ \* …); mrkdwn has no
  // escapes, so each escaped character is hidden from the rules below and put back bare.
  return withEscapesHidden(md, (hidden) => {
    const links: string[] = []
    // Pull links out first so escaping does not touch their angle brackets; \u0000 never occurs in text.
    const withoutLinks = replaceLinks(hidden, (label, url) => {
      links.push(`<${url.replace(/&/g, '&amp;').replace(/[<>|]/g, encodeURIComponent)}|${escapeMrkdwn(label).replace(/\|/g, '¦')}>`)
      return `\u0000${links.length - 1}\u0000`
    })
    return escapeMrkdwn(withoutLinks)
      .replace(/\*\*([^*\n]+)\*\*/g, '*$1*')
      .replace(/^- /gm, '• ')
      .replace(/\u0000(\d+)\u0000/g, (_m, i: string) => links[Number(i)] ?? '')
  })
}

function mrkdwn(md: string, max: number): slack.MrkdwnElement {
  return { type: 'mrkdwn', text: truncate(markdownToMrkdwn(md), max) }
}

function plain(s: string, max: number): slack.PlainTextElement {
  return { type: 'plain_text', text: truncate(markdownToPlain(s), max), emoji: true }
}

function renderButton(b: CardButton): slack.Button {
  return {
    type: 'button',
    action_id: truncate(b.actionId, LIMITS.actionId),
    text: plain(b.label, LIMITS.buttonText),
    ...(b.value !== undefined ? { value: truncate(b.value, LIMITS.buttonValue) } : {}),
    ...(b.style ? { style: b.style } : {}),
    ...(b.url ? { url: truncate(b.url, LIMITS.url) } : {}),
  }
}

function renderBlock(b: CardBlock): Block[] {
  switch (b.type) {
    case 'text':
      return [{ type: 'section', text: mrkdwn(b.text, LIMITS.sectionText) }]
    case 'context':
      return [{ type: 'context', elements: [mrkdwn(b.text, LIMITS.sectionText)] }]
    case 'divider':
      return [{ type: 'divider' }]
    case 'fields': {
      const shown = b.fields.slice(0, LIMITS.fields)
      const out: Block[] = [{ type: 'section', fields: shown.map((f) => mrkdwn(`**${f.label}**\n${f.value}`, LIMITS.fieldText)) }]
      const hidden = b.fields.length - shown.length
      if (hidden > 0) out.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `_${hidden} more not shown_` }] })
      return out
    }
    case 'actions': {
      if (b.buttons.length === 0) return []
      const shown = b.buttons.slice(0, LIMITS.actionsElements)
      const out: Block[] = [{ type: 'actions', elements: shown.map(renderButton) }]
      const hidden = b.buttons.length - shown.length
      if (hidden > 0) out.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `_${hidden} more buttons not shown_` }] })
      return out
    }
  }
}

/** A card as blocks, at most `maxBlocks` long (the last slot then says how much was cut). */
export function renderCard(card: Card, maxBlocks: number = LIMITS.messageBlocks): Block[] {
  const blocks: Block[] = []
  if (card.title) blocks.push({ type: 'header', text: plain(card.title, LIMITS.headerText) })
  for (const b of card.blocks) blocks.push(...renderBlock(b))
  if (blocks.length <= maxBlocks) return blocks
  const kept = blocks.slice(0, maxBlocks - 1)
  kept.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `_${blocks.length - kept.length} more blocks not shown_` }] })
  return kept
}

export interface SlackMessage {
  /** Always set: notifications, screen readers and clients without Block Kit show it. */
  text: string
  blocks?: Block[]
}

/** An Outbound as chat.postMessage / respond() arguments. */
export function renderMessage(m: Outbound): SlackMessage {
  if (!m.card) return { text: truncate(markdownToMrkdwn(m.text), LIMITS.fallbackText) }
  const fallback = m.text.trim() ? m.text : cardToPlainText(m.card)
  return { text: truncate(markdownToMrkdwn(fallback), LIMITS.fallbackText), blocks: renderCard(m.card) }
}

/** App Home view (views.publish). */
export function renderHome(card: Card): slack.HomeView {
  return { type: 'home', blocks: renderCard(card, LIMITS.modalBlocks) }
}

function renderInput(f: FormField): slack.InputBlock {
  const placeholder = f.placeholder ? { placeholder: plain(f.placeholder, LIMITS.placeholder) } : {}
  let element: slack.InputBlock['element']
  switch (f.kind) {
    case 'text':
    case 'multiline':
      element = {
        type: 'plain_text_input',
        action_id: f.id,
        multiline: f.kind === 'multiline',
        ...(f.initial !== undefined ? { initial_value: truncate(f.initial, f.maxLength ?? LIMITS.inputInitial) } : {}),
        ...(f.maxLength !== undefined ? { max_length: Math.min(f.maxLength, LIMITS.inputInitial) } : {}),
        ...placeholder,
      }
      break
    case 'date':
      element = {
        type: 'datepicker',
        action_id: f.id,
        // Slack rejects the whole view when initial_date is not YYYY-MM-DD.
        ...(f.initial && /^\d{4}-\d{2}-\d{2}$/.test(f.initial) ? { initial_date: f.initial } : {}),
        ...placeholder,
      }
      break
    case 'select': {
      const options = (f.options ?? []).slice(0, LIMITS.selectOptions).map((o) => ({
        text: plain(o.label, LIMITS.optionText),
        value: truncate(o.value, LIMITS.optionValue),
      }))
      const initial = options.find((o) => o.value === f.initial)
      element = { type: 'static_select', action_id: f.id, options, ...(initial ? { initial_option: initial } : {}), ...placeholder }
      break
    }
  }
  return { type: 'input', block_id: f.id, optional: !f.required, label: plain(f.label, LIMITS.inputLabel), element }
}

/** A Form as a modal for views.open. Field ids become block ids, so per-field errors map back. */
export function renderModal(form: Form): slack.ModalView {
  if (form.context !== undefined && form.context.length > LIMITS.privateMetadata) {
    // Cutting private_metadata would corrupt it silently; failing loudly is the only safe choice.
    throw new RangeError(`form context is ${form.context.length} chars; Slack allows ${LIMITS.privateMetadata}`)
  }
  return {
    type: 'modal',
    callback_id: truncate(form.formId, LIMITS.callbackId),
    title: plain(form.title, LIMITS.modalTitle),
    submit: plain(form.submitLabel, LIMITS.modalButton),
    close: plain('Cancel', LIMITS.modalButton),
    ...(form.context !== undefined ? { private_metadata: form.context } : {}),
    blocks: form.fields.slice(0, LIMITS.modalBlocks).map(renderInput),
  }
}
