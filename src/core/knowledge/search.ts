/**
 * `/kb <words>`: parse, rank with FTS5, drop what the person may not see, record the views (after the reply).
 * Permission is applied after ranking because membership lives on the platform; candidates are
 * read in pages so a private channel full of matches cannot starve the results.
 */
import type { WorkspaceId } from '../model.ts'
import type { KnowledgeContext } from './deps.ts'
import { buildMatch, describeQuery, parseQuery, type ParsedQuery } from './search-query.ts'
import type { SearchHit } from './types.ts'

export const DEFAULT_RESULTS = 5
const PAGE = 25
/** Stop after this many rounds (100 candidates): a person who sees none of them gets "no results". */
const MAX_ROUNDS = 4

export interface SearchOutcome {
  parsed: ParsedQuery
  /** The words, for display. */
  query: string
  hits: SearchHit[]
  /** True when no item had every word and the results match some of them. */
  broadened: boolean
  /** The workspaces searched: the asker's, plus the rest of their organisation. */
  workspaces: WorkspaceId[]
}

type Account = { workspace: WorkspaceId; personId?: string }
/** `candidates`: ranked items read (visible or not); `broadened`: they came from the any-word fallback. */
type Visible = { hits: SearchHit[]; candidates: number; broadened: boolean }

export class KnowledgeSearch {
  constructor(private readonly ctx: KnowledgeContext) {}

  /**
   * Never throws on input: anything typed is parsed into quoted FTS5 strings (see search-query.ts).
   * Views are recorded separately (recordViews), after the reply, so the person never waits for that write.
   */
  async search(workspace: WorkspaceId, personId: string, text: string, limit = DEFAULT_RESULTS): Promise<SearchOutcome> {
    const parsed = parseQuery(text)
    const query = describeQuery(parsed)
    if (parsed.empty) return { parsed, query, hits: [], broadened: false, workspaces: [workspace] }
    const accounts = await this.ctx.reach(workspace, personId)
    // The any-word search is asked for in the same repository call: it runs only where no item has
    // every word (matches hidden by permission are not a reason to go wider).
    const fallback = parsed.terms.length > 1 ? buildMatch(parsed.terms, 'any') : undefined
    const found = await this.visibleIn(accounts, parsed, buildMatch(parsed.terms, 'all'), fallback, limit)
    return { parsed, query, hits: found.hits, broadened: found.broadened && found.hits.length > 0, workspaces: accounts.map((a) => a.workspace) }
  }

  /**
   * Appearing in results counts as a view: the stale-knowledge sweep leaves these items alone. Called
   * after the results were shown, so a failed write is logged, never answered with an error.
   */
  async recordViews(found: SearchOutcome): Promise<void> {
    try {
      await this.ctx.repo.markViewed(
        found.hits.map((h) => h.item.id),
        this.ctx.clock.now(),
      )
    } catch (err) {
      this.ctx.log.warn({ err, items: found.hits.length }, 'could not record knowledge views')
    }
  }

  /**
   * Each workspace searched as the person's own account there (permissions follow the person),
   * then merged by rank: each workspace has its own index (word rarity counted within it), so bm25
   * scores are on the same scale across workspaces, not exactly equal for the same text. Results
   * are broadened only when no workspace has an item with every word.
   */
  private async visibleIn(
    accounts: Account[],
    parsed: ParsedQuery,
    match: string | undefined,
    fallback: string | undefined,
    limit: number,
  ): Promise<Visible> {
    if (accounts.length === 1) return this.visible(accounts[0]!.workspace, accounts[0]!.personId, parsed, match, limit, fallback)
    const each = await Promise.all(accounts.map((a) => this.visible(a.workspace, a.personId, parsed, match, limit, fallback)))
    const strict = each.filter((r) => !r.broadened)
    const broadened = !strict.some((r) => r.candidates > 0)
    const hits = (broadened ? each : strict)
      .flatMap((r) => r.hits)
      .sort((a, b) => a.score - b.score || b.item.updatedAt.getTime() - a.item.updatedAt.getTime())
    return { hits: hits.slice(0, limit), candidates: each.reduce((n, r) => n + r.candidates, 0), broadened: broadened && hits.length > 0 }
  }

  /**
   * Ranked candidates, filtered by permission, until `limit` are visible. Each round leaves out the
   * private conversations just found closed to this person and the items already seen, so a
   * private channel full of matches costs one extra query instead of a walk through its pages
   * (each page re-ranks every match, which is what dominates at 100k items). When the first round
   * comes back broadened (nothing had every word), the later rounds page through the fallback.
   */
  async visible(
    workspace: WorkspaceId,
    personId: string | undefined,
    parsed: ParsedQuery,
    match: string | undefined,
    limit: number,
    fallback?: string,
  ): Promise<Visible> {
    const out: SearchHit[] = []
    const denied = new Set<string>()
    const seen: number[] = []
    let candidates = 0
    let broadened = false
    for (let round = 0; round < MAX_ROUNDS && out.length < limit; round++) {
      const page = await this.ctx.repo.search({
        workspace,
        ...(match !== undefined ? { match } : {}),
        ...(round === 0 && fallback !== undefined ? { fallback } : {}),
        filters: parsed.filters,
        exclude: { conversationIds: [...denied], itemIds: seen },
        limit: PAGE,
        offset: 0,
      })
      if (round === 0 && page[0]?.broadened) {
        broadened = true
        match = fallback
      }
      candidates += page.length
      for (const h of page) {
        seen.push(h.item.id)
        if (await this.ctx.access.canSee(workspace, personId, h.item)) out.push(h)
        else denied.add(h.item.conversation.id)
      }
      if (page.length < PAGE) break
    }
    return { hits: out.slice(0, limit), candidates, broadened }
  }

  /** Newest items the person may see (their own saves only with `savedBy`, which is an id in `workspace`). */
  async recent(workspace: WorkspaceId, personId: string, limit: number, savedBy?: string) {
    const accounts: Account[] = savedBy ? [{ workspace, personId }] : await this.ctx.reach(workspace, personId)
    const each = await Promise.all(
      accounts.map(async (a) => {
        const items = await this.ctx.repo.recent(a.workspace, { limit: limit * 3, ...(savedBy ? { savedBy } : {}) })
        return this.ctx.access.filter(a.workspace, a.personId, items, (i) => i)
      }),
    )
    return each
      .flat()
      .sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime())
      .slice(0, limit)
  }
}
