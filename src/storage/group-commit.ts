/**
 * Group commit for the SQLite writes every delivery makes off the ack path (the inbox finish, the
 * activity record). A commit is a WAL append and a lock round trip; under load each cost a few
 * hundred µs of the ~1 ms Beacon spent per Slack event, four times over. Writes queued with `later`
 * share one transaction, committed on the next turn of the event loop or, sooner, together with the
 * next write that must commit at once (`now`: the inbox insert before an ack), so a busy process
 * makes about one commit per delivery.
 *
 * Durability is unchanged for callers: a `later` promise resolves only once its write is committed,
 * so work that awaits it (the inbox marks a delivery done after the work's writes) keeps its order.
 * A process that dies before a flush loses only writes whose promises had not resolved yet, i.e.
 * writes nobody was told about. Each queued write runs in its own savepoint, so one that throws is
 * rolled back alone and rejects only its own promise.
 */
import type Database from 'better-sqlite3'

interface Queued {
  write: () => unknown
  resolve: (value: unknown) => void
  reject: (err: unknown) => void
}

type Outcome = { ok: true; value: unknown } | { ok: false; err: unknown }

export class GroupCommit {
  private queue: Queued[] = []
  private scheduled = false

  constructor(private readonly client: Database.Database) {}

  /** Runs `write` in the next shared transaction; resolves with its result once that committed. */
  later<T>(write: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ write, resolve: resolve as (v: unknown) => void, reject })
      if (this.scheduled) return
      this.scheduled = true
      setImmediate(() => this.flush())
    })
  }

  /**
   * Runs `write` now and commits it before returning, in one transaction with every queued write.
   * If `write` (or the commit) throws, nothing is committed and the queued writes wait for the next flush.
   */
  now<T>(write: () => T): T {
    const batch = this.queue
    this.queue = []
    let outcomes: Outcome[] = []
    let value: T
    try {
      value = this.client.transaction(() => {
        outcomes = batch.map((q) => this.attempt(q))
        return write()
      })()
    } catch (err) {
      this.queue = [...batch, ...this.queue]
      if (this.queue.length && !this.scheduled) {
        this.scheduled = true
        setImmediate(() => this.flush())
      }
      throw err
    }
    settle(batch, outcomes)
    return value
  }

  /** Commits what is queued (the turn after the first `later`, and before the database closes). */
  flush(): void {
    this.scheduled = false
    const batch = this.queue
    if (batch.length === 0) return
    this.queue = []
    let outcomes: Outcome[] = []
    try {
      this.client.transaction(() => {
        outcomes = batch.map((q) => this.attempt(q))
      })()
    } catch (err) {
      // The commit itself failed (e.g. the lock stayed busy past the timeout): nothing was written.
      for (const q of batch) q.reject(err)
      return
    }
    settle(batch, outcomes)
  }

  /** One queued write in its own savepoint, so a throw undoes it alone. */
  private attempt(q: Queued): Outcome {
    try {
      return { ok: true, value: this.client.transaction(q.write)() }
    } catch (err) {
      return { ok: false, err }
    }
  }
}

function settle(batch: Queued[], outcomes: Outcome[]): void {
  batch.forEach((q, i) => {
    const o = outcomes[i]!
    if (o.ok) q.resolve(o.value)
    else q.reject(o.err)
  })
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
