/**
 * Loads millions of activity events straight into PostgreSQL for the adoption bench, as
 * adoption-bulk-load.ts does on SQLite: raw events by unnest in large statements with the event
 * indexes dropped (rebuilt once afterwards, a sort instead of millions of b-tree inserts), then the
 * three rollups computed from them in SQL. The rows are exactly those recordMany writes for the same
 * events (tests/bench/adoption-pg-bulk-load.test.ts); only how they got there differs.
 */
import { type ActivityEvent, PASSIVE_KINDS } from '../src/core/adoption/types.ts'
import type { PgDb } from '../src/storage/pg/db.ts'

const INSERT_EVENTS = `INSERT INTO adoption_events (workspace_id, conversation_id, person_id, kind, target_person_id, thread_id, at, day)
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::text[])`

export async function bulkLoadPg(db: PgDb, events: Iterable<ActivityEvent>, opts: { batch?: number } = {}): Promise<number> {
  const per = opts.batch ?? 50_000
  const c = db.$client
  const { rows: indexes } = await c.query<{ name: string; def: string }>(
    `SELECT indexname AS name, indexdef AS def FROM pg_indexes
      WHERE tablename = 'adoption_events' AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE contype = 'p')`,
  )
  for (const { name } of indexes) await c.query(`DROP INDEX ${name}`)
  let n = 0
  let batch: ActivityEvent[] = []
  const flush = async () => {
    const col = (f: (e: ActivityEvent) => string | undefined) => batch.map((e) => f(e) ?? null)
    await c.query(INSERT_EVENTS, [
      col((e) => e.workspace),
      col((e) => e.conversationId),
      col((e) => e.personId),
      col((e) => e.kind),
      col((e) => e.targetPersonId),
      col((e) => e.threadId),
      col((e) => e.at.toISOString()),
      col((e) => e.at.toISOString().slice(0, 10)),
    ])
    n += batch.length
    batch = []
  }
  for (const e of events) {
    batch.push(e)
    if (batch.length === per) await flush()
  }
  await flush()
  for (const { def } of indexes) await c.query(def)
  await c.query(`INSERT INTO adoption_daily (workspace_id, day, person_id, conversation_id, kind, count)
    SELECT workspace_id, day, person_id, conversation_id, kind, count(*) FROM adoption_events GROUP BY 1, 2, 3, 4, 5`)
  // An ISO week starts on Monday, as date_trunc('week') does.
  await c.query(`INSERT INTO adoption_weekly (workspace_id, week, conversation_id, person_id, kind, count)
    SELECT workspace_id, to_char(date_trunc('week', day::date), 'YYYY-MM-DD'), conversation_id, person_id, kind, sum(count)
      FROM adoption_daily GROUP BY 1, 2, 3, 4, 5`)
  await c.query(
    `INSERT INTO adoption_first_seen (workspace_id, conversation_id, person_id, week)
      SELECT workspace_id, conversation_id, person_id, min(week) FROM adoption_weekly WHERE kind <> ALL($1::text[]) GROUP BY 1, 2, 3`,
    [[...PASSIVE_KINDS]],
  )
  return n
}
