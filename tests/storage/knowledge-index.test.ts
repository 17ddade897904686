/**
 * Each workspace's knowledge has its own FTS5 index (migration 0024): a search reads only its
 * workspace's index, ids with any punctuation get a table of their own, and a database migrated
 * from the shared index finds every item it had, in its own workspace.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { drizzle } from 'drizzle-orm/better-sqlite3'
import { migrate } from 'drizzle-orm/better-sqlite3/migrator'
import { describe, expect, it } from 'vitest'
import type { ItemContent } from '../../src/core/knowledge/types.ts'
import { closeDb, migrateDb, openMemoryDb, type Db } from '../../src/storage/db.ts'
import { indexTable } from '../../src/storage/repositories/knowledge-index.ts'
import { SqliteKnowledgeRepository } from '../../src/storage/repositories/knowledge.ts'

const MIGRATIONS = join(import.meta.dirname, '../../src/storage/migrations')
const TEAMS = 'teams:72f988bf-86f1-41af-91ab-2d7cd011db47'
const QUOTED = 'slack:T\'1"; DROP TABLE knowledge_items; --'

function content(workspace: string, n: number, title: string): ItemContent {
  return {
    workspace,
    threadId: `${workspace}:C1:${n}.1`,
    conversation: { id: 'C1', name: 'general', privacy: 'public' },
    rootMessageId: `${n}.1`,
    title,
    body: title,
    searchText: title,
    tags: [],
    contributors: [],
    messageCount: 1,
  }
}

/** What a workspace's own index holds for a MATCH (the table is read directly, not through the repository). */
const indexed = (db: Db, workspace: string, match: string) => {
  const t = indexTable(workspace)
  return (db.$client.prepare(`SELECT rowid FROM "${t}" WHERE "${t}" MATCH ? ORDER BY rowid`).all(match) as { rowid: number }[]).map((r) => r.rowid)
}
const titles = async (repo: SqliteKnowledgeRepository, workspace: string, match: string) =>
  (await repo.search({ workspace, match, filters: {}, limit: 10, offset: 0 })).map((h) => h.item.title)

describe('the per-workspace knowledge index', () => {
  it("holds only its workspace's rows, for ids with any punctuation", async () => {
    const db = openMemoryDb()
    const repo = new SqliteKnowledgeRepository(db)
    const opts = { now: new Date(0), reactivate: true }
    const a = await repo.upsert(content('slack:T1', 1, 'Deploy the staging cluster'), opts)
    const b = await repo.upsert(content(TEAMS, 1, 'Deploy to production'), opts)
    const c = await repo.upsert(content('slack:T1', 2, 'Holiday calendar'), opts)
    const d = await repo.upsert(content(QUOTED, 1, 'Deploy notes'), opts)
    expect(indexed(db, 'slack:T1', '"deploy"')).toEqual([a.id])
    expect(indexed(db, 'slack:T1', '"holiday" OR "staging"')).toEqual([a.id, c.id])
    expect(indexed(db, TEAMS, '"deploy"')).toEqual([b.id])
    expect(indexed(db, QUOTED, '"deploy"')).toEqual([d.id])
    expect(await titles(repo, 'slack:T1', '"deploy"')).toEqual(['Deploy the staging cluster'])
    expect(await titles(repo, QUOTED, '"deploy"')).toEqual(['Deploy notes'])
    // A workspace that never saved anything has no index, and finds nothing.
    expect(await titles(repo, 'slack:T2', '"deploy"')).toEqual([])
    expect((await repo.termStats('slack:T2', [{ key: 'deploy', match: '"deploy"' }], [])).docFreq.get('deploy')).toBe(0)
    // bm25 counts documents in the asker's workspace only.
    expect((await repo.termStats('slack:T1', [{ key: 'deploy', match: '"deploy"' }], [a.id])).docFreq.get('deploy')).toBe(1)
    closeDb(db)
  })

  it('moves the rows of the shared index into one index per workspace when migrating to 0024', async () => {
    // A database at migration 0023 (one shared index kept by triggers), upgraded as `beacon migrate` would.
    const old = mkdtempSync(join(tmpdir(), 'beacon-mig-'))
    cpSync(MIGRATIONS, old, { recursive: true })
    const journalPath = join(old, 'meta/_journal.json')
    const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { idx: number }[] }
    writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.filter((e) => e.idx < 24) }))
    const client = new Database(':memory:')
    const db = drizzle({ client }) as unknown as Db
    migrate(db, { migrationsFolder: old })
    const insert = client.prepare(`INSERT INTO knowledge_items (workspace_id, thread_id, conversation_id, conversation_name, conversation_key,
      privacy, root_message_id, title, body, search_text, message_count, created_at, updated_at, synced_at)
      VALUES (?, ?, 'C1', 'general', 'general', 'public', '1.1', ?, ?, ?, 1, 0, 0, 0)`)
    const save = (ws: string, thread: string, title: string) => Number(insert.run(ws, thread, title, title, title).lastInsertRowid)
    const a = save('slack:T1', 't1', 'Rotate the vault password')
    const b = save('slack:T2', 't2', 'Vault outage notes')
    const c = save('slack:T1', 't3', 'Vault access requests')
    migrateDb(db)
    expect(client.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'knowledge_fts'").get()).toBeUndefined()
    expect(indexed(db, 'slack:T1', '"vault"')).toEqual([a, c])
    expect(indexed(db, 'slack:T2', '"vault"')).toEqual([b])
    const repo = new SqliteKnowledgeRepository(db)
    expect(await titles(repo, 'slack:T2', '"vault"')).toEqual(['Vault outage notes'])
    // Migrating again (every start) builds nothing twice.
    migrateDb(db)
    expect(indexed(db, 'slack:T1', '"vault"')).toEqual([a, c])
    for (const ws of ['slack:T1', 'slack:T2']) {
      const t = indexTable(ws)
      client.prepare(`INSERT INTO "${t}"("${t}", rank) VALUES ('integrity-check', 1)`).run()
    }
    client.close()
  })
})
