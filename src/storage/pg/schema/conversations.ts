import { pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core'

/** Channels and chats Beacon has seen, with their privacy (which decides who may find saved knowledge). */
export const conversations = pgTable(
  'conversations',
  {
    workspaceId: text('workspace_id').notNull(),
    id: text('id').notNull(),
    name: text('name').notNull(),
    privacy: text('privacy', { enum: ['public', 'private', 'direct'] }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] })],
)
