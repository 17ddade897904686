import { index, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core'

/** Platform event ids already handled, so a retried delivery is processed once (the primary key is the claim). */
export const processedEvents = pgTable(
  'processed_events',
  {
    workspaceId: text('workspace_id').notNull(),
    eventId: text('event_id').notNull(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.eventId] }), index('processed_events_at').on(t.at)],
)
