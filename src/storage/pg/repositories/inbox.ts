/**
 * The inbox (src/app/inbox.ts) on PostgreSQL: the same rows and guards as the SQLite `SqliteInbox`,
 * so a delivery accepted by one web process is replayed at most once by whichever process finds it
 * abandoned (every take-over is a guarded update: of two processes only one changes the row).
 */
import { and, eq, inArray, isNull, lt, ne, or, sql } from 'drizzle-orm'
import { type InboxRow, type InboxStore, type NewInboxRow, parseBody } from '../../repositories/inbox.ts'
import type { PgDb } from '../db.ts'
import { inbox } from '../schema/inbox.ts'

export class PgInbox implements InboxStore {
  constructor(private readonly db: PgDb) {}

  async insert(row: NewInboxRow): Promise<number | undefined> {
    const [res] = await this.db.insert(inbox).values(row).onConflictDoNothing().returning({ id: inbox.id })
    return res?.id
  }

  async finish(id: number, now: number, owner: string): Promise<void> {
    await this.db
      .update(inbox)
      .set({ state: 'done', body: '', finishedAt: now, owner: null, leaseUntil: null })
      .where(and(eq(inbox.id, id), eq(inbox.state, 'pending'), eq(inbox.owner, owner)))
  }

  async release(id: number, error: string, owner: string): Promise<void> {
    await this.db
      .update(inbox)
      .set({ owner: null, leaseUntil: null, lastError: error.slice(0, 1000) })
      .where(and(eq(inbox.id, id), eq(inbox.state, 'pending'), eq(inbox.owner, owner)))
  }

  async effects(id: number): Promise<number> {
    const [row] = await this.db.select({ n: inbox.effects }).from(inbox).where(eq(inbox.id, id))
    return row?.n ?? 0
  }

  async recordEffect(id: number, count: number): Promise<void> {
    await this.db
      .update(inbox)
      .set({ effects: sql`greatest(${inbox.effects}, ${count})` })
      .where(eq(inbox.id, id))
  }

  async pendingNotOwnedBy(source: string, owner: string): Promise<InboxRow[]> {
    return await this.db
      .select()
      .from(inbox)
      .where(and(eq(inbox.source, source), eq(inbox.state, 'pending'), or(isNull(inbox.owner), ne(inbox.owner, owner))))
      .orderBy(inbox.id)
  }

  async takeOver(row: InboxRow, owner: string, leaseUntil: number): Promise<boolean> {
    const guard = row.owner === null ? isNull(inbox.owner) : eq(inbox.owner, row.owner)
    const res = await this.db
      .update(inbox)
      .set({ owner, leaseUntil, attempts: sql`${inbox.attempts} + 1` })
      .where(and(eq(inbox.id, row.id), eq(inbox.state, 'pending'), eq(inbox.attempts, row.attempts), guard))
    return res.rowCount === 1
  }

  async park(row: InboxRow, now: number, note: string): Promise<void> {
    await this.db
      .update(inbox)
      .set({ state: 'parked', owner: null, leaseUntil: null, finishedAt: now, lastError: row.lastError ?? note })
      .where(and(eq(inbox.id, row.id), eq(inbox.state, 'pending'), eq(inbox.attempts, row.attempts)))
  }

  async renew(ids: number[], owner: string, leaseUntil: number): Promise<void> {
    if (ids.length === 0) return
    await this.db
      .update(inbox)
      .set({ leaseUntil })
      .where(and(inArray(inbox.id, ids), eq(inbox.owner, owner)))
  }

  async purgeFinished(state: 'done' | 'parked', before: number): Promise<number> {
    return (await this.db.delete(inbox).where(and(eq(inbox.state, state), lt(inbox.finishedAt, before)))).rowCount ?? 0
  }

  async removeBodies(source: string, needle: string, belongs: (body: unknown) => boolean, keep?: number): Promise<number> {
    const rows = await this.db
      .select({ id: inbox.id, body: inbox.body })
      .from(inbox)
      .where(and(eq(inbox.source, source), ne(inbox.state, 'done'), sql`strpos(${inbox.body}, ${needle}) > 0`))
    const ids = rows.filter((r) => r.id !== keep && belongs(parseBody(r.body))).map((r) => r.id)
    return ids.length === 0 ? 0 : ((await this.db.delete(inbox).where(inArray(inbox.id, ids))).rowCount ?? 0)
  }
}
