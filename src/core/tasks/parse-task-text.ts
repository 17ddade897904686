/**
 * From what a person typed (or a message they acted on) to a task draft: who, what, when. Pure
 * apart from the people lookups; every refusal is a friendly sentence and creates nothing.
 */
import type { Person } from '../model.ts'
import { markdownToPlain } from '../outbound.ts'
import { parseDue, type DueParse } from './due-date.ts'
import { mentionProblemText, resolveMentions, type PeopleLookup } from './mentions.ts'
import { formatInZone, safeZone } from '../time/zoned-time.ts'

/** Longest title kept. Titles are one line in a list, a DM and a tracker; details stay in the source message. */
export const TITLE_MAX = 200
/**
 * Longest `/task` text read at all. Refusing early keeps a pasted document from becoming a task
 * title and keeps chrono from scanning it.
 */
export const COMMAND_TEXT_MAX = 1000

export interface TaskDraft {
  title: string
  /** Never empty: defaults to the creator. */
  assignees: Person[]
  due?: DraftDue
  /** The title was cut to TITLE_MAX (message action only; a typed command is refused instead). */
  truncated: boolean
}

/** A due time, with the words it was read from ("next friday") so the confirmation can show both. */
export interface DraftDue {
  at: Date
  dateOnly: boolean
  said?: string
}

export type Field = 'title' | 'assignees' | 'due'
export type ParseOutcome =
  | { ok: true; draft: TaskDraft }
  /** `undated`: for a date that could not be read, the same command without it, to offer instead. */
  | { ok: false; field: Field; message: string; undated?: string }

export interface ParseContext {
  creator: Person
  now: Date
  lookup: PeopleLookup
}

const fail = (field: Field, message: string): ParseOutcome => ({ ok: false, field, message })

/**
 * `/task <text>`: strict — an unknown person or an unreadable date is refused, not guessed.
 * `withoutDate`: the person chose "create without a date": no word is read as a date.
 */
export async function parseCommandText(text: string, ctx: ParseContext, opts: { withoutDate?: boolean } = {}): Promise<ParseOutcome> {
  const raw = text.trim()
  if (raw.length > COMMAND_TEXT_MAX) {
    return fail(
      'title',
      `That’s ${raw.length.toLocaleString('en-US')} characters — too long for a task. ` +
        `Keep the title under ${TITLE_MAX} characters and put the details in a message; then use **Create task** on that message.`,
    )
  }
  const m = await resolveMentions(raw, ctx.creator, ctx.lookup)
  const problem = m.problems[0]
  if (problem) return fail('assignees', mentionProblemText(problem))
  const due: DueParse = opts.withoutDate ? { kind: 'none' } : parseDue(m.rest, { now: ctx.now, timezone: ctx.creator.timezone })
  const dueProblem = dueRefusal(due, ctx)
  if (dueProblem && due.kind === 'unreadable' && cleanTitle(cut(m.rest, due.start, due.end), m.leading)) {
    return { ...dueProblem, ...undatedOf(raw, m.rest.slice(due.start, due.end)) }
  }
  if (dueProblem) return dueProblem
  const title = cleanTitle(due.kind === 'due' ? cut(m.rest, due.start, due.end) : m.rest, m.leading)
  if (!title) return fail('title', 'What should the task say? Try `/task @someone update the onboarding doc by fri`.')
  if (title.length > TITLE_MAX)
    return fail(
      'title',
      `That title is ${title.length} characters; keep it under ${TITLE_MAX}. Put the details in a message and use **Create task** on it.`,
    )
  return { ok: true, draft: { title, assignees: m.people.length ? m.people : [ctx.creator], ...dueOf(due), truncated: false } }
}

/**
 * A message someone wrote for other people: lenient. Unknown "@words" stay text, a date that is
 * unreadable or past is ignored (the person can still edit), and the first line becomes the title.
 */
export async function parseMessageText(text: string, ctx: ParseContext): Promise<ParseOutcome> {
  const m = await resolveMentions(text.slice(0, 20_000), ctx.creator, ctx.lookup, { lenient: true })
  const lines = m.rest
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
  // The message's own markup (**bold**, links) would show as literal characters in a title.
  const firstLine = markdownToPlain((lines[0] ?? '').slice(0, 2000))
  const due = parseDue(firstLine, { now: ctx.now, timezone: ctx.creator.timezone })
  let title = cleanTitle(due.kind === 'due' ? cut(firstLine, due.start, due.end) : firstLine, m.leading)
  if (!title) return fail('title', 'That message has no words I can use as a task title. Use `/task <what to do>` instead.')
  const truncated = title.length > TITLE_MAX
  if (truncated) title = `${title.slice(0, TITLE_MAX - 1).trimEnd()}…`
  return { ok: true, draft: { title, assignees: m.people.length ? m.people : [ctx.creator], ...dueOf(due), truncated } }
}

