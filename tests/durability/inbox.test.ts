/**
 * The inbox on its own (real SQLite file): a key is accepted once; rows a dead process left are
 * replayed once each, and a row that already used its tries is parked with an error log instead
 * of being retried forever; this process's own live rows are never taken from it.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { Inbox, INBOX_MAX_ATTEMPTS, type InboxRun } from '../../src/app/inbox.ts'
import { silentLogger, type Logger } from '../../src/core/logger.ts'
import { closeDb, openDb, type Db } from '../../src/storage/db.ts'
import { SqliteInbox } from '../../src/storage/repositories/inbox.ts'

function recordingLog(): Logger & { errors: string[] } {
  const errors: string[] = []
  const log = { ...silentLogger, errors, error: (_o: object, msg?: string) => void errors.push(msg ?? ''), child: () => log }
  return log
}

const DEAD = `${hostname()}|2147483646|gone`

describe('inbox', () => {
  let dir: string
  let db: Db
  afterEach(() => {
    closeDb(db)
    rmSync(dir, { recursive: true, force: true })
  })
  const open = () => {
    dir = mkdtempSync(join(tmpdir(), 'beacon-inbox-'))
    db = openDb(join(dir, 'beacon.db'))
  }
  const leftBehind = (key: string, attempts: number, owner = DEAD) =>
    db.$client
      .prepare(`INSERT INTO inbox (source, key, body, attempts, owner, lease_until, received_at) VALUES ('slack', ?, ?, ?, ?, ?, ?)`)
      .run(key, JSON.stringify({ key }), attempts, owner, Date.now() + 60_000, Date.now())
  const state = (key: string) =>
    db.$client.prepare('SELECT state, attempts, body FROM inbox WHERE key = ?').get(key) as { state: string; attempts: number; body: string }

  it('accepts a key once; done rows forget their body', async () => {
    open()
    const inbox = new Inbox(new SqliteInbox(db), silentLogger, 'slack', async () => undefined)
    const run = await inbox.accept('event:Ev1', { text: 'hello' })
    expect(await inbox.accept('event:Ev1', { text: 'hello' })).toBe('duplicate')
    expect(run).not.toBe('duplicate')
    await inbox.run(run as InboxRun, async () => undefined)
    expect(state('event:Ev1')).toEqual({ state: 'done', attempts: 1, body: '' })
    expect(await inbox.accept('event:Ev1', { text: 'hello' })).toBe('duplicate')
  })

  it('a delivery whose store finished after shutdown began is left for the next process, not run against closing storage', async () => {
    open()
    const first = new Inbox(new SqliteInbox(db), silentLogger, 'slack', async () => undefined)
    const run = await first.accept('event:late', { text: 'saved during shutdown' })
    await first.stop()
    let ran = false
    await first.run(run as InboxRun, async () => void (ran = true))
    expect(ran).toBe(false)
    expect(state('event:late')).toMatchObject({ state: 'pending', attempts: 1 })
    // Once its process is gone, the next one replays it, once.
    db.$client.prepare(`UPDATE inbox SET owner = ? WHERE key = 'event:late'`).run(DEAD)
    const replayed: unknown[] = []
    await new Inbox(new SqliteInbox(db), silentLogger, 'slack', async (body) => void replayed.push(body)).sweep()
    expect(replayed).toEqual([{ text: 'saved during shutdown' }])
    expect(state('event:late')).toMatchObject({ state: 'done', attempts: 2 })
  })

  it('replays what a dead process left, once each; parks a row out of tries; leaves live rows alone', async () => {
    open()
    const replayed: unknown[] = []
    const log = recordingLog()
    const inbox = new Inbox(new SqliteInbox(db), log, 'slack', async (body) => void replayed.push(body))
    leftBehind('event:crashed-once', 1)
    leftBehind('event:poison', INBOX_MAX_ATTEMPTS)
    const live = await new Inbox(new SqliteInbox(db), silentLogger, 'slack', async () => undefined).accept('event:in-flight', {})
    expect(live).not.toBe('duplicate')

    await inbox.sweep()
    await inbox.sweep() // a second look changes nothing
    expect(replayed).toEqual([{ key: 'event:crashed-once' }])
    expect(state('event:crashed-once')).toMatchObject({ state: 'done', attempts: 2 })
    expect(state('event:poison')).toMatchObject({ state: 'parked', attempts: INBOX_MAX_ATTEMPTS })
    expect(log.errors).toEqual([expect.stringMatching(/parked/)])
    expect(state('event:in-flight')).toMatchObject({ state: 'pending', attempts: 1 })
  })

  it('a replay that completed a reply before dying does not send it again', async () => {
    open()
    const sent: string[] = []
    const inbox = new Inbox(new SqliteInbox(db), silentLogger, 'slack', async (_body, run) => {
      for (const m of ['first', 'second']) await run.ledger.once(async () => void sent.push(m))
    })
    leftBehind('command:trig.1', 1)
    db.$client.prepare(`UPDATE inbox SET effects = 1 WHERE key = 'command:trig.1'`).run() // "first" went out before the crash
    await inbox.sweep()
    expect(sent).toEqual(['second'])
  })
})
