// /kb's broadened search and the items a search returns, the same on SQLite (FTS5) and PostgreSQL
// (one statement: strict page, fallback page, items and their people read together).
import { expect, it } from 'vitest'
import { buildMatch, parseQuery } from '../../../src/core/knowledge/search-query.ts'
import type { ItemContent, RepoSearch } from '../../../src/core/knowledge/types.ts'
import { contract } from './backends.ts'

const WS = 'slack:T1'
const t = (n: number) => new Date(Date.UTC(2024, 0, n))

function content(n: number, title: string, over: Partial<ItemContent> = {}): ItemContent {
  return {
    workspace: WS,
    threadId: `slack:T1:C1:${n}.1`,
    conversation: { id: 'C1', name: 'General', privacy: 'public' },
    rootMessageId: `${n}.1`,
    title,
    body: `**Ada**: ${title}`,
    searchText: `Ada: ${title}`,
    tags: [],
    contributors: [{ personId: 'UADA', displayName: 'Ada' }],
    messageCount: 1,
    ...over,
  }
}

const opts = (n: number) => ({ now: t(n), reactivate: true })

/** What `/kb <input>` asks the repository: every word, with any word as the fallback. */
function kb(input: string, over: Partial<RepoSearch> = {}): RepoSearch {
  const { terms, filters } = parseQuery(input)
  const match = buildMatch(terms, 'all')
  const fallback = buildMatch(terms, 'any')
  return { workspace: WS, ...(match ? { match } : {}), ...(fallback ? { fallback } : {}), filters, limit: 10, offset: 0, ...over }
}

contract('knowledge search fallback', (fresh) => {
  it('searches any word only when no item has every word, and says so on each hit', async () => {
    const { repos } = await fresh()
    const checklist = await repos.knowledge.upsert(content(1, 'Deploy checklist'), opts(1))
    const freeze = await repos.knowledge.upsert(content(2, 'Deploy freeze'), opts(2))
    const holiday = await repos.knowledge.upsert(
      content(3, 'Holiday calendar', { conversation: { id: 'C2', name: 'Random', privacy: 'public' } }),
      opts(3),
    )
    await repos.knowledge.upsert(content(4, 'Calendar deploy', { workspace: 'slack:T2', threadId: 'slack:T2:C1:4.1' }), opts(4))
    const search = async (q: string, over: Partial<RepoSearch> = {}) => {
      const hits = await repos.knowledge.search(kb(q, over))
      return { ids: hits.map((h) => h.item.id).sort(), broadened: hits.map((h) => h.broadened === true) }
    }
    // An item has every word: only those, never padded with partial matches.
    expect(await search('deploy checklist')).toEqual({ ids: [checklist.id], broadened: [false] })
    // None has both (the other workspace's item does not count): every item with either word.
    expect(await search('deploy calendar')).toEqual({ ids: [checklist.id, freeze.id, holiday.id].sort(), broadened: [true, true, true] })
    // The fallback keeps the filters and exclusions of the strict search.
    expect(await search('deploy calendar in:#random')).toEqual({ ids: [holiday.id], broadened: [true] })
    expect(await search('deploy calendar', { exclude: { conversationIds: ['C2'], itemIds: [freeze.id] } })).toEqual({
      ids: [checklist.id],
      broadened: [true],
    })
    // Nothing with any word: nothing, from either search.
    expect(await search('payroll invoice')).toEqual({ ids: [], broadened: [] })
  })

  it('returns each hit with the item as get() reads it: people in thread order, savers, tags, times', async () => {
    const { repos } = await fresh()
    const contributors = [
      { personId: 'UBOB', displayName: 'Bob' },
      { personId: 'UADA', displayName: 'Ada Lovelace' },
    ]
    const item = await repos.knowledge.upsert(content(1, 'Parking rules', { tags: ['office', 'cars'], contributors, permalink: 'https://x/p1' }), {
      ...opts(1),
      saver: { personId: 'UCAT', via: 'reaction' },
    })
    await repos.knowledge.addSaver(item.id, { personId: 'UDAN', via: 'action' }, new Date(Date.UTC(2024, 0, 2, 9, 30, 15, 123)))
    await repos.knowledge.markViewed([item.id], t(3))
    const expected = await repos.knowledge.get(WS, item.id)
    expect(expected?.savers).toHaveLength(2)
    for (const q of ['parking', 'parking nowhere', '']) {
      const [hit] = await repos.knowledge.search(kb(q))
      expect(hit?.item, q).toEqual(expected)
    }
  })
})
