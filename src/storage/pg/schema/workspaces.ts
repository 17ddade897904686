import { pgTable, text, timestamp } from 'drizzle-orm/pg-core'

/** One row per Slack workspace, Teams tenant or the local shell. Everything else is scoped by its id. */
export const workspaces = pgTable('workspaces', {
  id: text('id').primaryKey(),
  platform: text('platform', { enum: ['slack', 'teams', 'shell'] }).notNull(),
  name: text('name').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
})
