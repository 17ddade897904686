/**
 * Group commit for the SQLite writes every delivery makes: the inbox insert before its ack, the
 * activity record, the inbox finish. A commit is a WAL append and a lock round trip; under load each
 * cost a few hundred µs of the ~1 ms Beacon spent per Slack event, four times over. Writes queued
 * here share one transaction, committed on the next turn of the event loop (the check phase right
 * after the I/O that queued them), so 16 deliveries in flight make a few commits, not 64.
 *
 * Durability is unchanged for callers: a promise resolves only once its write is committed, so
 * "persisted before ack" holds (the ack waits for the insert's promise) and work that awaits its
 * writes keeps its order (the inbox marks a delivery done after the work's writes). A process that
 * dies before a flush loses only writes whose promises had not resolved, i.e. writes nobody was
 * told about. Each write runs in its own savepoint, so one that throws is undone alone and rejects
 * only its own promise.
 */
import type Database from 'better-sqlite3'

export interface GroupCommitOptions {
  /**
   * On an ack path: a batch holding such a write waits at most this long for SQLite's write lock
   * (then it is refused, and the platform retries), instead of the connection's busy timeout.
   */
  lockWaitMs?: number
}

interface Queued {
  write: () => unknown
  resolve: (value: unknown) => void
  reject: (err: unknown) => void
  lockWaitMs: number | undefined
  /** Set once a batch failed only because it waited for the lock on an ack's terms. */
  retried: boolean
}

type Outcome = { ok: true; value: unknown } | { ok: false; err: unknown }

export class GroupCommit {
  private queue: Queued[] = []
  private scheduled = false
  // Built once: better-sqlite3 wraps a function anew on each `transaction()` call.
  private readonly inSavepoint: (write: () => unknown) => unknown
  private readonly commitAll: Database.Transaction<(batch: Queued[]) => Outcome[]>
  /** The connection's own busy timeout (set when it was opened), restored after an ack's batch. */
  private readonly normalWait: number
  private readonly setWait = new Map<number, Database.Statement>()

  constructor(private readonly client: Database.Database) {
    this.inSavepoint = client.transaction((write: () => unknown) => write())
    this.commitAll = client.transaction((batch: Queued[]) => batch.map((q) => this.attempt(q)))
    this.normalWait = client.pragma('busy_timeout', { simple: true }) as number
  }

  /** Runs `write` in the next shared transaction; resolves with its result once that committed. */
  later<T>(write: () => T, opts: GroupCommitOptions = {}): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ write, resolve: resolve as (v: unknown) => void, reject, lockWaitMs: opts.lockWaitMs, retried: false })
      this.schedule()
    })
  }

  /** Commits what is queued (the turn after the first `later`, and before the database closes). */
  flush(): void {
    this.scheduled = false
    const batch = this.queue
    if (batch.length === 0) return
    this.queue = []
    const waits = batch.map((q) => q.lockWaitMs).filter((ms): ms is number => ms !== undefined)
    let outcomes: Outcome[]
    try {
      if (waits.length) this.waitForLock(Math.min(...waits))
      // BEGIN IMMEDIATE: a busy lock fails the batch here, before any write, not as one write's error.
      outcomes = this.commitAll.immediate(batch)
    } catch (err) {
      // Nothing was written (the lock stayed busy, the disk is full). Writes that were not on an ack
      // path get one more try on their own terms; the rest are refused.
      for (const q of batch) {
        if (q.lockWaitMs === undefined && waits.length && !q.retried) {
          q.retried = true
          this.queue.push(q)
        } else q.reject(err)
      }
      this.schedule()
      return
    } finally {
      if (waits.length) this.waitForLock(this.normalWait)
    }
    batch.forEach((q, i) => {
      const o = outcomes[i]!
      if (o.ok) q.resolve(o.value)
      else q.reject(o.err)
    })
  }

  private schedule(): void {
    if (this.scheduled || this.queue.length === 0) return
    this.scheduled = true
    setImmediate(() => this.flush())
  }

  private waitForLock(ms: number): void {
    let stmt = this.setWait.get(ms)
    if (!stmt) this.setWait.set(ms, (stmt = this.client.prepare(`PRAGMA busy_timeout = ${ms}`)))
    stmt.get()
  }

  /** One write in its own savepoint, so a throw undoes it alone. */
  private attempt(q: Queued): Outcome {
    try {
      return { ok: true, value: this.inSavepoint(q.write) }
    } catch (err) {
      return { ok: false, err }
    }
  }
}

const perConnection = new WeakMap<Database.Database, GroupCommit>()

/** The one group commit of a connection: every repository on it must share it for writes to batch. */
export function groupCommit(client: Database.Database): GroupCommit {
  let g = perConnection.get(client)
  if (!g) perConnection.set(client, (g = new GroupCommit(client)))
  return g
}

/** Commits what is queued on this connection, if anything (before it closes). */
export function flushGroupCommit(client: Database.Database): void {
  perConnection.get(client)?.flush()
}
