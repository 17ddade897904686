import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { closeDb, openDb, openMemoryDb } from '../../src/storage/db.ts'
import { sqliteRepositories } from '../../src/storage/repositories/index.ts'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

describe('openDb', () => {
  it('creates the file with WAL, foreign keys and a busy timeout, migrated', () => {
    const dir = mkdtempSync(join(tmpdir(), 'beacon-db-'))
    dirs.push(dir)
    const db = openDb(join(dir, 'nested', 'beacon.db'))
    expect(db.$client.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.$client.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(db.$client.pragma('busy_timeout', { simple: true })).toBe(5000)
    const tables = db.$client.prepare("select name from sqlite_master where type='table'").all() as { name: string }[]
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['workspaces', 'people', 'conversations', 'processed_events']))
    closeDb(db)
    // Reopening applies nothing twice and keeps the data.
    const again = openDb(join(dir, 'nested', 'beacon.db'))
    expect(again.$client.prepare('select count(*) n from __drizzle_migrations').get()).toEqual({ n: expect.any(Number) })
    closeDb(again)
  })

  it('gives each in-memory database its own data', async () => {
    const a = sqliteRepositories(openMemoryDb())
    const b = sqliteRepositories(openMemoryDb())
    await a.workspaces.upsert({ id: 'slack:T1', platform: 'slack', name: 'Acme' })
    expect(await a.workspaces.get('slack:T1')).toEqual({ id: 'slack:T1', platform: 'slack', name: 'Acme' })
    expect(await b.workspaces.get('slack:T1')).toBeUndefined()
  })
})

// The repositories' behaviour on both backends: contract/*.contract.test.ts.
