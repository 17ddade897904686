/**
 * `/kudos @ada @bob for the deploy fix #craft` → who, why and which value. Mentions are resolved by
 * the shared resolver (src/core/people/mentions.ts); everything a person typed is escaped here so
 * it is shown literally wherever the kudos is rendered.
 */
import type { Person } from '../model.ts'
import { escapeMarkdown } from '../outbound.ts'
import { resolveMentions, type MentionProblem, type PeopleLookup } from '../people/mentions.ts'

export const REASON_MAX = 280

export type ParsedKudos = { ok: true; receivers: Person[]; reason: string; value?: string } | { ok: false; message: string }

const VALUE = /(^|[\s(,;])#([\p{L}\p{N}_-]+)/gu

export function valuesList(values: readonly string[]): string {
  return values.map((v) => `**#${v}**`).join(', ')
}

/** The clear reply for a #value that is not a company value; changes nothing. */
export function unknownValueText(word: string, values: readonly string[]): string {
  return `**#${escapeMarkdown(word)}** isn’t one of our values, so no kudos went out. Pick one of ${valuesList(values)} — or leave the value out.`
}

export async function parseKudosText(
  text: string,
  giver: Person,
  lookup: PeopleLookup,
  values: readonly string[],
  example: string,
): Promise<ParsedKudos> {
  const m = await resolveMentions(text, giver, lookup)
  const problem = m.problems[0]
  if (problem) return { ok: false, message: problemText(problem) }
  if (m.people.length === 0) return { ok: false, message: `Mention who you’re thanking, e.g. \`${example}\`.` }
  if (m.people.some((p) => p.id === giver.id)) {
    return { ok: false, message: 'Kudos are for thanking someone else — you can’t give them to yourself. Nothing was recorded.' }
  }

  const found = [...m.rest.matchAll(VALUE)].map((x) => x[2]!.toLowerCase())
  const distinct = [...new Set(found)]
  if (distinct.length > 1)
    return {
      ok: false,
      message: `A kudos carries one value; you used ${distinct.map((v) => `**#${escapeMarkdown(v)}**`).join(' and ')}. Keep the one that fits best.`,
    }
  const value = distinct[0]
  if (value !== undefined && !values.includes(value)) return { ok: false, message: unknownValueText(value, values) }

  const reason = cleanReason(m.rest.replace(VALUE, '$1'))
  if (Array.from(reason).length < 2) return { ok: false, message: `Say what you’re thanking them for, e.g. \`${example}\`.` }
  return { ok: true, receivers: m.people, reason: escapeMarkdown(cut(reason, REASON_MAX)), ...(value ? { value } : {}) }
}

/** Slack tokens left in the text read as what Slack shows; stray separators at the start go. */
function cleanReason(s: string): string {
  return s
    .replace(/<#[A-Z0-9]+\|([^>]*)>/g, '#$1')
    .replace(/<!(?:subteam\^[^|>]*\|)?([^>|^]+)[^>]*>/g, '$1')
    .replace(/<(https?:[^|>\s]+)(?:\|([^>]*))?>/g, (_m, url: string, label?: string) => label || url)
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^(?:[:,;\-–—]\s*)+/, '')
    .trim()
}

function cut(s: string, max: number): string {
  const chars = Array.from(s)
  return chars.length <= max ? s : `${chars.slice(0, max - 1).join('')}…`
}

function problemText(p: MentionProblem): string {
  switch (p.kind) {
    case 'unknown':
      return (
        `I don’t know who **${escapeMarkdown(p.token)}** is, so no kudos went out. ` +
        'Check the spelling, or mention them the way your chat app suggests.'
      )
    case 'bot':
      return `**${escapeMarkdown(p.name)}** is a bot — kudos are for people. Nothing was recorded.`
    case 'group':
      return `Kudos go to people, not to **${escapeMarkdown(p.token)}**. Mention the people you want to thank.`
  }
}
