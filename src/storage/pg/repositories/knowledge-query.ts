/**
 * The core hands every knowledge repository a match expression built by
 * core/knowledge/search-query.ts: FTS5 strings ("…" with inner quotes doubled), each optionally
 * followed by `*` (prefix), joined by spaces (all terms) or ` OR ` (any term). This turns that
 * expression into a PostgreSQL tsquery without ever parsing user text as tsquery syntax: each
 * term's text is a bound parameter of `phraseto_tsquery`, which reads plain text only, and a
 * prefix is added to the lexeme PostgreSQL itself produced.
 */
import { type SQL, sql } from 'drizzle-orm'

/** Text search configuration: no stemming or stop words, like SQLite's unicode61 tokenizer. */
export const TS_CONFIG = sql.raw(`'simple'::regconfig`)

/**
 * `simple` with accents removed (pg migration 0003), for snippets only: ts_headline re-parses the
 * raw text, which is not folded like the indexed words, so "café" must be unaccented to be marked
 * for "cafe". The headline's query is built with it too, so both sides fold the same way.
 */
export const HEADLINE_CONFIG = sql.raw(`'beacon_headline'::regconfig`)

export interface MatchTerm {
  text: string
  prefix: boolean
}

/** Strings (with `""` escapes), a `*` after a string, and the OR keyword; anything else is dropped. */
export function parseMatch(match: string): { terms: MatchTerm[]; mode: 'all' | 'any' } {
  const terms: MatchTerm[] = []
  let mode: 'all' | 'any' = 'all'
  const re = /"((?:[^"]|"")*)"(\*?)|\bOR\b/g
  for (const m of match.matchAll(re)) {
    if (m[1] === undefined) mode = 'any'
    else terms.push({ text: m[1].replace(/""/g, '"'), prefix: m[2] === '*' })
  }
  return { terms, mode }
}

/**
 * What is indexed and searched for: diacritics removed (as SQLite's `remove_diacritics 2`) and
 * every run of characters that are not letters or digits a single space (unicode61's separators),
 * so "foo-bar" or "ada@example.com" are words on both backends. Applied to documents and queries alike.
 */
export function foldForSearch(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
}

function termQuery(t: MatchTerm, config: SQL): SQL {
  const phrase = sql`phraseto_tsquery(${config}, ${foldForSearch(t.text)})`
  if (!t.prefix) return phrase
  // tsquery's own text form quotes every lexeme safely; `:*` then marks the last one as a prefix.
  // Immutable functions of bound values only (no sub-select), so PostgreSQL folds the query to a
  // constant while planning and estimates its matches from the index statistics.
  return sql`case when ${phrase}::text = '' then ${phrase} else (${phrase}::text || ':*')::tsquery end`
}

/** The tsquery for a core match expression, or undefined when it has no term. */
export function toTsQuery(match: string, config: SQL = TS_CONFIG): SQL | undefined {
  const { terms, mode } = parseMatch(match)
  if (terms.length === 0) return undefined
  return sql.join(
    terms.map((t) => sql`(${termQuery(t, config)})`),
    mode === 'all' ? sql` && ` : sql` || `,
  )
}

/** The document vector of an item: title weighs most, then tags, then the body (ranked with RANK_WEIGHTS). */
export function searchVector(doc: { title: string; tagsText: string; searchText: string }): SQL {
  return weightedVector({
    title: sql`${foldForSearch(doc.title)}`,
    tags: sql`${foldForSearch(doc.tagsText)}`,
    text: sql`${foldForSearch(doc.searchText)}`,
  })
}

/** searchVector over SQL expressions holding already folded text (the bench's bulk loader writes many rows at once). */
export function weightedVector(folded: { title: SQL; tags: SQL; text: SQL }): SQL {
  return sql`setweight(to_tsvector(${TS_CONFIG}, ${folded.title}), 'A')
    || setweight(to_tsvector(${TS_CONFIG}, ${folded.tags}), 'B')
    || setweight(to_tsvector(${TS_CONFIG}, ${folded.text}), 'D')`
}

/** ts_rank weights {D, C, B, A}: title 10× a body match, tags 5×, as SQLite's bm25(10, 1, 5). */
export const RANK_WEIGHTS = sql.raw(`'{0.1, 0.2, 0.5, 1.0}'::float4[]`)
