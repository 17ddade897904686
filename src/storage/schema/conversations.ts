import { sqliteTable, text, integer, primaryKey } from 'drizzle-orm/sqlite-core'

/** Channels and chats Beacon has seen, with their privacy (which decides who may find saved knowledge). */
export const conversations = sqliteTable(
  'conversations',
  {
    workspaceId: text('workspace_id').notNull(),
    id: text('id').notNull(),
    name: text('name').notNull(),
    privacy: text('privacy', { enum: ['public', 'private', 'direct'] }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] })],
)
