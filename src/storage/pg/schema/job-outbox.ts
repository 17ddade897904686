import { bigint, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core'
import { epochMs } from './columns.ts'

/** PostgreSQL twin of src/storage/schema/job-outbox.ts: jobs accepted but not yet handed to Redis. */
export const jobOutbox = pgTable(
  'job_outbox',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    jobId: text('job_id').notNull(),
    name: text('name').notNull(),
    /** JSON text of the payload, byte for byte what the SQLite outbox keeps (the relay parses it). */
    data: text('data').notNull(),
    runAt: epochMs('run_at').notNull(),
    attempts: integer('attempts').notNull(),
    backoffMs: integer('backoff_ms').notNull(),
    createdAt: epochMs('created_at').notNull(),
  },
  (t) => [uniqueIndex('job_outbox_job_id').on(t.jobId)],
)
