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
      .map((l) => markdownToPlain(l).replace(/^(?:[-*>]\s*|#+\s+)/, '').replace(/\s+/g, ' ').trim())
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

export function buildItemContent(input: ThreadInput): ItemContent {
  const { messages } = input
  const root = messages[0]
  const name = (m: ChatMessage) => input.people.get(m.author.id)?.displayName ?? m.author.displayName ?? m.author.id
  const bodyParts: string[] = []
  const plainParts: string[] = []
  const contributors: Contributor[] = []
  for (const m of messages) {
    const text = sanitizeText(m.text).trim()
    const who = sanitizeText(name(m))
    const edited = m.editedAt ? ' _(edited)_' : ''
    const files = (m.attachments ?? []).map((a) => `- [${escapeMarkdown(sanitizeText(a.name) || 'file')}](${safeUrl(a.url)})`)
    bodyParts.push([`**${escapeMarkdown(who)}** (${formatStamp(m.at)})${edited}: ${text}`, ...files].join('\n'))
    plainParts.push([`${who}: ${markdownToPlain(text)}`, ...(m.attachments ?? []).map((a) => sanitizeText(a.name))].join(' '))
    const isBot = m.author.isBot === true || input.people.get(m.author.id)?.isBot === true
    if (!isBot && !contributors.some((c) => c.personId === m.author.id)) contributors.push({ personId: m.author.id, displayName: who })
  }
  return {
    workspace: input.workspace,
    threadId: input.threadId,
    conversation: input.conversation,
    rootMessageId: root?.id ?? '',
    title: titleFrom(root, `Thread in #${input.conversation.name}`),
    body: bodyParts.join('\n\n'),
    searchText: plainParts.join('\n'),
    tags: hashtags(messages.map((m) => m.text)),
    contributors,
    ...(input.permalink ? { permalink: input.permalink } : {}),
    messageCount: messages.length,
  }
}
