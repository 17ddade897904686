import { sqliteTable, text, integer, primaryKey, index, uniqueIndex } from 'drizzle-orm/sqlite-core'

/**
 * Business impact (src/core/impact): what Beacon's use produced, counted from events Beacon already
 * sees, never content. Every row carries the ISO week (its Monday) it counts for, and every read is
 * one (workspace, week, channels) index range, so a period's figures cost that period's rows.
 */
export const impactEvents = sqliteTable(
  'impact_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    workspaceId: text('workspace_id').notNull(),
    conversationId: text('conversation_id').notNull(),
    /** Monday (UTC day) of the ISO week the event counts for. */
    week: text('week').notNull(),
    kind: text('kind').notNull(),
    /** The knowledge item a use or a 👍/👎 was about. */
    itemId: integer('item_id'),
    /** Minutes to the first answer of a question. */
    minutes: integer('minutes'),
    /** Yes/no of the event: helpful, on time, answered within a working day, across departments. */
    flag: integer('flag', { mode: 'boolean' }),
    sourceKey: text('source_key').notNull(),
    at: integer('at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    index('impact_events_ws_week').on(t.workspaceId, t.week, t.conversationId),
    uniqueIndex('impact_events_source').on(t.workspaceId, t.sourceKey),
  ],
)

/** Questions asked in channels, until their first answer by someone else (the asker is kept only for that). */
export const impactQuestions = sqliteTable(
  'impact_questions',
  {
    workspaceId: text('workspace_id').notNull(),
    threadId: text('thread_id').notNull(),
    conversationId: text('conversation_id').notNull(),
    askerId: text('asker_id').notNull(),
    askedAt: integer('asked_at', { mode: 'timestamp_ms' }).notNull(),
    answeredAt: integer('answered_at', { mode: 'timestamp_ms' }),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.threadId] }), index('impact_questions_asked').on(t.askedAt)],
)

/** Pairs of people connected (a reply or kudos) for the first time; a < b. Never shown, only counted. */
export const impactPairs = sqliteTable(
  'impact_pairs',
  {
    workspaceId: text('workspace_id').notNull(),
    a: text('a').notNull(),
    b: text('b').notNull(),
    firstWeek: text('first_week').notNull(),
    conversationId: text('conversation_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.a, t.b] }), index('impact_pairs_week').on(t.workspaceId, t.firstWeek, t.conversationId)],
)

/** Weeks whose links have been folded into impact_pairs (each week once, oldest first). */
export const impactPairWeeks = sqliteTable(
  'impact_pair_weeks',
  {
    workspaceId: text('workspace_id').notNull(),
    week: text('week').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.week] })],
)

export const impactSponsors = sqliteTable(
  'impact_sponsors',
  {
    workspaceId: text('workspace_id').notNull(),
    personId: text('person_id').notNull(),
    addedBy: text('added_by').notNull(),
    addedAt: integer('added_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.personId] })],
)

/** One row per (sponsor, month) whose digest was sent: the claim that makes "never twice" hold. */
export const impactDigestClaims = sqliteTable(
  'impact_digest_claims',
  {
    workspaceId: text('workspace_id').notNull(),
    personId: text('person_id').notNull(),
    month: text('month').notNull(),
    claimedAt: integer('claimed_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.personId, t.month] })],
)
