/**
 * Search is partitioned by workspace inside the FTS index (migration 0019): a workspace's MATCH
 * never reaches another workspace's rows, text that looks like a scope token finds nothing extra,
 * and rows saved before the migration are indexed by it.
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
import { SqliteKnowledgeRepository } from '../../src/storage/repositories/knowledge.ts'
import { scopedMatch } from '../../src/storage/repositories/knowledge-search.ts'

const MIGRATIONS = join(import.meta.dirname, '../../src/storage/migrations')

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

const rowids = (db: Db, match: string) =>
  (db.$client.prepare('SELECT rowid FROM knowledge_fts WHERE knowledge_fts MATCH ? ORDER BY rowid').all(match) as { rowid: number }[]).map(
    (r) => r.rowid,
  )

describe('the workspace-partitioned knowledge index', () => {
  it("matches only the asker's workspace inside FTS5, for ids with any punctuation", async () => {
    const db = openMemoryDb()
    const repo = new SqliteKnowledgeRepository(db)
    const opts = { now: new Date(0), reactivate: true }
    const a = await repo.upsert(content('slack:T1', 1, 'Deploy the staging cluster'), opts)
    const b = await repo.upsert(content('teams:72f988bf-86f1-41af-91ab-2d7cd011db47', 1, 'Deploy to production'), opts)
    const c = await repo.upsert(content('slack:T1', 2, 'Holiday calendar'), opts)
    expect(rowids(db, '"deploy"')).toEqual([a.id, b.id])
    expect(rowids(db, scopedMatch('slack:T1', '"deploy"'))).toEqual([a.id])
    expect(rowids(db, scopedMatch('teams:72f988bf-86f1-41af-91ab-2d7cd011db47', '"deploy"'))).toEqual([b.id])
    expect(rowids(db, scopedMatch('slack:T1', '"holiday" OR "staging"'))).toEqual([a.id, c.id])
    expect(rowids(db, scopedMatch('slack:T2', '"deploy"'))).toEqual([])
    // The person's words never look at the scope column: its token typed as a query finds nothing.
    const token = `w${Buffer.from('slack:T1').toString('hex')}`
    expect(rowids(db, scopedMatch('slack:T1', `"${token}"`))).toEqual([])
    expect(rowids(db, scopedMatch('slack:T1', `"${token.slice(0, 3)}"*`))).toEqual([])
    db.$client.prepare("INSERT INTO knowledge_fts(knowledge_fts, rank) VALUES ('integrity-check', 1)").run()
    closeDb(db)
  })

  it('re-indexes the rows saved before migration 0019, in their workspaces', async () => {
    // A database at migration 0016, with items saved, then upgraded as `beacon migrate` would.
    const old = mkdtempSync(join(tmpdir(), 'beacon-mig-'))
    cpSync(MIGRATIONS, old, { recursive: true })
    const journalPath = join(old, 'meta/_journal.json')
    const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { idx: number }[] }
    writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.filter((e) => e.idx < 19) }))
    const client = new Database(':memory:')
    const db = drizzle({ client }) as unknown as Db
    migrate(db, { migrationsFolder: old })
    const repo = new SqliteKnowledgeRepository(db)
    const opts = { now: new Date(0), reactivate: true }
    const a = await repo.upsert(content('slack:T1', 1, 'Rotate the vault password'), opts)
    const b = await repo.upsert(content('slack:T2', 1, 'Vault outage notes'), opts)
    migrateDb(db)
    expect(rowids(db, scopedMatch('slack:T1', '"vault"'))).toEqual([a.id])
    expect(rowids(db, scopedMatch('slack:T2', '"vault"'))).toEqual([b.id])
    const found = await repo.search({ workspace: 'slack:T2', match: '"vault"', filters: {}, limit: 5, offset: 0 })
    expect(found.map((h) => h.item.title)).toEqual(['Vault outage notes'])
    client.close()
  })
})
