/**
 * Killing the real Beacon process at a known point: a fake platform holds one call open, the test
 * waits until Beacon is inside it (after the platform got its 200), then SIGKILLs. A new process on
 * the same DATABASE_PATH must then finish the work, once.
 */
import { join } from 'node:path'
import { closeDb, openDb, type Db } from '../../src/storage/db.ts'
import { killHard, startBeacon, tempDataDir } from '../support/run-beacon.ts'
import { waitFor } from '../support/wait.ts'

export interface Lives {
  /** Starts a Beacon process; resolves with its base URL once it listens. */
  start(): Promise<{ url: string; stdout(): string }>
  /** SIGKILL the running one (no shutdown of any kind) and wait until it is gone. */
  kill(): Promise<void>
  /** SIGTERM the running one (the end of a test). */
  stop(): Promise<void>
  /** A second connection to the same SQLite file, for assertions. */
  db(): Db
  close(): Promise<void>
}

export function lives(env: Record<string, string>): Lives {
  const file = join(tempDataDir(), 'beacon.db')
  let current: ReturnType<typeof startBeacon> | undefined
  let db: Db | undefined
  return {
    async start() {
      current = startBeacon('main', {
        env: { ...env, DATABASE_PATH: file, PORT: '0', LOG_LEVEL: 'info' },
        ready: /Beacon listening on :(\d+)/,
        timeoutMs: 40_000,
      })
      const b = current
      const port = (await b.ready)[1]
      return { url: `http://127.0.0.1:${port}`, stdout: () => b.output().stdout }
    },
    async kill() {
      if (!current) return
      killHard(current.child)
      await current.exited
      current = undefined
    },
    async stop() {
      if (!current) return
      current.child.kill('SIGTERM')
      await current.exited
      current = undefined
    },
    db() {
      db ??= openDb(file, { migrate: false })
      return db
    },
    async close() {
      if (current && current.child.exitCode === null) await this.kill()
      if (db) closeDb(db)
    },
  }
}

export interface InboxState {
  state: string
  attempts: number
}

export function inboxRow(db: Db, source: string, key: string): InboxState | undefined {
  return db.$client.prepare('SELECT state, attempts FROM inbox WHERE source = ? AND key = ?').get(source, key) as InboxState | undefined
}

/** Until the delivery's inbox row is done (its work finished in some process). */
export async function inboxDone(db: Db, source: string, key: string, timeoutMs = 20_000): Promise<InboxState> {
  return waitFor(
    () => {
      const r = inboxRow(db, source, key)
      return r?.state === 'done' && r
    },
    `inbox ${source} ${key} done`,
    timeoutMs,
  )
}

export function count(db: Db, sql: string, ...params: unknown[]): number {
  return (db.$client.prepare(sql).get(...params) as { n: number }).n
}
