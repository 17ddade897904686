// The knowledge store, SQLite (FTS5) and PostgreSQL (tsvector): same items, same search answers.
import { expect, it } from 'vitest'
import { buildMatch, parseQuery } from '../../../src/core/knowledge/search-query.ts'
import { type ItemContent, type RepoSearch, SNIPPET_CLOSE, SNIPPET_OPEN } from '../../../src/core/knowledge/types.ts'
import { contract } from './backends.ts'

const WS = 'slack:T1'
const t = (n: number) => new Date(Date.UTC(2024, 0, n))

function content(over: Partial<ItemContent> = {}): ItemContent {
  return {
    workspace: WS,
    threadId: 'slack:T1:C1:1.1',
    conversation: { id: 'C1', name: 'General', privacy: 'public' },
    rootMessageId: '1.1',
    title: 'Parking rules',
    body: '**Ada** (2024-01-01 10:00 UTC): Parking rules',
    searchText: 'Ada: Parking rules',
    tags: ['office'],
    contributors: [{ personId: 'UADA', displayName: 'Ada' }],
    messageCount: 1,
    ...over,
  }
}

const opts = (n: number) => ({ now: t(n), reactivate: true })

/** What `/kb <input>` asks the repository (all words), as the core builds it. */
function kb(input: string, over: Partial<RepoSearch> = {}): RepoSearch {
  const parsed = parseQuery(input)
  const match = buildMatch(parsed.terms, 'all')
  return { workspace: WS, ...(match !== undefined ? { match } : {}), filters: parsed.filters, limit: 10, offset: 0, ...over }
}

