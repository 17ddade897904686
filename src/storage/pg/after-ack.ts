/**
 * The two writes every delivery makes after its ack on PostgreSQL — its activity record (adoption)
 * and its inbox finish — gathered into one batch (AFTER_ACK, ./turn-batch.ts) and sent as one
 * statement: one round trip and one commit where there were two. Each commit is a WAL flush; the
 * inbox inserts on the ack path wait behind every flush, so on a disk with slow flushes the ingest
 * rate is about flushes per second divided by commits per delivery (bench/RESULTS.md, issue 16).
 * A batch holding one kind only runs that kind's statement, as before.
 */
import type pg from 'pg'
import type { ActivityEvent } from '../../core/adoption/types.ts'
import { type InboxFinish, writeEvents } from './repositories/adoption-activity-batch.ts'
import { AFTER_ACK, type TurnBatch, turnBatch } from './turn-batch.ts'

export type AfterAck = ({ kind: 'finish' } & InboxFinish) | { kind: 'record'; event: ActivityEvent }

/** The after-ack batch of `pool`, shared by its inbox and activity repositories. Resolves per item once committed (finish: true). */
export function afterAckBatch(pool: pg.Pool): TurnBatch<AfterAck, boolean> {
  return turnBatch(pool, 'after-ack', (items: AfterAck[]) => writeAfterAck(pool, items), AFTER_ACK)
}

const FINISH_ROWS = {
  name: 'beacon_inbox_finish_rows',
  text: `UPDATE inbox SET state = 'done', body = '', finished_at = u.now, owner = NULL, lease_until = NULL
           FROM unnest($1::int[], $2::bigint[], $3::text[]) AS u(id, now, owner)
          WHERE inbox.id = u.id AND inbox.state = 'pending' AND inbox.owner = u.owner`,
}

async function writeAfterAck(pool: pg.Pool, items: AfterAck[]): Promise<boolean[]> {
  const finishes: InboxFinish[] = []
  const events: ActivityEvent[] = []
  for (const item of items) {
    if (item.kind === 'finish') finishes.push({ id: item.id, now: item.now, owner: item.owner })
    else events.push(item.event)
  }
  if (events.length === 0) {
    await pool.query({ ...FINISH_ROWS, values: [finishes.map((f) => f.id), finishes.map((f) => f.now), finishes.map((f) => f.owner)] })
    return items.map(() => true)
  }
  // Activity bots are skipped (the people table), as record() always did.
  const recorded = await writeEvents(pool, events, true, finishes)
  let e = 0
  return items.map((item) => (item.kind === 'finish' ? true : recorded[e++]!))
}
