/**
 * Loads millions of activity events straight into SQLite for the adoption bench: raw events by one
 * prepared statement with the event indexes dropped (rebuilt once afterwards, which sorts instead of
 * inserting ten million times into five b-trees), then the three rollups computed from them in SQL,
 * the way migration 0015 backfilled them. Going through `recordMany` does the same work per event and
 * takes hours at 10M; the bench measures reading a week, so how the history got there does not matter.
 */
import { PASSIVE_KINDS, type ActivityEvent } from '../src/core/adoption/types.ts'
import type { Db } from '../src/storage/db.ts'

export function bulkLoad(db: Db, events: Iterable<ActivityEvent>): number {
  const c = db.$client
  const indexes = c.prepare("SELECT sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'adoption_events' AND sql IS NOT NULL").all() as {
    sql: string
  }[]
  for (const { sql } of indexes) c.exec(`DROP INDEX ${/INDEX\s+(\S+)/i.exec(sql)![1]}`)
  const insert = c.prepare(`INSERT INTO adoption_events (workspace_id, conversation_id, person_id, kind, target_person_id, thread_id, at, day)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
  let n = 0
  c.transaction(() => {
    for (const e of events) {
      insert.run(
        e.workspace,
        e.conversationId,
        e.personId,
        e.kind,
        e.targetPersonId ?? null,
        e.threadId ?? null,
        e.at.getTime(),
        e.at.toISOString().slice(0, 10),
      )
      n++
    }
  })()
  const passive = [...PASSIVE_KINDS].map((k) => `'${k}'`).join(', ')
  c.transaction(() => {
    for (const { sql } of indexes) c.exec(sql)
    c.exec(`
      INSERT INTO adoption_daily (workspace_id, day, person_id, conversation_id, kind, count)
        SELECT workspace_id, day, person_id, conversation_id, kind, count(*) FROM adoption_events GROUP BY 1, 2, 3, 4, 5;
      INSERT INTO adoption_weekly (workspace_id, week, conversation_id, person_id, kind, count)
        SELECT workspace_id, date(day, 'weekday 0', '-6 days'), conversation_id, person_id, kind, sum(count) FROM adoption_daily GROUP BY 1, 2, 3, 4, 5;
      INSERT INTO adoption_first_seen (workspace_id, conversation_id, person_id, week)
        SELECT workspace_id, conversation_id, person_id, min(week) FROM adoption_weekly WHERE kind NOT IN (${passive}) GROUP BY 1, 2, 3;`)
  })()
  return n
}
