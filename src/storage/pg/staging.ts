/**
 * The transaction-bound outbox for PostgreSQL. A repository's `InTransaction` callback is synchronous
 * (the core stages follow-up jobs there with `JobQueue.stage`), but a PostgreSQL write is not. So the
 * repository runs the callback inside `collectStaged`: each `stage` made meanwhile is collected as a
 * write, the repository awaits those writes on its own transaction before committing, and calls each
 * `committed` hook only once the commit is done (to wake the relay or the runner). The task and its
 * jobs therefore commit together or not at all, exactly as on SQLite, and the core stays unaware.
 *
 * A module-level scope is enough: the callback is synchronous, so nothing else can run (and stage
 * into the wrong transaction) between opening and closing the scope.
 */
import { BeaconError } from '../../core/errors.ts'
import type { PgExecutor } from './executor.ts'

export interface StagedWrite {
  /** The insert, run on the repository's transaction. */
  write(tx: PgExecutor): Promise<void>
  /** After the transaction committed. */
  committed(): void
}

let scope: StagedWrite[] | undefined

/** True while a repository is collecting the jobs its transaction must carry. */
export function stagingOpen(): boolean {
  return scope !== undefined
}

/** Called by a PostgreSQL-backed queue's `stage`: the write joins the transaction being collected. */
export function stageWrite(w: StagedWrite): void {
  if (!scope) {
    throw new BeaconError(
      'unavailable',
      'JobQueue.stage on PostgreSQL must run inside a repository transaction (InTransaction); use enqueue elsewhere',
    )
  }
  scope.push(w)
}

/**
 * Runs the synchronous `fn` with staging open, then performs what it staged on `tx`. Returns the
 * hooks to call after the commit (see `afterCommit`).
 */
export async function writeStaged(tx: PgExecutor, fn: () => void): Promise<StagedWrite[]> {
  const outer = scope
  const mine: StagedWrite[] = []
  scope = mine
  try {
    fn()
  } finally {
    scope = outer
  }
  for (const w of mine) await w.write(tx)
  return mine
}

export function afterCommit(staged: StagedWrite[]): void {
  for (const w of staged) w.committed()
}
