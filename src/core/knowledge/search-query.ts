/**
 * Turns whatever a person types after `/kb` into a safe FTS5 query plus filters.
 *
 * FTS5 has its own query language (AND/OR/NOT/NEAR, quotes, `*`, `^`, `-`, column filters with
 * `:`, parentheses). People do not mean that language, and a stray quote would make MATCH throw.
 * So every word becomes an FTS5 *string* ("…" with inner quotes doubled): the tokenizer then only
 * sees text, operators lose their meaning, and nothing the user types can produce a syntax error.
 */
import type { SearchFilters } from './types.ts'

export interface Term {
  text: string
  /** A "quoted phrase" the person typed: matched as a phrase, no prefix. */
  phrase: boolean
}

export interface ParsedQuery {
  terms: Term[]
  filters: SearchFilters
  /** True when there is nothing at all to search for or filter by. */
  empty: boolean
}

/** Limits that keep a 5,000-character paste cheap: longer input is cut, extra words ignored. */
export const MAX_INPUT = 1000
export const MAX_TERMS = 12
const MAX_TERM_CHARS = 64

const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g
const HAS_WORD = /[\p{L}\p{N}]/u
const QUOTES = /[“”„«»＂]/g

/** Text safe to store, index and show: no control characters (they mark snippets), no broken UTF-16. */
export function sanitizeText(s: string): string {
  return s.replace(LONE_SURROGATE, '\uFFFD').replace(CONTROL, ' ')
}

/** An FTS5 string literal: the only FTS5 syntax Beacon ever sends user text in. */
export function ftsString(s: string): string {
  return `"${s.replace(/"/g, '""')}"`
}

interface Token {
  text: string
  quoted: boolean
  /** For `in:`, `from:`, `tag:` tokens: the filter name, with the value in `text`. */
  filter?: 'in' | 'from' | 'tag'
}

/**
 * Split on whitespace, keeping "quoted phrases" (straight or typographic quotes) together, and
 * `from:"Ada Lovelace"` as one filter.
 */
function lex(input: string): Token[] {
  const out: Token[] = []
  const re = /(in|from|tag):(?:"([^"]*)"?|(\S*))|"([^"]*)"?|(\S+)/gi
  for (const m of input.replace(QUOTES, '"').matchAll(re)) {
    if (m[1] !== undefined) out.push({ filter: m[1].toLowerCase() as 'in' | 'from' | 'tag', text: m[2] ?? m[3] ?? '', quoted: m[2] !== undefined })
    else if (m[4] !== undefined) out.push({ text: m[4], quoted: true })
    else if (m[5] !== undefined) out.push({ text: m[5], quoted: false })
  }
  return out
}

/** Slack sends `<#C123|general>` and `<@U123|ada>` when it escapes entities; accept both forms. */
function entity(v: string): { id?: string; name?: string } {
  const m = /^<[#@!]?([^|>]*)(?:\|([^>]*))?>?$/.exec(v)
  if (m && v.startsWith('<')) return { ...(m[1] ? { id: m[1] } : {}), ...(m[2] ? { name: m[2] } : {}) }
  return { name: v }
}

function add(list: string[] | undefined, ...values: (string | undefined)[]): string[] {
  const out = list ?? []
  for (const v of values) if (v && !out.includes(v)) out.push(v)
  return out
}

export function parseQuery(input: string): ParsedQuery {
  const text = sanitizeText(input).slice(0, MAX_INPUT)
  const tokens = lex(text)
  const terms: Term[] = []
  const filters: SearchFilters = {}
  for (const tok of tokens) {
    if (tok.filter) {
      const value = tok.text.trim()
      if (tok.filter === 'in') {
        const e = entity(value)
        const name = e.name?.replace(/^#/, '').trim().toLowerCase()
        if (name || e.id) filters.in = add(filters.in, e.id, name)
      } else if (tok.filter === 'from') {
        const e = entity(value)
        const name = e.name?.replace(/^@/, '').trim().toLowerCase()
        // With an id (an escaped mention) the id is exact; the label after "|" may be stale.
        if (name || e.id) filters.from = add(filters.from, e.id ?? name)
      } else {
        const tag = value.replace(/^#/, '').trim().toLowerCase()
        if (tag) filters.tag = add(filters.tag, tag)
      }
      continue
    }
    const t = tok.text.slice(0, MAX_TERM_CHARS)
    if (!HAS_WORD.test(t)) continue // "-", "*", "🙂": nothing the tokenizer would index
    if (terms.length < MAX_TERMS) terms.push({ text: t, phrase: tok.quoted })
  }
  const empty = terms.length === 0 && !filters.in && !filters.from && !filters.tag
  return { terms, filters, empty }
}

/** Words of two letters or more match as prefixes ("depl" finds "deploy"); phrases match as typed. */
function termMatch(t: Term): string {
  if (t.phrase) return ftsString(t.text)
  const letters = t.text.match(/[\p{L}\p{N}]/gu)?.length ?? 0
  return letters >= 2 ? `${ftsString(t.text)}*` : ftsString(t.text)
}

/** The MATCH expression: every term (`all`) or any term (`any`, the fallback when nothing matches all). */
export function buildMatch(terms: Term[], mode: 'all' | 'any'): string | undefined {
  if (terms.length === 0) return undefined
  return terms.map(termMatch).join(mode === 'all' ? ' ' : ' OR ')
}

/** The words as the person meant them, for "Results for …" (never re-parsed). */
export function describeQuery(q: ParsedQuery): string {
  return q.terms.map((t) => (t.phrase ? `"${t.text}"` : t.text)).join(' ')
}
