import { sqliteTable, text, integer, uniqueIndex } from 'drizzle-orm/sqlite-core'

/**
 * Jobs accepted while on BullMQ (REDIS_URL set) but not yet handed to Redis: "persist before ack,
 * relay after". Enqueueing writes a row here (local, durable); a relay loop adds it to BullMQ under
 * `job_id` (so a relay repeated after a crash is a no-op) and deletes the row only once Redis took
 * it. Times are epoch milliseconds.
 */
export const jobOutbox = sqliteTable(
  'job_outbox',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    /** The BullMQ job id: the dedupe id for keyed jobs, a fresh unique id otherwise. */
    jobId: text('job_id').notNull(),
    name: text('name').notNull(),
    /** JSON of the validated payload. */
    data: text('data').notNull(),
    /** When the job is due (a delay is recomputed from this at relay time). */
    runAt: integer('run_at').notNull(),
    attempts: integer('attempts').notNull(),
    backoffMs: integer('backoff_ms').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('job_outbox_job_id').on(t.jobId)],
)
