/**
 * The inbox (src/app/inbox.ts) on PostgreSQL: the same rows and guards as the SQLite `SqliteInbox`,
 * so a delivery accepted by one web process is replayed at most once by whichever process finds it
 * abandoned (every take-over is a guarded update: of two processes only one changes the row).
 * The insert (on the ack path) and the finish, which every delivery makes, are batched per turn
 * (../turn-batch.ts): one precomputed statement for all deliveries arriving together; the finish
 * shares its statement and commit with the activity records (../after-ack.ts).
 */
import { and, eq, inArray, isNull, lt, ne, or, sql } from 'drizzle-orm'
import { type InboxRow, type InboxStore, type NewInboxRow, parseBody } from '../../repositories/inbox.ts'
import type pg from 'pg'
import type { PgDb } from '../db.ts'
import { inbox } from '../schema/inbox.ts'
import { type AfterAck, afterAckBatch } from '../after-ack.ts'
import { type TurnBatch, turnBatch } from '../turn-batch.ts'

export class PgInbox implements InboxStore {
  private readonly inserts: TurnBatch<NewInboxRow, number | undefined>
  private readonly afterAck: TurnBatch<AfterAck, boolean>

  constructor(private readonly db: PgDb) {
    const pool = db.$client
    this.inserts = turnBatch(pool, 'inbox.insert', (rows: NewInboxRow[]) => insertRows(pool, rows))
    // The finish is after the ack and the work: it may wait for its neighbours, and goes out with the activity records (../after-ack.ts).
    this.afterAck = afterAckBatch(pool)
  }

  /** Insert-or-ignore on (source, key): the id of the new row, or undefined for a delivery seen before. Resolves once committed. */
  insert(row: NewInboxRow): Promise<number | undefined> {
    return this.inserts.add(row)
  }

  /** Done: the body is dropped, the key stays as the dedupe memory; only if still pending and ours. Resolves once committed. */
  async finish(id: number, now: number, owner: string): Promise<void> {
    await this.afterAck.add({ kind: 'finish', id, now, owner })
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

// Named: each pool connection parses and plans these once.
/** Beyond this many rows a turn's insert goes as arrays (INSERT_ROWS); up to it, one parameter per value. */
const VALUES_MAX_ROWS = 32
const insertValues: { name: string; text: string }[] = []

/**
 * The insert for `n` rows, each value its own parameter: a body (JSON, full of quotes) goes out as
 * it is, where an array parameter makes pg escape every quote and join the bodies into one literal
 * (~8 KB of garbage and two regex passes per delivery, on the ack path).
 */
function insertValuesFor(n: number): { name: string; text: string } {
  let q = insertValues[n]
  if (!q) {
    const rows = Array.from({ length: n }, (_, i) => {
      const p = i * 6
      return `($${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5}::bigint, $${p + 6}::bigint)`
    })
    q = insertValues[n] = {
      name: `beacon_inbox_insert_values_${n}`,
      text: `INSERT INTO inbox (source, key, body, owner, lease_until, received_at) VALUES ${rows.join(', ')}
             ON CONFLICT DO NOTHING RETURNING id, source, key`,
    }
  }
  return q
}

const INSERT_ROWS = {
  name: 'beacon_inbox_insert_rows',
  text: `INSERT INTO inbox (source, key, body, owner, lease_until, received_at)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[])
         ON CONFLICT DO NOTHING RETURNING id, source, key`,
}

/**
 * One insert for the rows of a turn. A key sent twice in one batch (a platform retry racing its
 * original) goes in once: the first caller gets the id, the later ones see a delivery seen before.
 */
async function insertRows(pool: pg.Pool, rows: NewInboxRow[]): Promise<(number | undefined)[]> {
  const first = new Map<string, NewInboxRow>()
  for (const r of rows) if (!first.has(rowKey(r.source, r.key))) first.set(rowKey(r.source, r.key), r)
  const fresh = [...first.values()]
  const res = await pool.query<{ id: number; source: string; key: string }>(
    fresh.length <= VALUES_MAX_ROWS
      ? { ...insertValuesFor(fresh.length), values: fresh.flatMap((r) => [r.source, r.key, r.body, r.owner, r.leaseUntil, r.receivedAt]) }
      : {
          ...INSERT_ROWS,
          values: [
            fresh.map((r) => r.source),
            fresh.map((r) => r.key),
            fresh.map((r) => r.body),
            fresh.map((r) => r.owner),
            fresh.map((r) => r.leaseUntil),
            fresh.map((r) => r.receivedAt),
          ],
        },
  )
  const ids = new Map(res.rows.map((r) => [rowKey(r.source, r.key), r.id]))
  return rows.map((r) => (first.get(rowKey(r.source, r.key)) === r ? ids.get(rowKey(r.source, r.key)) : undefined))
}

const rowKey = (source: string, key: string) => `${source}\u0000${key}`
