import { boolean, index, integer, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core'
import { at } from './columns.ts'

/** PostgreSQL twin of src/storage/schema/recognition.ts. */
export const kudos = pgTable(
  'kudos',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    workspaceId: text('workspace_id').notNull(),
    kind: text('kind', { enum: ['given', 'auto'] }).notNull(),
    source: text('source').notNull(),
    giverId: text('giver_id'),
    giverName: text('giver_name'),
    receiverId: text('receiver_id').notNull(),
    receiverName: text('receiver_name').notNull(),
    reason: text('reason').notNull(),
    value: text('value'),
    conversationId: text('conversation_id'),
    isPublic: boolean('public').notNull().default(false),
    dedupeKey: text('dedupe_key').notNull(),
    createdAt: at('created_at').notNull(),
    announcedAt: at('announced_at'),
  },
  (t) => [
    uniqueIndex('kudos_dedupe').on(t.workspaceId, t.dedupeKey),
    // Same shapes as on SQLite: the period and all-time leaderboards can be answered from the index alone.
    index('kudos_ws_created').on(t.workspaceId, t.createdAt, t.receiverId, t.giverId, t.value, t.isPublic, t.conversationId),
    index('kudos_ws_receiver').on(t.workspaceId, t.receiverId, t.giverId, t.value, t.isPublic, t.conversationId),
    index('kudos_ws_giver').on(t.workspaceId, t.giverId, t.createdAt),
  ],
)

export const kudosDigestChannels = pgTable(
  'kudos_digest_channels',
  {
    workspaceId: text('workspace_id').notNull(),
    conversationId: text('conversation_id').notNull(),
    conversationName: text('conversation_name'),
    enabled: boolean('enabled').notNull(),
    changedBy: text('changed_by').notNull(),
    updatedAt: at('updated_at').notNull(),
    lastWeek: text('last_week'),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.conversationId] }), index('kudos_digest_enabled').on(t.enabled)],
)
