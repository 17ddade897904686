/**
 * Batching of the PostgreSQL writes every delivery makes (the inbox insert before its ack, the
 * activity record, the inbox finish), the PostgreSQL twin of ../group-commit.ts. Each of them alone
 * is a round trip, and each commit a WAL flush: five commits per delivery on PostgreSQL. Calls queued
 * during one turn of the event loop go out on the next turn as one statement built for many rows
 * (see the repositories), so they share a round trip and a commit.
 *
 * Durability is unchanged for callers: a promise settles only once its statement has committed (or
 * failed), so "persisted before ack" holds. A batch a bad row made fail is tried again one item at
 * a time, so that row rejects only its own caller, not its neighbours; any other failure (database
 * down, deadlock) rejects the whole batch at once, and the platform retries.
 */
import type pg from 'pg'

/** For writes nothing answers after (see BatchPolicy): a few ms more for a delivery's bookkeeping, none for an ack. */
export const AFTER_ACK: BatchPolicy = { gatherMs: 20, maxItems: 500 }

/** Runs one statement for `items`; returns one result per item, in their order. */
export type BatchRun<I, O> = (items: I[]) => Promise<O[]>

interface Queued<I, O> {
  item: I
  resolve: (value: O) => void
  reject: (err: unknown) => void
}

/**
 * When a batch goes out. By default on the next turn (the inbox insert: an ack waits for it). A write
 * no answer waits for (the finish of a delivery's work, its activity record) may gather items for
 * `gatherMs` first: under load a statement then carries many more rows, and the statements and
 * commits (each a round trip and CPU on both sides) per delivery drop; it goes at once when
 * `maxItems` are queued. A caller still resolves only once its item committed.
 */
export interface BatchPolicy {
  gatherMs?: number
  maxItems?: number
}

export class TurnBatch<I, O> {
  private queue: Queued<I, O>[] = []
  private scheduled = false
  private gathering: NodeJS.Timeout | undefined
  private running = false

  constructor(
    private readonly run: BatchRun<I, O>,
    private readonly policy: BatchPolicy = {},
  ) {}

  /** Queues `item` for the next batch; resolves with its result once the batch committed. */
  add(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject })
      if (this.gathering && this.queue.length >= (this.policy.maxItems ?? Number.POSITIVE_INFINITY)) {
        clearTimeout(this.gathering)
        this.gathering = undefined
        setImmediate(() => void this.flush())
      }
      this.schedule()
    })
  }

  /**
   * One batch in flight at a time: what arrives meanwhile waits for it and goes out together, as in
   * a group commit, so a busy database gets fewer, larger statements instead of a queue of small ones.
   */
  private schedule(): void {
    if (this.scheduled || this.running || this.queue.length === 0) return
    this.scheduled = true
    const gather = this.policy.gatherMs ?? 0
    if (gather > 0 && this.queue.length < (this.policy.maxItems ?? Number.POSITIVE_INFINITY)) {
      this.gathering = setTimeout(() => {
        this.gathering = undefined
        void this.flush()
      }, gather)
    } else setImmediate(() => void this.flush())
  }

  private async flush(): Promise<void> {
    this.scheduled = false
    this.running = true
    const batch = this.queue
    this.queue = []
    try {
      settle(batch, await this.run(batch.map((q) => q.item)))
    } catch (err) {
      if (batch.length === 1 || !rowFault(err)) for (const q of batch) q.reject(err)
      // A row made the statement fail: find it by running each item on its own, in order (of two
      // items with one key the first still wins).
      else for (const q of batch) await this.run([q.item]).then((out) => settle([q], out), q.reject)
    } finally {
      this.running = false
      this.schedule()
    }
  }
}

/**
 * An error one row can cause (PostgreSQL's data exceptions and constraint violations, a value that
 * cannot be sent), as opposed to the database being unreachable or busy: then every item is refused
 * at once, not tried again one by one while the acks wait.
 */
function rowFault(err: unknown): boolean {
  if (err instanceof RangeError || err instanceof TypeError) return true
  const code = (err as { code?: unknown } | null)?.code
  return typeof code === 'string' && /^2[23][0-9A-Z]{3}$/.test(code)
}

function settle<I, O>(batch: Queued<I, O>[], results: O[]): void {
  batch.forEach((q, i) => {
    q.resolve(results[i]!)
  })
}

const perPool = new WeakMap<pg.Pool, Map<string, TurnBatch<unknown, unknown>>>()

/**
 * The one batch named `name` of a connection pool: every repository on the pool shares it, so the
 * writes of two adapters (Slack and Teams inboxes) still go out together. The first caller's policy holds.
 */
export function turnBatch<I, O>(pool: pg.Pool, name: string, run: BatchRun<I, O>, policy?: BatchPolicy): TurnBatch<I, O> {
  let byName = perPool.get(pool)
  if (!byName) perPool.set(pool, (byName = new Map()))
  let b = byName.get(name)
  if (!b) byName.set(name, (b = new TurnBatch(run as BatchRun<unknown, unknown>, policy)))
  return b as TurnBatch<I, O>
}
