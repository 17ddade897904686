import { sql } from 'drizzle-orm'
import { sqliteTable, text, integer, primaryKey, index, uniqueIndex } from 'drizzle-orm/sqlite-core'

/**
 * Saved threads. One row per (workspace, thread): the unique index is what makes "two savers" and
 * "two racing capture jobs" converge on a single item (the repository upserts on it).
 *
 * The integer primary key doubles as the FTS5 rowid of the workspace's index (an external-content
 * table per workspace, repositories/knowledge-index.ts): an explicit INTEGER PRIMARY KEY survives VACUUM,
 * an implicit rowid would not.
 */
export const knowledgeItems = sqliteTable(
  'knowledge_items',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    workspaceId: text('workspace_id').notNull(),
    threadId: text('thread_id').notNull(),
    conversationId: text('conversation_id').notNull(),
    conversationName: text('conversation_name').notNull(),
    /** Lower-cased conversation name, for `in:#channel`. */
    conversationKey: text('conversation_key').notNull(),
    privacy: text('privacy', { enum: ['public', 'private', 'direct'] }).notNull(),
    rootMessageId: text('root_message_id').notNull(),
    title: text('title').notNull(),
    /** Once a person renames the item, refreshes stop overwriting the title. */
    titleEdited: integer('title_edited', { mode: 'boolean' }).notNull().default(false),
    /** Readable markdown (Beacon's subset), what a person reads. */
    body: text('body').notNull(),
    /** The same content as plain text: what FTS5 indexes, so snippets never cut through markup. */
    searchText: text('search_text').notNull(),
    /** Space-separated tags, indexed by FTS5 as its third column. */
    tagsText: text('tags_text').notNull().default(''),
    permalink: text('permalink'),
    messageCount: integer('message_count').notNull(),
    status: text('status', { enum: ['active', 'archived'] })
      .notNull()
      .default('active'),
    /** The id of Beacon's own confirmation message, left out of the body on refresh. */
    confirmationMessageId: text('confirmation_message_id'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    /** Last time the content changed (capture or refresh). */
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
    /** Last time the thread was fetched from the platform. */
    syncedAt: integer('synced_at', { mode: 'timestamp_ms' }).notNull(),
    confirmedAt: integer('confirmed_at', { mode: 'timestamp_ms' }),
    lastViewedAt: integer('last_viewed_at', { mode: 'timestamp_ms' }),
    staleAskedAt: integer('stale_asked_at', { mode: 'timestamp_ms' }),
    archivedAt: integer('archived_at', { mode: 'timestamp_ms' }),
  },
  (t) => [
    uniqueIndex('knowledge_items_thread').on(t.workspaceId, t.threadId),
    index('knowledge_items_recent').on(t.workspaceId, t.status, t.updatedAt),
    index('knowledge_items_conversation').on(t.workspaceId, t.conversationKey),
    index('knowledge_items_stale').on(t.status, t.updatedAt),
  ],
)

/** Distinct human authors of a saved thread (bots excluded): who gets credit, and `from:@person`. */
export const knowledgeContributors = sqliteTable(
  'knowledge_contributors',
  {
    itemId: integer('item_id')
      .notNull()
      .references(() => knowledgeItems.id, { onDelete: 'cascade' }),
    personId: text('person_id').notNull(),
    displayName: text('display_name').notNull(),
    nameKey: text('name_key').notNull(),
    /** Order of first appearance in the thread. */
    position: integer('position').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.itemId, t.personId] }),
    index('knowledge_contributors_person').on(t.personId),
    index('knowledge_contributors_name').on(t.nameKey),
  ],
)

/** Everyone who saved the thread; the first one is asked about stale items. */
export const knowledgeSavers = sqliteTable(
  'knowledge_savers',
  {
    itemId: integer('item_id')
      .notNull()
      .references(() => knowledgeItems.id, { onDelete: 'cascade' }),
    personId: text('person_id').notNull(),
    via: text('via', { enum: ['reaction', 'action'] }).notNull(),
    savedAt: integer('saved_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.itemId, t.personId] }), index('knowledge_savers_person').on(t.personId, t.savedAt)],
)

export const knowledgeTags = sqliteTable(
  'knowledge_tags',
  {
    itemId: integer('item_id')
      .notNull()
      .references(() => knowledgeItems.id, { onDelete: 'cascade' }),
    tag: text('tag').notNull(),
  },
  (t) => [primaryKey({ columns: [t.itemId, t.tag] }), index('knowledge_tags_tag').on(t.tag)],
)

/** Per-channel knowledge settings (`/kb suggest on|off`). */
export const knowledgeChannelSettings = sqliteTable(
  'knowledge_channel_settings',
  {
    workspaceId: text('workspace_id').notNull(),
    conversationId: text('conversation_id').notNull(),
    suggest: integer('suggest', { mode: 'boolean' }).notNull().default(sql`0`),
    updatedBy: text('updated_by').notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.conversationId] })],
)