contract('knowledge repository', (fresh) => {
  it('upserts one item per (workspace, thread), keeping the first save time and every saver', async () => {
    const { repos } = await fresh()
    const a = await repos.knowledge.upsert(content(), { ...opts(1), saver: { personId: 'UADA', via: 'reaction' } })
    const b = await repos.knowledge.upsert(content({ body: 'changed', searchText: 'changed' }), {
      ...opts(2),
      saver: { personId: 'UBOB', via: 'action' },
    })
    expect(b.id).toBe(a.id)
    expect(b.savers.map((s) => [s.personId, s.via])).toEqual([
      ['UADA', 'reaction'],
      ['UBOB', 'action'],
    ])
    expect(b.createdAt).toEqual(t(1))
    expect(b.updatedAt).toEqual(t(2))
    expect(b.tags).toEqual(['office'])
    expect(b.contributors).toEqual([{ personId: 'UADA', displayName: 'Ada' }])
    const other = await repos.knowledge.upsert(content({ workspace: 'slack:T2', threadId: 'slack:T2:C1:1.1' }), opts(1))
    expect(other.id).not.toBe(a.id)
    const racing = await Promise.all([1, 2, 3].map((n) => repos.knowledge.upsert(content({ threadId: 'slack:T1:C1:9.9' }), opts(n))))
    expect(new Set(racing.map((i) => i.id)).size).toBe(1)
  })

  it('counts only content changes as updates, keeps an edited title, never loosens privacy', async () => {
    const { repos } = await fresh()
    const a = await repos.knowledge.upsert(content({ conversation: { id: 'C1', name: 'General', privacy: 'private' } }), opts(1))
    const same = await repos.knowledge.upsert(content(), opts(5))
    expect(same.updatedAt).toEqual(t(1))
    expect(same.syncedAt).toEqual(t(5))
    expect(same.conversation.privacy).toBe('private')
    expect(await repos.knowledge.rename(WS, a.id, 'Where to park', t(6))).toBe(true)
    expect(await repos.knowledge.rename('slack:T2', a.id, 'Hijack', t(6))).toBe(false)
    const after = await repos.knowledge.upsert(content({ title: 'Parking rules v2' }), opts(7))
    expect(after.title).toBe('Where to park')
    expect(after.titleEdited).toBe(true)
    // The new title is what search finds.
    expect((await repos.knowledge.search(kb('where'))).map((h) => h.item.id)).toEqual([a.id])
  })

  it('claims the confirmation and the stale question exactly once', async () => {
    const { repos } = await fresh()
    const a = await repos.knowledge.upsert(content(), opts(1))
    const claims = await Promise.all([1, 2, 3, 4].map(() => repos.knowledge.claimConfirmation(a.id, t(2))))
    expect(claims.filter(Boolean)).toHaveLength(1)
    await repos.knowledge.releaseConfirmation(a.id)
    expect(await repos.knowledge.claimConfirmation(a.id, t(3))).toBe(true)
    expect((await repos.knowledge.findStale(t(10), 10)).map((i) => i.id)).toEqual([a.id])
    expect(await repos.knowledge.claimStaleAsk(a.id, t(10), t(11))).toBe(true)
    expect(await repos.knowledge.claimStaleAsk(a.id, t(10), t(11))).toBe(false)
    expect(await repos.knowledge.findStale(t(10), 10)).toEqual([])
    expect(await repos.knowledge.keep(WS, a.id, t(12))).toBe(true)
    expect((await repos.knowledge.get(WS, a.id))?.lastViewedAt).toEqual(t(12))
  })

  it('stores per-channel suggestion settings', async () => {
    const { repos } = await fresh()
    expect(await repos.knowledge.suggestEnabled(WS, 'C1')).toBe(false)
    await repos.knowledge.setSuggest(WS, 'C1', true, 'UADA', t(1))
    expect(await repos.knowledge.suggestEnabled(WS, 'C1')).toBe(true)
    expect(await repos.knowledge.suggestEnabled('slack:T2', 'C1')).toBe(false)
    await repos.knowledge.setSuggest(WS, 'C1', false, 'UADA', t(2))
    expect(await repos.knowledge.suggestEnabled(WS, 'C1')).toBe(false)
  })

  it('lists recent items and "saved by me", newest first, in one workspace', async () => {
    const { repos } = await fresh()
    await repos.knowledge.upsert(content(), { ...opts(1), saver: { personId: 'UADA', via: 'reaction' } })
    await repos.knowledge.upsert(content({ threadId: 'slack:T1:C1:2.2', title: 'Second' }), {
      ...opts(2),
      saver: { personId: 'UBOB', via: 'reaction' },
    })
    expect((await repos.knowledge.recent(WS, { limit: 5 })).map((i) => i.title)).toEqual(['Second', 'Parking rules'])
    expect((await repos.knowledge.recent(WS, { limit: 5, savedBy: 'UADA' })).map((i) => i.title)).toEqual(['Parking rules'])
    expect(await repos.knowledge.recent('slack:T9', { limit: 5 })).toEqual([])
  })

  it("searches only the asker's workspace and active items, title above body, with marked snippets", async () => {
    const { repos } = await fresh()
    const body = await repos.knowledge.upsert(
      content({ threadId: 'slack:T1:C1:1.1', title: 'Office notes', searchText: 'Ada: remember the deploy freeze on Friday' }),
      opts(1),
    )
    const title = await repos.knowledge.upsert(content({ threadId: 'slack:T1:C1:2.2', title: 'Deploy checklist', searchText: 'Bob: steps' }), opts(2))
    await repos.knowledge.upsert(content({ workspace: 'slack:T2', threadId: 'slack:T2:C1:1.1', title: 'Deploy elsewhere' }), opts(1))
    const archived = await repos.knowledge.upsert(content({ threadId: 'slack:T1:C1:3.3', title: 'Deploy old' }), opts(1))
    await repos.knowledge.setStatus(WS, archived.id, 'archived', t(3))
    const hits = await repos.knowledge.search(kb('deploy'))
    expect(hits.map((h) => h.item.id)).toEqual([title.id, body.id])
    expect(hits[0]!.score).toBeLessThan(hits[1]!.score) // lower is better on both backends
    expect(hits[1]!.snippet).toContain(`${SNIPPET_OPEN}deploy${SNIPPET_CLOSE}`)
    expect(await repos.knowledge.archiveThread(WS, title.threadId, t(4))).toBe(true)
    expect((await repos.knowledge.search(kb('deploy'))).map((h) => h.item.id)).toEqual([body.id])
  })

  it("never answers from another workspace, even one whose id shares the search index's hash prefix", async () => {
    // PostgreSQL scopes its index by the first 8 hex digits of md5(workspace) (pg migration 0004): these two share them.
    const [a, b] = ['slack:T3ZP1', 'slack:T40ML']
    const { repos } = await fresh()
    const mine = await repos.knowledge.upsert(content({ workspace: a, threadId: `${a}:C1:1.1`, title: 'Deploy freeze' }), opts(1))
    await repos.knowledge.upsert(content({ workspace: b, threadId: `${b}:C1:1.1`, title: 'Deploy secrets' }), opts(1))
    const ids = async (q: RepoSearch) => (await repos.knowledge.search(q)).map((h) => h.item.id)
    expect(await ids(kb('deploy', { workspace: a }))).toEqual([mine.id])
    expect(await ids(kb('depl', { workspace: a }))).toEqual([mine.id])
    expect(await ids(kb('"deploy secrets"', { workspace: a }))).toEqual([])
    expect(await ids(kb('secr', { workspace: a, match: buildMatch(parseQuery('secr freeze').terms, 'any')! }))).toEqual([mine.id])
    expect((await repos.knowledge.termStats(a, [{ key: 'deploy', match: '"deploy"' }], [])).docFreq.get('deploy')).toBe(1)
  })

  it('matches prefixes, quoted phrases and accents the way people type them', async () => {
    const { repos } = await fresh()
    const a = await repos.knowledge.upsert(
      content({ title: 'Café opening hours', searchText: 'The staging cluster restarts nightly; ping ops-team@example.com' }),
      opts(1),
    )
    const ids = async (q: string) => (await repos.knowledge.search(kb(q))).map((h) => h.item.id)
    expect(await ids('stag clus')).toEqual([a.id])
    expect(await ids('"staging cluster"')).toEqual([a.id])
    expect(await ids('"cluster staging"')).toEqual([])
    expect(await ids('cafe')).toEqual([a.id])
    expect(await ids('ops-team')).toEqual([a.id])
    expect(await ids('example')).toEqual([a.id])
    expect(await ids('staging missingword')).toEqual([])
    const any = buildMatch(parseQuery('staging missingword').terms, 'any')!
    expect((await repos.knowledge.search({ workspace: WS, match: any, filters: {}, limit: 5, offset: 0 })).map((h) => h.item.id)).toEqual([a.id])
  })

  it('highlights the accented word in the snippet when the query was typed without the accent', async () => {
    const { repos } = await fresh()
    const item = await repos.knowledge.upsert(content({ title: 'Coffee', searchText: 'Ada: the café on the corner opens at eight' }), opts(1))
    const hits = await repos.knowledge.search(kb('cafe'))
    expect(hits.map((h) => h.item.id)).toEqual([item.id])
    expect(hits[0]!.snippet).toContain(`${SNIPPET_OPEN}café${SNIPPET_CLOSE}`)
  })

  it('never fails on search syntax typed as words', async () => {
    const { repos } = await fresh()
    await repos.knowledge.upsert(content(), opts(1))
    const nasty = [
      '"',
      "it's",
      'a & b | !c',
      "'; drop table knowledge_items; --",
      'foo:* <-> bar',
      '(parking',
      'parking)',
      'NEAR(a b)',
      'x:*',
      '\\',
      'OR AND NOT',
      '***',
      'a:b',
      "parking'",
      '"unclosed parking',
    ]
    for (const q of nasty) await expect(repos.knowledge.search(kb(q))).resolves.toBeInstanceOf(Array)
    expect((await repos.knowledge.search(kb("parking'"))).map((h) => h.item.title)).toEqual(['Parking rules'])
    expect((await repos.knowledge.search(kb('(parking'))).map((h) => h.item.title)).toEqual(['Parking rules'])
  })

  it('filters by in:, from:, tag: and leaves out excluded conversations and items', async () => {
    const { repos } = await fresh()
    const a = await repos.knowledge.upsert(content({ tags: ['ops'], contributors: [{ personId: 'UADA', displayName: 'Ada Lovelace' }] }), opts(1))
    const b = await repos.knowledge.upsert(
      content({
        threadId: 'slack:T1:C2:1.1',
        conversation: { id: 'C2', name: 'Random', privacy: 'public' },
        tags: ['fun'],
        contributors: [{ personId: 'UBOB', displayName: 'Bob' }],
      }),
      opts(2),
    )
    const ids = async (q: string, over: Partial<RepoSearch> = {}) => (await repos.knowledge.search(kb(q, over))).map((h) => h.item.id)
    expect(await ids('parking in:#general')).toEqual([a.id])
    expect(await ids('in:<#C2>')).toEqual([b.id])
    expect(await ids('from:@ada')).toEqual([a.id])
    expect(await ids('from:"ada lovelace"')).toEqual([a.id])
    expect(await ids('from:<@UBOB>')).toEqual([b.id])
    expect(await ids('tag:#fun')).toEqual([b.id])
    expect(await ids('tag:ops from:bob')).toEqual([])
    expect((await ids('parking')).sort()).toEqual([a.id, b.id].sort())
    expect(await ids('parking', { exclude: { conversationIds: ['C1'] } })).toEqual([b.id])
    expect(await ids('parking', { exclude: { itemIds: [b.id] } })).toEqual([a.id])
    expect(await ids('', { limit: 1, offset: 1 })).toEqual([a.id]) // filters only: newest first, paged
  })

  it('counts term frequencies for suggestions within the workspace', async () => {
    const { repos } = await fresh()
    const a = await repos.knowledge.upsert(content({ title: 'VPN setup', searchText: 'install the vpn client' }), opts(1))
    const b = await repos.knowledge.upsert(content({ threadId: 'slack:T1:C1:2.2', title: 'Printer', searchText: 'printer on floor two' }), opts(1))
    await repos.knowledge.upsert(content({ workspace: 'slack:T2', threadId: 'slack:T2:C1:1.1', title: 'VPN elsewhere' }), opts(1))
    const terms = [
      { key: 'vpn', match: '"vpn"*' },
      { key: 'printer', match: '"printer"*' },
      { key: 'none', match: '"zzz"' },
    ]
    const stats = await repos.knowledge.termStats(WS, terms, [a.id, b.id])
    expect(stats.total).toBe(2)
    expect(stats.docFreq).toEqual(
      new Map([
        ['vpn', 1],
        ['printer', 1],
        ['none', 0],
      ]),
    )
    expect(stats.matched.get(a.id)).toEqual(new Set(['vpn']))
    expect(stats.matched.get(b.id)).toEqual(new Set(['printer']))
  })

  it('forgets a workspace and makes a conversation members-only', async () => {
    const { repos } = await fresh()
    await repos.knowledge.upsert(content(), opts(1))
    await repos.knowledge.upsert(content({ workspace: 'slack:T2', threadId: 'slack:T2:C1:1.1' }), opts(1))
    expect(await repos.knowledge.restrictConversation(WS, 'C1')).toBe(1)
    expect((await repos.knowledge.getByThread(WS, 'slack:T1:C1:1.1'))?.conversation.privacy).toBe('private')
    expect(await repos.knowledge.isSavedThread(WS, 'slack:T1:C1:1.1')).toBe(true)
    expect(await repos.knowledge.removeWorkspace(WS)).toBe(1)
    expect(await repos.knowledge.isSavedThread(WS, 'slack:T1:C1:1.1')).toBe(false)
    expect(await repos.knowledge.search(kb('parking'))).toEqual([])
    expect(await repos.knowledge.isSavedThread('slack:T2', 'slack:T2:C1:1.1')).toBe(true)
  })
})
