import { bigint, boolean, index, integer, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core'
import { at } from './columns.ts'

/** PostgreSQL twin of src/storage/schema/impact.ts (impact events, questions, first connections, sponsors). */
export const impactEvents = pgTable(
  'impact_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    workspaceId: text('workspace_id').notNull(),
    conversationId: text('conversation_id').notNull(),
    week: text('week').notNull(),
    kind: text('kind').notNull(),
    itemId: bigint('item_id', { mode: 'number' }),
    minutes: integer('minutes'),
    flag: boolean('flag'),
    sourceKey: text('source_key').notNull(),
    at: at('at').notNull(),
  },
  (t) => [
    index('impact_events_ws_week').on(t.workspaceId, t.week, t.conversationId),
    uniqueIndex('impact_events_source').on(t.workspaceId, t.sourceKey),
  ],
)

export const impactQuestions = pgTable(
  'impact_questions',
  {
    workspaceId: text('workspace_id').notNull(),
    threadId: text('thread_id').notNull(),
    conversationId: text('conversation_id').notNull(),
    askerId: text('asker_id').notNull(),
    askedAt: at('asked_at').notNull(),
    answeredAt: at('answered_at'),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.threadId] }), index('impact_questions_asked').on(t.askedAt)],
)

export const impactPairs = pgTable(
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

export const impactPairWeeks = pgTable(
  'impact_pair_weeks',
  {
    workspaceId: text('workspace_id').notNull(),
    week: text('week').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.week] })],
)

export const impactSponsors = pgTable(
  'impact_sponsors',
  {
    workspaceId: text('workspace_id').notNull(),
    personId: text('person_id').notNull(),
    addedBy: text('added_by').notNull(),
    addedAt: at('added_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.personId] })],
)

export const impactDigestClaims = pgTable(
  'impact_digest_claims',
  {
    workspaceId: text('workspace_id').notNull(),
    personId: text('person_id').notNull(),
    month: text('month').notNull(),
    claimedAt: at('claimed_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.personId, t.month] })],
)
