import { sqliteTable, text, integer, primaryKey, index } from 'drizzle-orm/sqlite-core'

/** Platform event ids already handled, so a retried delivery is processed once. */
export const processedEvents = sqliteTable(
  'processed_events',
  {
    workspaceId: text('workspace_id').notNull(),
    eventId: text('event_id').notNull(),
    at: integer('at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.eventId] }), index('processed_events_at').on(t.at)],
)
