/**
 * Loads millions of activity events straight into SQLite for the adoption bench: raw events by one
 * prepared statement with every index of the event and rollup tables dropped (each rebuilt once at the
 * end, which sorts instead of inserting ten million times at random into a b-tree that outgrew the
 * cache), then the three rollups computed from them in SQL, the way migration 0015 backfilled them.
 * Going through `recordMany` does the same work per event and takes hours at 10M; the bench measures
 * reading a week, so how the history got there does not matter. The load runs with a 1 GiB cache and
 * its sorts in memory, out of WAL; the file goes back to Beacon's settings before it is measured.
 */
import { PASSIVE_KINDS, type ActivityEvent } from '../src/core/adoption/types.ts'
import type { Db } from '../src/storage/db.ts'

const TABLES = ['adoption_events', 'adoption_daily', 'adoption_weekly', 'adoption_first_seen']

/** `progress` hears how long each phase took (the bench prints it). */
export function bulkLoad(db: Db, events: Iterable<ActivityEvent>, progress: (line: string) => void = () => {}): number {
  const c = db.$client
  const indexes = c
    .prepare(`SELECT sql FROM sqlite_schema WHERE type = 'index' AND tbl_name IN (${TABLES.map(() => '?').join(', ')}) AND sql IS NOT NULL`)
    .all(...TABLES) as { sql: string }[]
  for (const { sql } of indexes) c.exec(`DROP INDEX ${/INDEX\s+(\S+)/i.exec(sql)![1]}`)
  const journal = String(c.pragma('journal_mode', { simple: true }))
  const cache = Number(c.pragma('cache_size', { simple: true }))
  // Out of WAL (SQLite goes from WAL to DELETE only): a rollback journal keeps just the pages a
  // transaction overwrites, where WAL would write every new page twice (log, then checkpoint).
  c.pragma('journal_mode = DELETE')
  c.pragma('cache_size = -1048576')
  c.pragma('temp_store = MEMORY')
  const insert = c.prepare(`INSERT INTO adoption_events (workspace_id, conversation_id, person_id, kind, target_person_id, thread_id, at, day)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
  let n = 0
  const t = performance.now()
  const lap = (what: string) => progress(`  bulk load: ${what} at ${((performance.now() - t) / 1000).toFixed(0)} s\n`)
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
  lap(`${n} events inserted`)
  const passive = [...PASSIVE_KINDS].map((k) => `'${k}'`).join(', ')
  c.transaction(() => {
    // Each GROUP BY lists the target's primary key in order, so its rows are appended, not scattered.
    c.exec(`
      INSERT INTO adoption_daily (workspace_id, day, person_id, conversation_id, kind, count)
        SELECT workspace_id, day, person_id, conversation_id, kind, count(*) FROM adoption_events GROUP BY 1, 2, 3, 4, 5;
      INSERT INTO adoption_weekly (workspace_id, week, conversation_id, person_id, kind, count)
        SELECT workspace_id, date(day, 'weekday 0', '-6 days'), conversation_id, person_id, kind, sum(count)
        FROM adoption_daily GROUP BY 1, 2, 3, 4, 5;
      INSERT INTO adoption_first_seen (workspace_id, conversation_id, person_id, week)
        SELECT workspace_id, conversation_id, person_id, min(week) FROM adoption_weekly WHERE kind NOT IN (${passive}) GROUP BY 1, 2, 3;`)
  })()
  lap('rollups computed')
  c.transaction(() => {
    for (const { sql } of indexes) c.exec(sql)
  })()
  lap(`${indexes.length} indexes rebuilt`)
  c.pragma(`cache_size = ${cache}`)
  c.pragma('temp_store = DEFAULT')
  c.pragma(`journal_mode = ${journal}`)
  return n
}
