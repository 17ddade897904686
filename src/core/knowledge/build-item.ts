/**
 * Pure functions that turn a fetched thread into what is stored: title, readable markdown body,
 * plain search text, tags and contributors. Name lookups happen before (see capture-thread.ts), so
 * everything here is deterministic and tested without a platform.
 */
import type { ChatMessage, Privacy, WorkspaceId } from '../model.ts'
import { escapeMarkdown, markdownToPlain } from '../outbound.ts'
import type { ThreadId } from '../thread-id.ts'
import { sanitizeText } from './search-query.ts'
import type { Contributor, ItemContent } from './types.ts'

export const TITLE_MAX = 80
const MAX_TAGS = 20

/** The first meaningful line of the root, as plain text, cut at a word boundary near 80 chars. */
export function titleFrom(root: ChatMessage | undefined, fallback: string): string {
  const line =
    sanitizeText(root?.text ?? '')
      .split('\n')
      .map((l) =>
        markdownToPlain(l)
          .replace(/^(?:[-*>]\s*|#+\s+)/, '')
          .replace(/\s+/g, ' ')
          .trim(),
      )
      .find((l) => l.length > 0) ??
    root?.attachments?.[0]?.name ??
    ''
  const title = line.trim() || fallback
  return truncate(title, TITLE_MAX)
}

export function truncate(s: string, max: number): string {
  const chars = Array.from(s) // never cut an emoji or a surrogate pair in half
  if (chars.length <= max) return s
  const cut = chars.slice(0, max - 1).join('')
  const space = cut.lastIndexOf(' ')
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`
}

/** `#tag` words outside links; purely numeric ones (#42, issue numbers) are not tags. */
export function hashtags(texts: string[]): string[] {
  const tags: string[] = []
  for (const raw of texts) {
    const text = withoutLinkTargets(raw).replace(/https?:\/\/\S+/g, ' ')
    for (const m of text.matchAll(/(^|[^\p{L}\p{N}_&#/])#([\p{L}\p{N}][\p{L}\p{N}_-]{0,49})/gu)) {
      const tag = m[2]!.toLowerCase()
      if (/^\d+$/.test(tag) || tags.includes(tag)) continue
      tags.push(tag)
      if (tags.length >= MAX_TAGS) return tags
    }
  }
  return tags
}

/**
 * "](url)" → "]", as `s.replace(/\]\([^)]*\)/g, ']')` would, in one pass: that regex rescans to the end
 * from every "](" when no ")" follows (quadratic on a long pasted thread).
 */
function withoutLinkTargets(s: string): string {
  let out = ''
  let copied = 0
  for (let open = s.indexOf(']('); open !== -1; open = s.indexOf('](', copied)) {
    const close = s.indexOf(')', open + 2)
    if (close === -1) break // no ")" after this one means none after any later "](" either
    out += s.slice(copied, open + 1)
    copied = close + 1
  }
  return out + s.slice(copied)
}

/** "2024-04-05 14:03 UTC": the body is stored once for readers in every timezone, so say which. */
export function formatStamp(d: Date): string {
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`
}

/** URLs inside [label](url) must not contain ")" or spaces, or the link breaks. */
function safeUrl(url: string): string {
  // encodeURIComponent leaves "(" and ")" alone, so spell them out.
  return url.replace(/[()\s]/g, (c) => (c === '(' ? '%28' : c === ')' ? '%29' : encodeURIComponent(c)))
}

export interface ThreadInput {
  workspace: WorkspaceId
  threadId: ThreadId
  conversation: { id: string; name: string; privacy: Privacy }
  /** Root first; Beacon's own confirmation already removed. */
  messages: ChatMessage[]
  /** Resolved display name and bot flag per author id. */
  people: Map<string, { displayName: string; isBot: boolean }>
  permalink?: string
}

/**
 * What one saved thread may hold (README "Saved threads"). A thread is fetched, rendered and
 * indexed on every refresh, so its size bounds that work: Slack allows 40,000 characters per
 * message and threads of thousands of replies, far more than anyone reads in a knowledge item.
 * Cuts are said in the item itself, never silent.
 */
export const SAVED_LIMITS = { messageChars: 20_000, itemChars: 200_000 } as const

/** The first `max` UTF-16 units of s, never ending inside a surrogate pair. */
function cutAt(s: string, max: number): string {
  const code = s.charCodeAt(max - 1)
  return s.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max)
}

function count(n: number): string {
  return n.toLocaleString('en-US')
}

/** A message's text within the per-message limit, with a note saying how much was left out. */
function cappedText(raw: string): string {
  const text = sanitizeText(raw.length > SAVED_LIMITS.messageChars ? cutAt(raw, SAVED_LIMITS.messageChars) : raw).trim()
  if (raw.length <= SAVED_LIMITS.messageChars) return text
  return `${text}… _(message cut: ${count(raw.length - SAVED_LIMITS.messageChars)} more characters not saved)_`
}

export function buildItemContent(input: ThreadInput): ItemContent {
  const { messages } = input
  const root = messages[0]
  const name = (m: ChatMessage) => input.people.get(m.author.id)?.displayName ?? m.author.displayName ?? m.author.id
  const bodyParts: string[] = []
  const plainParts: string[] = []
  const contributors: Contributor[] = []
  const savedTexts: string[] = []
  let bodyChars = 0
  let saved = 0
  for (const m of messages) {
    const text = cappedText(m.text)
    const who = sanitizeText(name(m))
    const edited = m.editedAt ? ' _(edited)_' : ''
    const files = (m.attachments ?? []).map((a) => `- [${escapeMarkdown(sanitizeText(a.name) || 'file')}](${safeUrl(a.url)})`)
    const part = [`**${escapeMarkdown(who)}** (${formatStamp(m.at)})${edited}: ${text}`, ...files].join('\n')
    // The root is always kept; a reply that would pass the item limit ends the item.
    if (saved > 0 && bodyChars + part.length > SAVED_LIMITS.itemChars) break
    bodyParts.push(part)
    bodyChars += part.length + 2
    saved++
    savedTexts.push(text)
    plainParts.push([`${who}: ${markdownToPlain(text)}`, ...(m.attachments ?? []).map((a) => sanitizeText(a.name))].join(' '))
    const isBot = m.author.isBot === true || input.people.get(m.author.id)?.isBot === true
    if (!isBot && !contributors.some((c) => c.personId === m.author.id)) contributors.push({ personId: m.author.id, displayName: who })
  }
  if (saved < messages.length) {
    const rest = messages.slice(saved)
    const chars = rest.reduce((n, m) => n + m.text.length, 0)
    const more = `${count(rest.length)} more ${rest.length === 1 ? 'message' : 'messages'} (${count(chars)} characters)`
    bodyParts.push(`_…this thread was longer: ${more} not saved. The whole thread is in the conversation._`)
  }
  return {
    workspace: input.workspace,
    threadId: input.threadId,
    conversation: input.conversation,
    rootMessageId: root?.id ?? '',
    title: titleFrom(root && { ...root, text: savedTexts[0] ?? '' }, `Thread in #${input.conversation.name}`),
    body: bodyParts.join('\n\n'),
    searchText: plainParts.join('\n'),
    tags: hashtags(savedTexts),
    contributors,
    ...(input.permalink ? { permalink: input.permalink } : {}),
    messageCount: messages.length,
  }
}
