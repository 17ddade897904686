import { boolean, index, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core'

/** A cache of who people are (display name, timezone, department), refreshed from the platform. */
export const people = pgTable(
  'people',
  {
    workspaceId: text('workspace_id').notNull(),
    id: text('id').notNull(),
    displayName: text('display_name').notNull(),
    /** Lower-cased display name, for "@name" lookups. */
    nameKey: text('name_key').notNull(),
    timezone: text('timezone').notNull(),
    isBot: boolean('is_bot').notNull(),
    /** From the Slack profile field named by SLACK_DEPARTMENT_FIELD; null when not configured or empty. */
    department: text('department'),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), index('people_name_key').on(t.workspaceId, t.nameKey)],
)
