/**
 * Core Card / Form → Adaptive Card 1.5, the way Teams renders it. Pure: no botbuilder, no I/O, so
 * it is snapshot-tested alone and survives the move from botbuilder to the Teams SDK unchanged.
 */
import { cardToPlainText, markdownToPlain, withEscapesHidden, type Card, type CardButton, type Form, type Outbound } from '../../src/core/outbound.ts'

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive'

/** Verb of the Action.Execute that submits a form rendered inside a message (not in a dialog). */
export const FORM_SUBMIT_VERB = 'beacon.form.submit'

/** Key under which a form's identity travels in the submit action's data (inputs are merged beside it). */
export const FORM_DATA_KEY = 'beaconForm'

export type AdaptiveElement = Record<string, unknown> & { type: string }

export interface AdaptiveCard {
  type: 'AdaptiveCard'
  $schema: string
  version: '1.5'
  body: AdaptiveElement[]
  actions?: AdaptiveElement[]
  fallbackText?: string
  msteams?: { width: 'Full' }
}

/**
 * A form travels whole in its submit action's data: Teams hands it back with the inputs, so a
 * refused submission can be shown again with its errors without keeping server-side state.
 */
export type FormState = Form

const card = (body: AdaptiveElement[], fallbackText: string, actions?: AdaptiveElement[]): AdaptiveCard => ({
  type: 'AdaptiveCard',
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
  version: '1.5',
  body,
  ...(actions?.length ? { actions } : {}),
  fallbackText,
  msteams: { width: 'Full' },
})

/**
 * Teams' TextBlock markdown knows bold, italic, links and lists but neither inline code nor
 * backslash escapes: code spans keep their content and lose the ticks, and characters the core
 * escaped in people's text are shown as typed — each "]" and "*" a person typed followed by an
 * invisible zero-width space, so "[Claim your bonus](https://…)" can never close into a link
 * ("](", "]:" and "][" are broken) nor "**" into bold, in any Teams client's markdown.
 */
