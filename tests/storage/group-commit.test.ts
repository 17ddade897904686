/**
 * Group commit (src/storage/group-commit.ts): writes off the ack path share a transaction, and a
 * caller is told a write happened only once another connection (another process) can read it.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { closeDb, openDb, type Db } from '../../src/storage/db.ts'
import { groupCommit } from '../../src/storage/group-commit.ts'

let dir: string
let db: Db
let other: Database.Database

const rows = () => (other.prepare('select v from t order by v').pluck().all() as string[]).join(',')

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'beacon-group-commit-'))
  db = openDb(join(dir, 'g.db'), { migrate: false })
  db.$client.exec('create table t (v text primary key)')
  other = new Database(join(dir, 'g.db'), { readonly: true })
})

afterEach(() => {
  other.close()
  closeDb(db)
  rmSync(dir, { recursive: true, force: true })
})

describe('group commit', () => {
  it('commits queued writes together, and resolves each only once another connection sees it', async () => {
    const g = groupCommit(db.$client)
    const insert = db.$client.prepare('insert into t (v) values (?)')
    const a = g.later(() => insert.run('a').changes)
    const b = g.later(() => insert.run('b').changes)
    expect(rows()).toBe('') // not yet: they wait for the next turn
    expect(await Promise.all([a, b])).toEqual([1, 1])
    expect(rows()).toBe('a,b')
  })

  it('a write that must commit now takes the queued ones along, before any turn passes', () => {
    const g = groupCommit(db.$client)
    const insert = db.$client.prepare('insert into t (v) values (?)')
    void g.later(() => insert.run('queued'))
    const id = g.now(() => insert.run('now').lastInsertRowid)
    expect(Number(id)).toBeGreaterThan(0)
    expect(rows()).toBe('now,queued')
  })

  it('a queued write that throws is undone alone and rejects only its own promise', async () => {
    const g = groupCommit(db.$client)
    const insert = db.$client.prepare('insert into t (v) values (?)')
    const first = g.later(() => insert.run('x'))
    const broken = g.later(() => {
      insert.run('half-done')
      insert.run('x') // primary key: throws
    })
    const last = g.later(() => insert.run('y'))
    await expect(broken).rejects.toThrow(/UNIQUE/)
    await Promise.all([first, last])
    expect(rows()).toBe('x,y')
  })

  it('when the write that must commit now fails, nothing is committed and the queued writes still are, on the next turn', async () => {
    const g = groupCommit(db.$client)
    const insert = db.$client.prepare('insert into t (v) values (?)')
    const queued = g.later(() => insert.run('queued'))
    expect(() =>
      g.now(() => {
        insert.run('refused')
        throw new Error('disk full')
      }),
    ).toThrow('disk full')
    expect(rows()).toBe('')
    await queued
    expect(rows()).toBe('queued')
  })

  it('closing the database commits what is queued', () => {
    const insert = db.$client.prepare('insert into t (v) values (?)')
    void groupCommit(db.$client).later(() => insert.run('late'))
    closeDb(db)
    expect(rows()).toBe('late')
  })
})
