/**
 * Answer suggestions: a new top-level question in an opted-in channel that strongly matches a
 * saved item gets a private "This may help".
 *
 * Raw bm25 scores are not comparable between queries or corpora (they grow with the number and
 * rarity of words), so the threshold is applied to a normalised score in 0..1: the IDF-weighted
 * share of the question's content words that the item contains,
 *   score = Σ idf(matched words) / Σ idf(all content words),  idf = ln(1 + (N − n + 0.5) / (n + 0.5)),
 * i.e. bm25 with term frequency saturated and length normalisation off, divided by its maximum for
 * this question. Rare words ("kubeconfig") count more than common ones ("team"); a question full of
 * words no item has scores low. bm25 still picks the candidates and breaks ties.
 */
import type { WorkspaceId } from '../model.ts'
import type { KnowledgeContext } from './deps.ts'
import type { SuggestJob } from './job-defs.ts'
import { suggestionMessage } from './render.ts'
import { ftsString, sanitizeText } from './search-query.ts'
import type { KnowledgeItem } from './types.ts'

const STOPWORDS = new Set(
  `a about above after again all also am an and any anybody anyone anything are as at be because been before being below between both
  but by can could did do does doing done don down during each else ever few for from get gets getting got had has have having he her here
  hers him his how i if in into is it its itself just know knows let like may me might more most much must my need needs no nor not now
  of off on once one only or other our ours out over own please re same she should so some somebody someone something still such than
  thank thanks that the their them then there these they thing things this those through to too try trying under until up us use used
  using very want was way we were what whats when where which while who whom whose why will with would yes yet you your yours hi hey
  hello folks team guys all everyone quick question wondering`.split(/\s+/),
)

const QUESTION_START = new RegExp(
  "^(how|what|what's|whats|why|where|where's|when|who|who's|which|whom|whose" + // wh- words
    '|is|are|am|can|could|does|do|did|should|would|will|has|have' + // inverted auxiliaries
    '|any(one|body)|is there|are there)\\b',
  'i',
)

export const MIN_TERMS = 2
const MAX_TERMS = 12
const CANDIDATES = 10
const SCORED = 3

/** A question is in its opening: reading further into a 1 MB paste would only cost the event loop. */
const QUESTION_READ_CHARS = 4_000

export function looksLikeQuestion(text: string): boolean {
  const t = sanitizeText(text.slice(0, QUESTION_READ_CHARS)).trim()
  if (t.length < 8 || t.split(/\s+/, 3).length < 3) return false
  if (/[?？؟]/.test(t)) return true
  return QUESTION_START.test(t.replace(/^(hi|hey|hello)\b[\s,!]*/i, ''))
}

/** Lower-cased words without accents, stopwords, links or mentions. */
export function contentTerms(text: string): string[] {
  const cleaned = sanitizeText(text)
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/<[@#!][^>]*>/g, ' ')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
  const out: string[] = []
  for (const w of cleaned.split(/[^\p{L}\p{N}]+/u)) {
    if (w.length < 2 || STOPWORDS.has(w) || out.includes(w)) continue
    out.push(w)
    if (out.length >= MAX_TERMS) break
  }
  return out
}

/** A crude English stem as an FTS5 prefix, so "rotating" finds "rotate" and "rotation". */
export function termMatch(term: string): string {
  const stem = term.length >= 5 ? term.replace(/(ations?|ings?|ions?|ed|es|e|s)$/, '') : term
  return stem.length >= 4 ? `${ftsString(stem)}*` : ftsString(term)
}

export interface Suggestion {
  item: KnowledgeItem
  /** Normalised 0..1 (see the top of this file). */
  score: number
  matched: number
}

/** The best item the person may see for a question, scored; undefined when nothing is close. */
export async function scoreQuestion(ctx: KnowledgeContext, workspace: WorkspaceId, personId: string, text: string): Promise<Suggestion | undefined> {
  const terms = contentTerms(text)
  if (terms.length < MIN_TERMS) return undefined
  const matches = terms.map((t) => ({ key: t, match: termMatch(t) }))
  const page = await ctx.repo.search({ workspace, match: matches.map((m) => m.match).join(' OR '), filters: {}, limit: CANDIDATES, offset: 0 })
  const visible = (await ctx.access.filter(workspace, personId, page, (h) => h.item)).slice(0, SCORED)
  if (visible.length === 0) return undefined
  const stats = await ctx.repo.termStats(
    workspace,
    matches,
    visible.map((h) => h.item.id),
  )
  const idf = (t: string) => {
    const n = stats.docFreq.get(t) ?? 0
    return Math.log(1 + (stats.total - n + 0.5) / (n + 0.5))
  }
  const max = terms.reduce((s, t) => s + idf(t), 0)
  let best: Suggestion | undefined
  for (const h of visible) {
    const got = [...(stats.matched.get(h.item.id) ?? [])]
    const score = max > 0 ? got.reduce((s, t) => s + idf(t), 0) / max : 0
    if (!best || score > best.score) best = { item: h.item, score, matched: got.length }
  }
  return best
}

export async function findSuggestion(ctx: KnowledgeContext, workspace: WorkspaceId, personId: string, text: string): Promise<Suggestion | undefined> {
  const best = await scoreQuestion(ctx, workspace, personId, text)
  return best && best.score >= ctx.suggestThreshold && best.matched >= MIN_TERMS ? best : undefined
}

export async function runSuggestion(ctx: KnowledgeContext, job: SuggestJob): Promise<void> {
  // The channel may have opted out between the message and this job.
  if (!(await ctx.repo.suggestEnabled(job.workspace, job.conversationId))) return
  const found = await findSuggestion(ctx, job.workspace, job.personId, job.text)
  if (!found || found.item.threadId === job.threadId) return
  const platform = ctx.platforms.forWorkspace(job.workspace)
  const conversation = { workspace: job.workspace, id: job.conversationId }
  const tip = suggestionMessage(found.item, job.personId)
  if (platform.caps.ephemeral) {
    // The question is a new top-level message: Slack shows an ephemeral message in a thread only
    // once that thread has replies, so the tip goes right under the question in the channel.
    await platform.post({ conversation }, tip)
  } else if (found.item.conversation.id === job.conversationId || found.item.conversation.privacy === 'public') {
    // No private messages here (Teams): an answer everyone in this channel may read anyway is a
    // reply in the question's thread, where the next person with the same question sees it too.
    const { visibleTo: _asker, ...everyone } = tip
    await platform.post({ conversation, threadId: job.threadId }, everyone)
  } else {
    // Saved somewhere the rest of this channel may not see: only the asker hears of it (a DM).
    await platform.post({ conversation, threadId: job.threadId }, tip)
  }
  await ctx.repo.markViewed([found.item.id], ctx.clock.now())
  await ctx.events.publish('knowledge.item-used', {
    use: {
      workspace: job.workspace,
      conversationId: job.conversationId,
      itemId: found.item.id,
      kind: 'suggestion_shown',
      key: `${job.conversationId}:${job.messageId}`,
    },
  })
  ctx.log.info({ itemId: found.item.id, score: Number(found.score.toFixed(3)) }, 'knowledge suggested')
}