export function toTeamsMarkdown(md: string): string {
  return withEscapesHidden(md, (text) => text.replace(/`([^`]+)`/g, '$1'), defuse)
}

const ZWSP = '\u200b'
const defuse = (c: string): string => (c === ']' || c === '*' ? `${c}${ZWSP}` : c)

/**
 * Chat messages (unlike card TextBlocks) render `code` and backslash escapes, so plain text keeps
 * them; "]" a person typed still gets the zero-width space, for clients that ignore the escape.
 */
function toTeamsMessageMarkdown(md: string): string {
  return md.replace(/\\([\]*])/g, `\\$1${ZWSP}`)
}

/**
 * One TextBlock per paragraph line; consecutive "- " bullets stay together in one block so Teams
 * draws them as a list (a single TextBlock ignores lone newlines between ordinary lines).
 */
function textBlocks(md: string, extra: Record<string, unknown> = {}): AdaptiveElement[] {
  const out: AdaptiveElement[] = []
  const paragraphs = md.split(/\n\s*\n/)
  for (const para of paragraphs) {
    const groups: string[] = []
    for (const line of para.split('\n')) {
      const last = groups.length - 1
      if (/^\s*- /.test(line) && last >= 0 && /^\s*- /.test(groups[last]!.split('\n').at(-1)!)) groups[last] += `\n${line}`
      else if (line.trim() !== '') groups.push(line)
    }
    groups.forEach((g, gi) => {
      out.push({
        type: 'TextBlock',
        text: toTeamsMarkdown(g),
        wrap: true,
        ...(gi > 0 ? { spacing: 'None' } : {}),
        ...extra,
      })
    })
  }
  return out
}

function button(b: CardButton): AdaptiveElement {
  if (b.url) return { type: 'Action.OpenUrl', title: b.label, url: b.url }
  return {
    type: 'Action.Execute',
    title: b.label,
    verb: b.actionId,
    data: b.value === undefined ? {} : { value: b.value },
    ...(b.style === 'primary' ? { style: 'positive' } : b.style === 'danger' ? { style: 'destructive' } : {}),
  }
}

export function renderAdaptiveCard(c: Card): AdaptiveCard {
  const body: AdaptiveElement[] = []
  if (c.title) body.push({ type: 'TextBlock', text: toTeamsMarkdown(c.title), size: 'Medium', weight: 'Bolder', wrap: true })
  let separator = false
  const push = (els: AdaptiveElement[]) => {
    if (separator && els[0]) els[0] = { ...els[0], separator: true }
    separator = false
    body.push(...els)
  }
  for (const b of c.blocks) {
    switch (b.type) {
      case 'text':
        push(textBlocks(b.text))
        break
      case 'context':
        push(textBlocks(b.text, { size: 'Small', isSubtle: true }))
        break
      case 'fields':
        push([{ type: 'FactSet', facts: b.fields.map((f) => ({ title: f.label, value: toTeamsMarkdown(f.value) })) }])
        break
      case 'divider':
        separator = true
        break
      case 'actions':
        push([{ type: 'ActionSet', actions: b.buttons.map(button) }])
        break
    }
  }
  return card(body, cardToPlainText(c))
}

export interface RenderFormOptions {
  /** "dialog": inside a task module, Action.Submit; "message": inline in a chat, Action.Execute. */
  surface: 'dialog' | 'message'
  /** Values to show instead of the fields' initial values (a refused submission). */
  values?: Record<string, string>
  /** Per-field messages from a refused submission. */
  errors?: Record<string, string>
}

export function renderFormCard(form: Form, opts: RenderFormOptions): AdaptiveCard {
  const body: AdaptiveElement[] = []
  // A dialog shows the title in its frame; a message needs it in the card.
  if (opts.surface === 'message') body.push({ type: 'TextBlock', text: form.title, size: 'Medium', weight: 'Bolder', wrap: true })
  for (const f of form.fields) {
    const value = opts.values?.[f.id] ?? f.initial
    const common = {
      id: f.id,
      label: f.label,
      ...(f.required ? { isRequired: true, errorMessage: `${f.label} is required` } : {}),
      ...(value !== undefined ? { value } : {}),
    }
    switch (f.kind) {
      case 'text':
      case 'multiline':
        body.push({
          type: 'Input.Text',
          ...common,
          ...(f.kind === 'multiline' ? { isMultiline: true } : {}),
          ...(f.placeholder ? { placeholder: f.placeholder } : {}),
          ...(f.maxLength ? { maxLength: f.maxLength } : {}),
        })
        break
      case 'date':
        body.push({ type: 'Input.Date', ...common })
        break
      case 'select':
        body.push({
          type: 'Input.ChoiceSet',
          ...common,
          style: 'compact',
          choices: (f.options ?? []).map((o) => ({ title: o.label, value: o.value })),
          ...(f.placeholder ? { placeholder: f.placeholder } : {}),
        })
        break
    }
    const err = opts.errors?.[f.id]
    if (err) body.push({ type: 'TextBlock', text: toTeamsMarkdown(err), color: 'Attention', size: 'Small', wrap: true, spacing: 'None' })
  }
  const state: FormState = form
  const submit: AdaptiveElement =
    opts.surface === 'dialog'
      ? { type: 'Action.Submit', title: form.submitLabel, data: { [FORM_DATA_KEY]: state } }
      : { type: 'Action.Execute', title: form.submitLabel, verb: FORM_SUBMIT_VERB, data: { [FORM_DATA_KEY]: state } }
  return card(body, form.title, [{ ...submit, style: 'positive' }])
}

export interface TeamsMessage {
  type: 'message'
  text?: string
  textFormat?: 'markdown'
  summary?: string
  attachments?: { contentType: string; content: AdaptiveCard }[]
}

/**
 * The activity Beacon sends. With a card, the text travels as `summary` (notifications, activity
 * feed) and as the card's `fallbackText`, not as `text`: Teams draws `text` above the card, so the
 * same words would appear twice.
 */
export function renderMessage(m: Outbound): TeamsMessage {
  if (!m.card) return { type: 'message', text: toTeamsMessageMarkdown(m.text), textFormat: 'markdown' }
  const content = renderAdaptiveCard(m.card)
  return {
    type: 'message',
    summary: markdownToPlain(m.text).slice(0, 250),
    attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: { ...content, fallbackText: markdownToPlain(m.text) } }],
  }
}
