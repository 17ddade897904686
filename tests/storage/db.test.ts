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

describe('repositories', () => {
  it('keep people scoped by workspace and find them by name regardless of case', async () => {
    const r = sqliteRepositories(openMemoryDb())
    await r.people.upsert({ workspace: 'slack:T1', id: 'U1', displayName: 'Zoë Ångström', timezone: 'Europe/Oslo', isBot: false })
    await r.people.upsert({ workspace: 'slack:T2', id: 'U1', displayName: 'Someone Else', timezone: 'UTC', isBot: false })
    expect((await r.people.get('slack:T1', 'U1'))?.displayName).toBe('Zoë Ångström')
    expect((await r.people.get('slack:T2', 'U1'))?.displayName).toBe('Someone Else')
    expect((await r.people.findByName('slack:T1', 'zoë ångström'))?.id).toBe('U1')
    expect(await r.people.findByName('slack:T2', 'Zoë Ångström')).toBeUndefined()
    await r.people.upsert({ workspace: 'slack:T1', id: 'U1', displayName: 'Zoë A.', timezone: 'Europe/Oslo', isBot: false })
    expect((await r.people.get('slack:T1', 'U1'))?.displayName).toBe('Zoë A.')
  })

  it('forget everything of a removed workspace and nothing of another', async () => {
    const r = sqliteRepositories(openMemoryDb())
    for (const ws of ['slack:T1', 'slack:T2']) {
      await r.workspaces.upsert({ id: ws, platform: 'slack', name: ws })
      await r.conversations.upsert({ workspace: ws, id: 'C1', name: 'general', privacy: 'public' })
      await r.processedEvents.claim(ws, 'Ev1', new Date())
    }
    await r.workspaces.remove('slack:T1')
    expect(await r.conversations.get('slack:T1', 'C1')).toBeUndefined()
    expect(await r.conversations.get('slack:T2', 'C1')).toEqual({ workspace: 'slack:T2', id: 'C1', name: 'general', privacy: 'public' })
    expect(await r.processedEvents.claim('slack:T1', 'Ev1', new Date())).toBe(true)
    expect(await r.processedEvents.claim('slack:T2', 'Ev1', new Date())).toBe(false)
  })

  it('purge old event claims only', async () => {
    const r = sqliteRepositories(openMemoryDb())
    await r.processedEvents.claim('slack:T1', 'old', new Date('2026-01-01'))
    await r.processedEvents.claim('slack:T1', 'new', new Date('2026-06-01'))
    expect(await r.processedEvents.purgeBefore(new Date('2026-03-01'))).toBe(1)
    expect(await r.processedEvents.claim('slack:T1', 'new', new Date())).toBe(false)
  })
})
