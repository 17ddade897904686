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

  it('a write on an ack path shares the commit too, and waits for the write lock only as long as the ack may', async () => {
    const locker = new Database(join(dir, 'g.db'))
    locker.exec('BEGIN IMMEDIATE') // another process holds the write lock
    const g = groupCommit(db.$client)
    const insert = db.$client.prepare('insert into t (v) values (?)')
    const started = performance.now()
    const ack = g.later(() => insert.run('ack'), { lockWaitMs: 50 })
    const work = g.later(() => insert.run('work'))
    await expect(ack).rejects.toThrow(/locked|busy/i)
    expect(performance.now() - started).toBeLessThan(2000) // not the connection's 5 s
    // The write that was not on the ack path is tried again, on its own terms, once the lock is free.
    locker.exec('COMMIT')
    locker.close()
    await work
    expect(rows()).toBe('work')
  })

  it('closing the database commits what is queued', () => {
    const insert = db.$client.prepare('insert into t (v) values (?)')
    void groupCommit(db.$client).later(() => insert.run('late'))
    closeDb(db)
    expect(rows()).toBe('late')
  })
})
