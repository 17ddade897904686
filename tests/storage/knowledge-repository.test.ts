import { describe, expect, it } from 'vitest'
import type { ItemContent } from '../../src/core/knowledge/types.ts'
import { openMemoryDb } from '../../src/storage/db.ts'
import { SqliteKnowledgeRepository } from '../../src/storage/repositories/knowledge.ts'

const WS = 'slack:T1'

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

function setup() {
  const db = openMemoryDb()
  const repo = new SqliteKnowledgeRepository(db)
  const fts = (q: string) => (db.$client.prepare('select rowid from knowledge_fts where knowledge_fts match ?').all(q) as { rowid: number }[]).map((r) => r.rowid)
  const integrity = () => db.$client.prepare("insert into knowledge_fts(knowledge_fts, rank) values('integrity-check', 1)").run()
  return { db, repo, fts, integrity }
}

const t = (n: number) => new Date(Date.UTC(2024, 0, n))

describe('SqliteKnowledgeRepository', () => {
  it('upserts one row per (workspace, thread) and enforces it in the schema', async () => {
    const { db, repo } = setup()
    const a = await repo.upsert(content(), { now: t(1), saver: { personId: 'UADA', via: 'reaction' }, reactivate: true })
    const b = await repo.upsert(content({ body: 'changed', searchText: 'changed' }), { now: t(2), saver: { personId: 'UBOB', via: 'action' }, reactivate: true })
    expect(b.id).toBe(a.id)
    expect(b.savers.map((s) => s.personId)).toEqual(['UADA', 'UBOB'])
    expect(b.createdAt).toEqual(t(1))
    expect(b.updatedAt).toEqual(t(2))
    const other = await repo.upsert(content({ workspace: 'slack:T2', threadId: 'slack:T2:C1:1.1' }), { now: t(1), reactivate: true })
    expect(other.id).not.toBe(a.id)
    const raw = () =>
      db.$client
        .prepare(
          `insert into knowledge_items (workspace_id, thread_id, conversation_id, conversation_name, conversation_key, privacy, root_message_id,
           title, body, search_text, message_count, created_at, updated_at, synced_at) values (?, ?, 'C1', 'g', 'g', 'public', '1', 't', 'b', 'b', 1, 0, 0, 0)`,
        )
        .run(WS, 'slack:T1:C1:1.1')
    expect(raw).toThrow(/UNIQUE/)
  })

  it('counts only content changes as updates, and keeps an edited title', async () => {
    const { repo } = setup()
    const a = await repo.upsert(content(), { now: t(1), reactivate: true })
    const same = await repo.upsert(content(), { now: t(5), reactivate: true })
    expect(same.updatedAt).toEqual(t(1))
    expect(same.syncedAt).toEqual(t(5))
    await repo.rename(WS, a.id, 'Where to park', t(6))
    const after = await repo.upsert(content({ title: 'Parking rules v2' }), { now: t(7), reactivate: true })
    expect(after.title).toBe('Where to park')
    expect(after.titleEdited).toBe(true)
  })

  it('keeps the FTS index in step on insert, update, archive and delete', async () => {
    const { repo, fts, integrity } = setup()
    const a = await repo.upsert(content(), { now: t(1), reactivate: true })
    expect(fts('parking')).toEqual([a.id])
    await repo.upsert(content({ title: 'Bicycle storage', searchText: 'Ada: bikes go downstairs' }), { now: t(2), reactivate: true })
    expect(fts('parking')).toEqual([])
    expect(fts('bikes')).toEqual([a.id])
    await repo.markViewed([a.id], t(3)) // bookkeeping does not touch the index
    integrity()
    expect(await repo.archiveThread(WS, a.threadId, t(4))).toBe(true)
    expect(await repo.search({ workspace: WS, match: '"bikes"', filters: {}, limit: 10, offset: 0 })).toEqual([])
    expect(await repo.removeWorkspace(WS)).toBe(1)
    expect(fts('bikes')).toEqual([])
    integrity()
  })

  it('claims the confirmation and the stale question exactly once', async () => {
    const { repo } = setup()
    const a = await repo.upsert(content(), { now: t(1), reactivate: true })
    const claims = await Promise.all([repo.claimConfirmation(a.id, t(2)), repo.claimConfirmation(a.id, t(2))])
    expect(claims.filter(Boolean)).toHaveLength(1)
    await repo.releaseConfirmation(a.id)
    expect(await repo.claimConfirmation(a.id, t(3))).toBe(true)

    expect((await repo.findStale(t(10), 10)).map((i) => i.id)).toEqual([a.id])
    expect(await repo.claimStaleAsk(a.id, t(10), t(11))).toBe(true)
    expect(await repo.claimStaleAsk(a.id, t(10), t(11))).toBe(false)
    expect(await repo.findStale(t(10), 10)).toEqual([])
  })

  it('stores per-channel suggestion settings', async () => {
    const { repo } = setup()
    expect(await repo.suggestEnabled(WS, 'C1')).toBe(false)
    await repo.setSuggest(WS, 'C1', true, 'UADA', t(1))
    expect(await repo.suggestEnabled(WS, 'C1')).toBe(true)
    expect(await repo.suggestEnabled('slack:T2', 'C1')).toBe(false)
    await repo.setSuggest(WS, 'C1', false, 'UADA', t(2))
    expect(await repo.suggestEnabled(WS, 'C1')).toBe(false)
  })

  it('lists recent items and "saved by me", newest first, in one workspace', async () => {
    const { repo } = setup()
    await repo.upsert(content(), { now: t(1), saver: { personId: 'UADA', via: 'reaction' }, reactivate: true })
    await repo.upsert(content({ threadId: 'slack:T1:C1:2.2', title: 'Second' }), { now: t(2), saver: { personId: 'UBOB', via: 'reaction' }, reactivate: true })
    expect((await repo.recent(WS, { limit: 5 })).map((i) => i.title)).toEqual(['Second', 'Parking rules'])
    expect((await repo.recent(WS, { limit: 5, savedBy: 'UADA' })).map((i) => i.title)).toEqual(['Parking rules'])
    expect(await repo.recent('slack:T9', { limit: 5 })).toEqual([])
  })
})
