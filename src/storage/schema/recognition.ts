import { sqliteTable, text, integer, primaryKey, index, uniqueIndex } from 'drizzle-orm/sqlite-core'

/**
 * Every kudos, given by a person (`kind = 'given'`) or credited automatically (`kind = 'auto'`,
 * no giver). `dedupe_key` is the natural key of what caused it (the event, the reacted message +
 * giver, the knowledge item + person, the task + person), unique per workspace: a retried event or
 * job inserts nothing the second time.
 *
 * Indexes are shaped for the queries that must stay fast at millions of rows (bench/kudos-leaderboard.ts):
 * the leaderboard over a period (workspace, created_at, …), the all-time leaderboard grouped by
 * receiver (workspace, receiver, giver, …) — both covering, so the aggregate reads only the index —
 * and a giver's allowance (workspace, giver, created_at).
 */
export const kudos = sqliteTable(
  'kudos',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    workspaceId: text('workspace_id').notNull(),
    kind: text('kind', { enum: ['given', 'auto'] }).notNull(),
    /** command | reaction | task | knowledge | task-done */
    source: text('source').notNull(),
    giverId: text('giver_id'),
    giverName: text('giver_name'),
    receiverId: text('receiver_id').notNull(),
    /** The name at the time, shown on leaderboards without asking the platform. */
    receiverName: text('receiver_name').notNull(),
    reason: text('reason').notNull(),
    /** A company value (KUDOS_VALUES), lower case, at most one. */
    value: text('value'),
    conversationId: text('conversation_id'),
    /**
     * Given where anyone in the workspace could see it (a public channel). Anything else — a private
     * channel, a DM, an automatic credit from a private place — is only ever counted where its own
     * audience is: digests and leaderboards shown elsewhere leave it out.
     */
    isPublic: integer('public', { mode: 'boolean' }).notNull().default(false),
    dedupeKey: text('dedupe_key').notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    /** When the public message about it went out (reaction path, sent from a job). */
    announcedAt: integer('announced_at', { mode: 'timestamp_ms' }),
  },
  (t) => [
    uniqueIndex('kudos_dedupe').on(t.workspaceId, t.dedupeKey),
    // (workspace, created_at) led, then the aggregated columns, so a period leaderboard never touches the table.
    // The audience columns (public, conversation) ride along so the audience filter stays covered.
    index('kudos_ws_created').on(t.workspaceId, t.createdAt, t.receiverId, t.giverId, t.value, t.isPublic, t.conversationId),
    // (workspace, receiver) led: the all-time leaderboard walks it in GROUP BY order, covered.
    index('kudos_ws_receiver').on(t.workspaceId, t.receiverId, t.giverId, t.value, t.isPublic, t.conversationId),
    index('kudos_ws_giver').on(t.workspaceId, t.giverId, t.createdAt),
  ],
)

/** Channels that opted into the weekly digest, and the week ("2025-W10") each last got one. */
export const kudosDigestChannels = sqliteTable(
  'kudos_digest_channels',
  {
    workspaceId: text('workspace_id').notNull(),
    conversationId: text('conversation_id').notNull(),
    conversationName: text('conversation_name'),
    enabled: integer('enabled', { mode: 'boolean' }).notNull(),
    changedBy: text('changed_by').notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
    lastWeek: text('last_week'),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.conversationId] }), index('kudos_digest_enabled').on(t.enabled)],
)
