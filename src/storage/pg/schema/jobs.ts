import { index, integer, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core'
import { epochMs } from './columns.ts'

/** PostgreSQL twin of src/storage/schema/jobs.ts (times in epoch milliseconds, compared in SQL). */
export const jobs = pgTable(
  'jobs',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    data: text('data').notNull(),
    status: text('status', { enum: ['waiting', 'running', 'completed', 'failed'] }).notNull(),
    dedupeKey: text('dedupe_key'),
    attempt: integer('attempt').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull(),
    backoffMs: integer('backoff_ms').notNull(),
    runAt: epochMs('run_at').notNull(),
    claimedBy: text('claimed_by'),
    leaseUntil: epochMs('lease_until'),
    lastError: text('last_error'),
    createdAt: epochMs('created_at').notNull(),
    finishedAt: epochMs('finished_at'),
  },
  (t) => [uniqueIndex('jobs_dedupe').on(t.name, t.dedupeKey), index('jobs_due').on(t.status, t.runAt), index('jobs_finished').on(t.finishedAt)],
)

export const jobSchedules = pgTable(
  'job_schedules',
  {
    name: text('name').notNull(),
    key: text('key').notNull(),
    cron: text('cron').notNull(),
    timezone: text('timezone').notNull(),
    data: text('data').notNull(),
    nextRunAt: epochMs('next_run_at').notNull(),
    updatedAt: epochMs('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.name, t.key] }), index('job_schedules_next').on(t.nextRunAt)],
)
