import { sql } from 'drizzle-orm'
import { bigint, boolean, customType, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core'

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' })
const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' })

/**
 * Saved threads. One row per (workspace, thread): the unique index is what makes "two savers" and
 * "two racing capture jobs" converge on a single item (the repository upserts on it).
 *
 * `search_vector` is the full-text document (title weight A, tags B, plain body D), GIN-indexed per workspace.
 * The repository writes it (pg/repositories/knowledge-search.ts) rather than a generated column,
 * because it folds diacritics the way the SQLite index does (remove_diacritics), which no
 * immutable built-in PostgreSQL function can do.
 * Triggers copy what /kb matches and ranks into `knowledge_search`, partitioned by workspace (pg
 * migration 0006, declared in pg/repositories/knowledge-search.ts: drizzle-kit has no partitions).
 */
export const knowledgeItems = pgTable(
  'knowledge_items',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
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
    titleEdited: boolean('title_edited').notNull().default(false),
    /** Readable markdown (Beacon's subset), what a person reads. */
    body: text('body').notNull(),
    /** The same content as plain text: what is indexed and what snippets are cut from. */
    searchText: text('search_text').notNull(),
    /** Space-separated tags. */
    tagsText: text('tags_text').notNull().default(''),
    searchVector: tsvector('search_vector').notNull().default(''),
    permalink: text('permalink'),
    messageCount: integer('message_count').notNull(),
    status: text('status', { enum: ['active', 'archived'] })
      .notNull()
      .default('active'),
    /** The id of Beacon's own confirmation message, left out of the body on refresh. */
    confirmationMessageId: text('confirmation_message_id'),
    createdAt: at('created_at').notNull(),
    /** Last time the content changed (capture or refresh). */
    updatedAt: at('updated_at').notNull(),
    /** Last time the thread was fetched from the platform. */
    syncedAt: at('synced_at').notNull(),
    confirmedAt: at('confirmed_at'),
    lastViewedAt: at('last_viewed_at'),
    staleAskedAt: at('stale_asked_at'),
    archivedAt: at('archived_at'),
  },
  (t) => [
    uniqueIndex('knowledge_items_thread').on(t.workspaceId, t.threadId),
    index('knowledge_items_recent').on(t.workspaceId, t.status, t.updatedAt),
    index('knowledge_items_conversation').on(t.workspaceId, t.conversationKey),
    index('knowledge_items_stale').on(t.status, t.updatedAt),
    // Each lexeme prefixed by its workspace (functions in migration 0004), so a prefix query expands
    // over the asker's workspace's words only; pg/repositories/knowledge-search.ts matches it.
    index('knowledge_items_scoped_search').using('gin', sql`beacon_kb_scoped_vector(${t.workspaceId}, ${t.searchVector})`),
  ],
)

/** Distinct human authors of a saved thread (bots excluded): who gets credit, and `from:@person`. */
export const knowledgeContributors = pgTable(
  'knowledge_contributors',
  {
    itemId: bigint('item_id', { mode: 'number' })
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
export const knowledgeSavers = pgTable(
  'knowledge_savers',
  {
    itemId: bigint('item_id', { mode: 'number' })
      .notNull()
      .references(() => knowledgeItems.id, { onDelete: 'cascade' }),
    personId: text('person_id').notNull(),
    via: text('via', { enum: ['reaction', 'action'] }).notNull(),
    savedAt: at('saved_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.itemId, t.personId] }), index('knowledge_savers_person').on(t.personId, t.savedAt)],
)

export const knowledgeTags = pgTable(
  'knowledge_tags',
  {
    itemId: bigint('item_id', { mode: 'number' })
      .notNull()
      .references(() => knowledgeItems.id, { onDelete: 'cascade' }),
    tag: text('tag').notNull(),
  },
  (t) => [primaryKey({ columns: [t.itemId, t.tag] }), index('knowledge_tags_tag').on(t.tag)],
)

/** Per-channel knowledge settings (`/kb suggest on|off`). */
export const knowledgeChannelSettings = pgTable(
  'knowledge_channel_settings',
  {
    workspaceId: text('workspace_id').notNull(),
    conversationId: text('conversation_id').notNull(),
    suggest: boolean('suggest').notNull().default(false),
    updatedBy: text('updated_by').notNull(),
    updatedAt: at('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.conversationId] })],
)
