import { sqliteTable, text, integer, primaryKey, index } from 'drizzle-orm/sqlite-core'

/** A cache of who people are (display name, timezone, department), refreshed from the platform. */
export const people = sqliteTable(
  'people',
  {
    workspaceId: text('workspace_id').notNull(),
    id: text('id').notNull(),
    displayName: text('display_name').notNull(),
    /** Lower-cased display name, for "@name" lookups. */
    nameKey: text('name_key').notNull(),
    timezone: text('timezone').notNull(),
    isBot: integer('is_bot', { mode: 'boolean' }).notNull(),
    /** From the Slack profile field named by SLACK_DEPARTMENT_FIELD; null when not configured or empty. */
    department: text('department'),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), index('people_name_key').on(t.workspaceId, t.nameKey)],
)
