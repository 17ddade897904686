/**
 * The SQL of the inbox (see schema/inbox.ts) on SQLite. The insert (on the ack path) and the finish
 * are prepared once and committed through the connection's group commit (../group-commit.ts), so
 * deliveries arriving together share one commit; the rest is plain synchronous SQL. The PostgreSQL
 * twin is src/storage/pg/repositories/inbox.ts; both implement `InboxStore`.
 */
import type { Statement } from 'better-sqlite3'
import { and, eq, inArray, lt, ne, or, isNull, sql } from 'drizzle-orm'
import type { Awaitable } from '../../core/adapter-host.ts'
import type { Db } from '../db.ts'
import { inbox } from '../schema/index.ts'
import { groupCommit } from '../group-commit.ts'

export type InboxRow = typeof inbox.$inferSelect
export type NewInboxRow = { source: string; key: string; body: string; owner: string; leaseUntil: number; receivedAt: number }

/** What src/app/inbox.ts needs of a backend (see the SQLite methods below for what each does). */
export interface InboxStore {
  insert(row: NewInboxRow): Awaitable<number | undefined>
  finish(id: number, now: number, owner: string): Awaitable<void>
  release(id: number, error: string, owner: string): Awaitable<void>
  effects(id: number): Awaitable<number>
  recordEffect(id: number, count: number): Awaitable<void>
  pendingNotOwnedBy(source: string, owner: string): Awaitable<InboxRow[]>
  takeOver(row: InboxRow, owner: string, leaseUntil: number): Awaitable<boolean>
  park(row: InboxRow, now: number, note: string): Awaitable<void>
  renew(ids: number[], owner: string, leaseUntil: number): Awaitable<void>
  purgeFinished(state: 'done' | 'parked', before: number): Awaitable<number>
  removeBodies(source: string, needle: string, belongs: (body: unknown) => boolean, keep?: number): Awaitable<number>
}

/** How long the ack path waits for SQLite's write lock: then it refuses rather than ack late. */
export const ACCEPT_BUSY_TIMEOUT_MS = 1000

export class SqliteInbox implements InboxStore {
  // The two statements every delivery runs, prepared once (the ack path pays only for executing them).
  private readonly insertStmt: Statement
  private readonly finishStmt: Statement

  constructor(private readonly db: Db) {
    this.insertStmt = db.$client.prepare(
      `INSERT INTO inbox (source, key, body, owner, lease_until, received_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id`,
    )
    this.finishStmt = db.$client.prepare(
      "UPDATE inbox SET state = 'done', body = '', finished_at = ?, owner = NULL, lease_until = NULL " +
        "WHERE id = ? AND state = 'pending' AND owner = ?",
    )
  }

  /**
   * Insert-or-ignore on (source, key): the id of the new row, or undefined for a delivery seen before.
   * Resolves once committed (the ack waits for it), in the connection's group commit: deliveries
   * arriving together share one commit, which waits for the write lock only ACCEPT_BUSY_TIMEOUT_MS.
   */
  insert(row: NewInboxRow): Promise<number | undefined> {
    return groupCommit(this.db.$client).later(
      () => (this.insertStmt.get(row.source, row.key, row.body, row.owner, row.leaseUntil, row.receivedAt) as { id: number } | undefined)?.id,
      { lockWaitMs: ACCEPT_BUSY_TIMEOUT_MS },
    )
  }

  /** Done: the body is dropped (it may hold message text), the key stays as the dedupe memory. Resolves once committed. */
  finish(id: number, now: number, owner: string): Promise<void> {
    return groupCommit(this.db.$client).later(() => {
      this.finishStmt.run(now, id, owner)
    })
  }

  /** The work threw: the row stays pending, unowned, for the next sweep (bounded by attempts). */
  release(id: number, error: string, owner: string): void {
    this.db
      .update(inbox)
      .set({ owner: null, leaseUntil: null, lastError: error.slice(0, 1000) })
      .where(and(eq(inbox.id, id), eq(inbox.state, 'pending'), eq(inbox.owner, owner)))
      .run()
  }

  effects(id: number): number {
    return this.db.select({ n: inbox.effects }).from(inbox).where(eq(inbox.id, id)).get()?.n ?? 0
  }

  recordEffect(id: number, count: number): void {
    this.db
      .update(inbox)
      .set({ effects: sql`max(${inbox.effects}, ${count})` })
      .where(eq(inbox.id, id))
      .run()
  }

  /** Pending rows of a source that are not this process's own live work. */
  pendingNotOwnedBy(source: string, owner: string): InboxRow[] {
    return this.db
      .select()
      .from(inbox)
      .where(and(eq(inbox.source, source), eq(inbox.state, 'pending'), or(isNull(inbox.owner), ne(inbox.owner, owner))))
      .orderBy(inbox.id)
      .all()
  }

  /** Take over a row from `previousOwner` (guarded, so of two processes only one wins); counts a try. */
  takeOver(row: InboxRow, owner: string, leaseUntil: number): boolean {
    const guard = row.owner === null ? isNull(inbox.owner) : eq(inbox.owner, row.owner)
    return (
      this.db
        .update(inbox)
        .set({ owner, leaseUntil, attempts: sql`${inbox.attempts} + 1` })
        .where(and(eq(inbox.id, row.id), eq(inbox.state, 'pending'), eq(inbox.attempts, row.attempts), guard))
        .run().changes === 1
    )
  }

  park(row: InboxRow, now: number, note: string): void {
    this.db
      .update(inbox)
      .set({ state: 'parked', owner: null, leaseUntil: null, finishedAt: now, lastError: row.lastError ?? note })
      .where(and(eq(inbox.id, row.id), eq(inbox.state, 'pending'), eq(inbox.attempts, row.attempts)))
      .run()
  }

  renew(ids: number[], owner: string, leaseUntil: number): void {
    if (ids.length === 0) return
    this.db
      .update(inbox)
      .set({ leaseUntil })
      .where(and(inArray(inbox.id, ids), eq(inbox.owner, owner)))
      .run()
  }

  /** Done rows are the dedupe memory for platform retries (minutes); parked ones are for operators. */
  purgeFinished(state: 'done' | 'parked', before: number): number {
    return this.db
      .delete(inbox)
      .where(and(eq(inbox.state, state), lt(inbox.finishedAt, before)))
      .run().changes
  }

  /**
   * Deletes the rows that still hold a body (pending or parked; a done row keeps only its key) whose
   * body `belongs`, except `keep` (the delivery doing the removal). `needle` narrows the scan in SQL.
   */
  removeBodies(source: string, needle: string, belongs: (body: unknown) => boolean, keep?: number): number {
    const rows = this.db
      .select({ id: inbox.id, body: inbox.body })
      .from(inbox)
      .where(and(eq(inbox.source, source), ne(inbox.state, 'done'), sql`instr(${inbox.body}, ${needle}) > 0`))
      .all()
    const ids = rows.filter((r) => r.id !== keep && belongs(parseBody(r.body))).map((r) => r.id)
    return ids.length === 0 ? 0 : this.db.delete(inbox).where(inArray(inbox.id, ids)).run().changes
  }
}

export function parseBody(body: string): unknown {
  try {
    return JSON.parse(body) as unknown
  } catch {
    return undefined
  }
}
