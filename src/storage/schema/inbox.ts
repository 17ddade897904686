import { sqliteTable, text, integer, index, uniqueIndex } from 'drizzle-orm/sqlite-core'

/**
 * Everything a chat platform delivered and Beacon accepted, written before the platform gets its
 * 200 / ack: "persist, ack, then work". The row is the claim (a retried delivery of the same key
 * finds it and is a duplicate); it is marked done only after the work ran, so a crash in between
 * leaves it pending and the next start-up processes it again. Times are epoch milliseconds.
 */
export const inbox = sqliteTable(
  'inbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** The adapter that knows how to process the body: 'slack' or 'teams'. */
    source: text('source').notNull(),
    /** The platform's id for the delivery, identical on its retries (Slack event_id, trigger_id; Teams activity id). */
    key: text('key').notNull(),
    /** JSON of what arrived; emptied once done (the key alone is the dedupe memory). */
    body: text('body').notNull(),
    state: text('state', { enum: ['pending', 'done', 'parked'] })
      .notNull()
      .default('pending'),
    /** Tries so far, the first included; a row that keeps failing is parked, not retried forever. */
    attempts: integer('attempts').notNull().default(1),
    /** Replies already delivered for this row, so a replay does not repeat them. */
    effects: integer('effects').notNull().default(0),
    /** The process working on it ("host:pid:boot") and until when that claim holds without a heartbeat. */
    owner: text('owner'),
    leaseUntil: integer('lease_until'),
    receivedAt: integer('received_at').notNull(),
    finishedAt: integer('finished_at'),
    lastError: text('last_error'),
  },
  (t) => [uniqueIndex('inbox_key').on(t.source, t.key), index('inbox_state').on(t.state, t.receivedAt)],
)
