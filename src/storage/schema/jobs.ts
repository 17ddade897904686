import { sqliteTable, text, integer, index, uniqueIndex, primaryKey } from 'drizzle-orm/sqlite-core'

// Times here are plain epoch milliseconds (not Date columns): the in-process queue compares and
// shifts them in SQL (`run_at <= now`, `lease_until < now`) and in its claim statement.

/** The in-process job queue (used when no REDIS_URL): one row per enqueued job, kept after it ends. */
export const jobs = sqliteTable(
  'jobs',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    /** JSON of the validated payload. */
    data: text('data').notNull(),
    status: text('status', { enum: ['waiting', 'running', 'completed', 'failed'] }).notNull(),
    /** Null when the job was enqueued without one; several NULLs never collide in the unique index. */
    dedupeKey: text('dedupe_key'),
    /** Tries started so far (the handler sees this number while it runs). */
    attempt: integer('attempt').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull(),
    backoffMs: integer('backoff_ms').notNull(),
    /** When the job is due; moves forward on each retry. */
    runAt: integer('run_at').notNull(),
    /** Which queue instance holds a running job, and until when before others may reclaim it. */
    claimedBy: text('claimed_by'),
    leaseUntil: integer('lease_until'),
    lastError: text('last_error'),
    createdAt: integer('created_at').notNull(),
    finishedAt: integer('finished_at'),
  },
  (t) => [uniqueIndex('jobs_dedupe').on(t.name, t.dedupeKey), index('jobs_due').on(t.status, t.runAt), index('jobs_finished').on(t.finishedAt)],
)

/** Cron schedules of the in-process queue; a due schedule turns into one `jobs` row per firing. */
export const jobSchedules = sqliteTable(
  'job_schedules',
  {
    name: text('name').notNull(),
    key: text('key').notNull(),
    cron: text('cron').notNull(),
    timezone: text('timezone').notNull(),
    data: text('data').notNull(),
    nextRunAt: integer('next_run_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.name, t.key] }), index('job_schedules_next').on(t.nextRunAt)],
)
