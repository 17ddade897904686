/**
 * Writes activity events on PostgreSQL, many at once: one statement inserts the events and bumps
 * their rollups (daily, weekly, first week seen), so a batch costs one round trip and one commit
 * where an event alone used to cost a transaction of eight statements. Same rules as the SQLite
 * write: an opted-out actor records nothing, an opted-out target is counted without the link, a
 * repeated source key inserts nothing and then the rollups do not move either.
 */
import type pg from 'pg'
import { type ActivityEvent, PASSIVE_KINDS } from '../../../core/adoption/types.ts'
import { weekStart } from '../../../core/time/iso-weeks.ts'

/**
 * `done` holds the input rows whose event went in (an input row matches its inserted event on the
 * source key, or for events without one on all the columns the join names: identical rows went in
 * together or not at all). Rollups are summed per key first (one statement may not touch a row twice)
 * and upserted in key order, so two processes' batches lock shared counters in the same order.
 */
const WRITE_EVENTS = {
  name: 'beacon_adoption_write_events',
  text: `WITH input AS (
    SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                         $9::timestamptz[], $10::text[], $11::text[])
      AS t(ord, workspace_id, conversation_id, person_id, kind, target_person_id, thread_id, source_key, at, day, week)
  ), ins AS (
    INSERT INTO adoption_events (workspace_id, conversation_id, person_id, kind, target_person_id, thread_id, source_key, at, day)
    SELECT i.workspace_id, i.conversation_id, i.person_id, i.kind,
           CASE WHEN NOT EXISTS (SELECT 1 FROM adoption_optouts o WHERE o.workspace_id = i.workspace_id AND o.person_id = i.target_person_id)
                THEN i.target_person_id END,
           i.thread_id, i.source_key, i.at, i.day
      FROM input i
     WHERE NOT EXISTS (SELECT 1 FROM adoption_optouts o WHERE o.workspace_id = i.workspace_id AND o.person_id = i.person_id)
       AND NOT ($13::boolean AND EXISTS (SELECT 1 FROM people p WHERE p.workspace_id = i.workspace_id AND p.id = i.person_id AND p.is_bot))
     ORDER BY i.ord
    ON CONFLICT DO NOTHING
    RETURNING workspace_id, conversation_id, person_id, kind, source_key, at
  ), done AS (
    SELECT DISTINCT ON (i.ord) i.* FROM input i
      JOIN ins ON ins.workspace_id = i.workspace_id AND ins.source_key IS NOT DISTINCT FROM i.source_key AND ins.person_id = i.person_id
              AND ins.conversation_id = i.conversation_id AND ins.kind = i.kind AND ins.at = i.at
     ORDER BY i.ord
  ), daily AS (
    INSERT INTO adoption_daily (workspace_id, day, person_id, conversation_id, kind, count)
    SELECT workspace_id, day, person_id, conversation_id, kind, count(*) FROM done GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (workspace_id, day, person_id, conversation_id, kind) DO UPDATE SET count = adoption_daily.count + excluded.count
  ), weekly AS (
    INSERT INTO adoption_weekly (workspace_id, week, conversation_id, person_id, kind, count)
    SELECT workspace_id, week, conversation_id, person_id, kind, count(*) FROM done GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (workspace_id, week, conversation_id, person_id, kind) DO UPDATE SET count = adoption_weekly.count + excluded.count
  ), first_seen AS (
    INSERT INTO adoption_first_seen (workspace_id, conversation_id, person_id, week)
    SELECT workspace_id, conversation_id, person_id, min(week) FROM done WHERE kind <> ALL($12::text[]) GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (workspace_id, conversation_id, person_id) DO UPDATE SET week = excluded.week WHERE excluded.week < adoption_first_seen.week
  )
  SELECT ord FROM done`,
}

const PASSIVE = [...PASSIVE_KINDS]

/** An inbox row whose delivery's work is done (../after-ack.ts), marked done by the statement that records activity. */
export interface InboxFinish {
  id: number
  now: number
  owner: string
}

/**
 * WRITE_EVENTS that also finishes inbox rows (the UPDATE of FINISH_ROWS in ../after-ack.ts, guarded on
 * state and owner): the two writes every delivery makes after its ack share one commit, a WAL flush
 * that on a slow disk is the scarcest thing the ingest path has. A data-modifying CTE runs to
 * completion though nothing reads it.
 */
const WRITE_EVENTS_AND_FINISH = {
  name: 'beacon_adoption_write_events_finish',
  text: WRITE_EVENTS.text.replace(
    /^WITH /,
    `WITH finish AS (
    UPDATE inbox SET state = 'done', body = '', finished_at = f.now, owner = NULL, lease_until = NULL
      FROM unnest($14::int[], $15::bigint[], $16::text[]) AS f(id, now, owner)
     WHERE inbox.id = f.id AND inbox.state = 'pending' AND inbox.owner = f.owner
  ), `,
  ),
}

/**
 * Records `events` in one statement; true for each event that was recorded (false: opted out, seen
 * before, or with `skipBots` a person the people table marks as a bot). `finishes`, if any, are
 * marked done in the same statement.
 */
export async function writeEvents(
  db: pg.Pool | pg.PoolClient,
  events: ActivityEvent[],
  skipBots: boolean,
  finishes: InboxFinish[] = [],
): Promise<boolean[]> {
  // A source key twice in one batch: the first caller records it, the later ones see it as seen before.
  const first = new Map<string, number>()
  const fresh: number[] = []
  events.forEach((e, i) => {
    if (e.sourceKey === undefined) fresh.push(i)
    else if (!first.has(JSON.stringify([e.workspace, e.sourceKey]))) {
      first.set(JSON.stringify([e.workspace, e.sourceKey]), i)
      fresh.push(i)
    }
  })
  const col = <T>(f: (e: ActivityEvent) => T) => fresh.map((i) => f(events[i]!))
  const finishing = finishes.length > 0
  const res = await db.query<{ ord: number }>({
    ...(finishing ? WRITE_EVENTS_AND_FINISH : WRITE_EVENTS),
    values: [
      fresh,
      col((e) => e.workspace),
      col((e) => e.conversationId),
      col((e) => e.personId),
      col((e) => e.kind),
      col((e) => e.targetPersonId ?? null),
      col((e) => e.threadId ?? null),
      col((e) => e.sourceKey ?? null),
      col((e) => e.at.toISOString()),
      col((e) => e.at.toISOString().slice(0, 10)),
      col((e) => weekStart(e.at)),
      PASSIVE,
      skipBots,
      ...(finishing ? [finishes.map((f) => f.id), finishes.map((f) => f.now), finishes.map((f) => f.owner)] : []),
    ],
  })
  const recorded = new Set(res.rows.map((r) => r.ord))
  return events.map((_, i) => recorded.has(i))
}
