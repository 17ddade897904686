import { describe, expect, it } from 'vitest'
import type { ItemContent } from '../../src/core/knowledge/types.ts'
import { openMemoryDb } from '../../src/storage/db.ts'
import { SqliteKnowledgeRepository } from '../../src/storage/repositories/knowledge.ts'
import { indexTable } from '../../src/storage/repositories/knowledge-index.ts'

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
  const table = indexTable(WS)
  const exists = () => db.$client.prepare('select 1 from sqlite_schema where name = ?').get(table) !== undefined
  const fts = (q: string) =>
    exists() ? (db.$client.prepare(`select rowid from "${table}" where "${table}" match ?`).all(q) as { rowid: number }[]).map((r) => r.rowid) : []
  const integrity = () => db.$client.prepare(`insert into "${table}"("${table}", rank) values('integrity-check', 1)`).run()
  return { db, repo, fts, integrity, exists }
}

const t = (n: number) => new Date(Date.UTC(2024, 0, n))

// Behaviour shared with PostgreSQL lives in contract/knowledge.contract.test.ts; these check SQLite's own index.
describe('SqliteKnowledgeRepository', () => {
  it('upserts one row per (workspace, thread) and enforces it in the schema', async () => {
    const { db, repo } = setup()
    const a = await repo.upsert(content(), { now: t(1), saver: { personId: 'UADA', via: 'reaction' }, reactivate: true })
    const b = await repo.upsert(content({ body: 'changed', searchText: 'changed' }), {
      now: t(2),
      saver: { personId: 'UBOB', via: 'action' },
      reactivate: true,
    })
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

  it("keeps the workspace's FTS index in step on insert, update, rename, archive and removal", async () => {
    const { repo, fts, integrity, exists } = setup()
    const a = await repo.upsert(content(), { now: t(1), reactivate: true })
    expect(fts('parking')).toEqual([a.id])
    await repo.upsert(content({ title: 'Bicycle storage', searchText: 'Ada: bikes go downstairs' }), { now: t(2), reactivate: true })
    expect(fts('parking')).toEqual([])
    expect(fts('bikes')).toEqual([a.id])
    await repo.markViewed([a.id], t(3)) // bookkeeping does not touch the index
    integrity()
    expect(await repo.rename(WS, a.id, 'Where bicycles go', t(3))).toBe(true)
    expect(fts('bicycles')).toEqual([a.id])
    expect(fts('storage')).toEqual([])
    expect(await repo.rename('slack:T2', a.id, 'Hijacked', t(3))).toBe(false)
    expect(fts('hijacked')).toEqual([])
    integrity()
    expect(await repo.archiveThread(WS, a.threadId, t(4))).toBe(true)
    expect(await repo.search({ workspace: WS, match: '"bikes"', filters: {}, limit: 10, offset: 0 })).toEqual([])
    expect(await repo.removeWorkspace(WS)).toBe(1)
    expect(exists()).toBe(false)
    // Saving again after removal starts a fresh index.
    const again = await repo.upsert(content(), { now: t(5), reactivate: true })
    expect(fts('parking')).toEqual([again.id])
    integrity()
  })
})