/** The fields of the create/edit form: each refusal names its field so the form can show it there. */
export async function parseFormValues(values: { title: string; assignees: string; due: string }, ctx: ParseContext): Promise<ParseOutcome> {
  const title = values.title.replace(/\s+/g, ' ').trim()
  if (!title) return fail('title', 'Give the task a title.')
  if (title.length > TITLE_MAX) return fail('title', `Keep the title under ${TITLE_MAX} characters (it has ${title.length}).`)
  // "bob, @Ada Lovelace" and "@bob @carol" both work: a bare name gets its "@".
  const who = values.assignees
    .split(/[,;\n]+/)
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => (s.startsWith('@') || s.startsWith('<@') ? s : `@${s}`))
    .join(' ')
  const m = await resolveMentions(who, ctx.creator, ctx.lookup)
  const problem = m.problems[0]
  if (problem) return fail('assignees', mentionProblemText(problem))
  if (m.rest.replace(/[\s,;]/g, '')) return fail('assignees', 'List people as @name, separated by commas.')
  let due: DueParse = { kind: 'none' }
  if (values.due.trim()) {
    if (values.due.length > 200) return fail('due', 'Write the due date in a few words, e.g. “tomorrow 5pm”.')
    due = parseDue(values.due, { now: ctx.now, timezone: ctx.creator.timezone, required: true })
    const dueProblem = dueRefusal(due, ctx)
    if (dueProblem) return dueProblem
  }
  return { ok: true, draft: { title, assignees: m.people.length ? m.people : [ctx.creator], ...dueOf(due), truncated: false } }
}

export function dueRefusal(due: DueParse, ctx: Pick<ParseContext, 'creator' | 'now'>): { ok: false; field: Field; message: string } | undefined {
  if (due.kind === 'unreadable') {
    return {
      ok: false,
      field: 'due',
      message: `I couldn’t read **${due.text}** as a date or time. Try “tomorrow 5pm”, “fri”, “in 3 days”, “next week”, “by Dec 3” or “by the 5th”.`,
    }
  }
  if (due.kind === 'past') {
    // Say why: what the words meant, and what time it is for the person now.
    const zone = safeZone(ctx.creator.timezone)
    const when = formatInZone(due.at, zone, { now: ctx.now })
    const clock = formatInZone(ctx.now, zone, { now: ctx.now }).split(', ').at(-1)
    const instead = /\bthis\s+(morning|afternoon|evening)\b/i.exec(due.text)?.[1] ?? (/\btonight\b/i.test(due.text) ? 'night' : undefined)
    const example = instead ? `tomorrow ${instead.toLowerCase()}` : 'tomorrow 9am'
    return {
      ok: false,
      field: 'due',
      message:
        `**${due.text}** is ${when} (${zone}), which has already passed — it’s ${clock} there now. ` +
        `Pick a time in the future, e.g. “${example}”.`,
    }
  }
  return undefined
}

/** The command with the unreadable words (and their "by"/"at") taken out, if they can be found in it. */
function undatedOf(raw: string, phrase: string): { undated?: string } {
  const at = raw.lastIndexOf(phrase)
  if (!phrase || at < 0) return {}
  const undated = cut(raw, at, at + phrase.length)
    .replace(/\s+/g, ' ')
    .trim()
  return undated ? { undated } : {}
}

function dueOf(due: DueParse): { due?: DraftDue } {
  return due.kind === 'due' ? { due: { at: due.at, dateOnly: due.dateOnly, said: due.text } } : {}
}

function cut(s: string, start: number, end: number): string {
  return `${s.slice(0, start)} ${s.slice(end)}`
}

/** Collapse spaces, drop dangling separators, and a leading "to" after "@bob to …". */
export function cleanTitle(s: string, leadingMention = false): string {
  let t = s.replace(/\s+/g, ' ').trim()
  t = t
    .replace(/^[-–—:,;]+\s*/, '')
    .replace(/\s*[-–—:,;]+$/, '')
    .replace(/\s+([,.;:!?])/g, '$1')
    .trim()
  if (leadingMention) t = t.replace(/^(?:to|please)\s+/i, '')
  return t.trim()
}

export type EditOutcome =
  | { ok: true; changes: { title?: string; assignees?: Person[]; due?: DraftDue | null } }
  | { ok: false; field: Field; message: string }

/**
 * `/task edit T-3 <text>`: whatever the text contains changes — a date moves the due time, mentions
 * replace the assignees, remaining words replace the title. "due none" removes the due date.
 */
export async function parseEditText(text: string, ctx: ParseContext): Promise<EditOutcome> {
  const raw = text.trim()
  if (/^(?:due\s+)?(?:none|never|no\s+due(?:\s+date)?)$/i.test(raw)) return { ok: true, changes: { due: null } }
  if (raw.length > COMMAND_TEXT_MAX)
    return { ok: false, field: 'title', message: `That’s too long for a task; keep the title under ${TITLE_MAX} characters.` }
  const m = await resolveMentions(raw, ctx.creator, ctx.lookup)
  const problem = m.problems[0]
  if (problem) return { ok: false, field: 'assignees', message: mentionProblemText(problem) }
  const due = parseDue(m.rest, { now: ctx.now, timezone: ctx.creator.timezone })
  const refusal = dueRefusal(due, ctx)
  if (refusal && !refusal.ok) return refusal
  const title = cleanTitle(due.kind === 'due' ? cut(m.rest, due.start, due.end) : m.rest, m.leading)
  if (title.length > TITLE_MAX)
    return { ok: false, field: 'title', message: `Keep the title under ${TITLE_MAX} characters (it has ${title.length}).` }
  const changes = {
    ...(title ? { title } : {}),
    ...(m.people.length ? { assignees: m.people } : {}),
    ...dueOf(due),
  }
  if (Object.keys(changes).length === 0) {
    return { ok: false, field: 'title', message: 'Tell me what to change: a new title, @people or a due date — e.g. `/task edit T-3 tomorrow 5pm`.' }
  }
  return { ok: true, changes }
}
