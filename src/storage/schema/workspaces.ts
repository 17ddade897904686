import { sqliteTable, text, integer } from 'drizzle-orm/sqlite-core'

/** One row per Slack workspace, Teams tenant or the local shell. Everything else is scoped by its id. */
export const workspaces = sqliteTable('workspaces', {
  id: text('id').primaryKey(),
  platform: text('platform', { enum: ['slack', 'teams', 'shell'] }).notNull(),
  name: text('name').notNull(),
  createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
})
