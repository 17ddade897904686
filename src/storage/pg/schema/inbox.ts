import { index, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core'
import { epochMs } from './columns.ts'

/**
 * PostgreSQL twin of src/storage/schema/inbox.ts. `body` stays text, not jsonb: a done row keeps
 * an empty body, and the adapters parse what they stored themselves.
 */
export const inbox = pgTable(
  'inbox',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    source: text('source').notNull(),
    key: text('key').notNull(),
    body: text('body').notNull(),
    state: text('state', { enum: ['pending', 'done', 'parked'] })
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(1),
    effects: integer('effects').notNull().default(0),
    owner: text('owner'),
    leaseUntil: epochMs('lease_until'),
    receivedAt: epochMs('received_at').notNull(),
    finishedAt: epochMs('finished_at'),
    lastError: text('last_error'),
  },
  (t) => [uniqueIndex('inbox_key').on(t.source, t.key), index('inbox_state').on(t.state, t.receivedAt)],
)
