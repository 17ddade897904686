import { boolean, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core'
import type { NudgeSnapshot } from '../../../core/adoption/types.ts'
import { at } from './columns.ts'

/** PostgreSQL twin of src/storage/schema/adoption.ts (activity without content, and its rollups). */
export const adoptionEvents = pgTable(
  'adoption_events',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    workspaceId: text('workspace_id').notNull(),
    conversationId: text('conversation_id').notNull(),
    personId: text('person_id').notNull(),
    kind: text('kind').notNull(),
    targetPersonId: text('target_person_id'),
    threadId: text('thread_id'),
    sourceKey: text('source_key'),
    at: at('at').notNull(),
    day: text('day').notNull(),
  },
  (t) => [
    index('adoption_events_at').on(t.at),
    index('adoption_events_ws_day').on(t.workspaceId, t.day),
    index('adoption_events_person').on(t.workspaceId, t.personId),
    // Kind and person in the index: links() finds each reply's root author without visiting the event rows (0006).
    index('adoption_events_thread').on(t.workspaceId, t.threadId, t.kind, t.personId),
    uniqueIndex('adoption_events_source').on(t.workspaceId, t.sourceKey),
  ],
)

export const adoptionDaily = pgTable(
  'adoption_daily',
  {
    workspaceId: text('workspace_id').notNull(),
    day: text('day').notNull(),
    personId: text('person_id').notNull(),
    conversationId: text('conversation_id').notNull(),
    kind: text('kind').notNull(),
    count: integer('count').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.day, t.personId, t.conversationId, t.kind] }),
    index('adoption_daily_conv_day').on(t.workspaceId, t.conversationId, t.day),
    index('adoption_daily_person').on(t.workspaceId, t.personId),
  ],
)

export const adoptionWeekly = pgTable(
  'adoption_weekly',
  {
    workspaceId: text('workspace_id').notNull(),
    week: text('week').notNull(),
    conversationId: text('conversation_id').notNull(),
    personId: text('person_id').notNull(),
    kind: text('kind').notNull(),
    count: integer('count').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.week, t.conversationId, t.personId, t.kind] }),
    index('adoption_weekly_person').on(t.personId, t.workspaceId),
  ],
)

export const adoptionFirstSeen = pgTable(
  'adoption_first_seen',
  {
    workspaceId: text('workspace_id').notNull(),
    conversationId: text('conversation_id').notNull(),
    personId: text('person_id').notNull(),
    week: text('week').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.conversationId, t.personId] }),
    index('adoption_first_seen_person').on(t.personId, t.workspaceId),
    // A person's rows in week order: their first week in a team is the first row in one of its channels (firstSeenWeeks).
    index('adoption_first_seen_first').on(t.workspaceId, t.personId, t.week, t.conversationId),
  ],
)

export const adoptionTeams = pgTable(
  'adoption_teams',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    workspaceId: text('workspace_id').notNull(),
    name: text('name').notNull(),
    nameKey: text('name_key').notNull(),
    createdAt: at('created_at').notNull(),
  },
  (t) => [uniqueIndex('adoption_teams_name').on(t.workspaceId, t.nameKey)],
)

export const adoptionTeamChannels = pgTable(
  'adoption_team_channels',
  {
    teamId: integer('team_id')
      .notNull()
      .references(() => adoptionTeams.id, { onDelete: 'cascade' }),
    conversationId: text('conversation_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.conversationId] })],
)

export const adoptionTeamManagers = pgTable(
  'adoption_team_managers',
  {
    teamId: integer('team_id')
      .notNull()
      .references(() => adoptionTeams.id, { onDelete: 'cascade' }),
    personId: text('person_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.personId] }), index('adoption_team_managers_person').on(t.personId)],
)

export const adoptionDepartments = pgTable(
  'adoption_departments',
  {
    workspaceId: text('workspace_id').notNull(),
    personId: text('person_id').notNull(),
    department: text('department').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.personId] })],
)

export const adoptionOptouts = pgTable(
  'adoption_optouts',
  {
    workspaceId: text('workspace_id').notNull(),
    personId: text('person_id').notNull(),
    at: at('at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.personId] })],
)

export const adoptionObjectives = pgTable(
  'adoption_objectives',
  {
    teamId: integer('team_id')
      .notNull()
      .references(() => adoptionTeams.id, { onDelete: 'cascade' }),
    metric: text('metric').notNull(),
    target: integer('target').notNull(),
    setBy: text('set_by').notNull(),
    setAt: at('set_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.metric] })],
)

export const adoptionNudgeClaims = pgTable(
  'adoption_nudge_claims',
  {
    workspaceId: text('workspace_id').notNull(),
    managerId: text('manager_id').notNull(),
    week: text('week').notNull(),
    at: at('at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.managerId, t.week] })],
)

export const adoptionNudges = pgTable(
  'adoption_nudges',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    workspaceId: text('workspace_id').notNull(),
    teamId: integer('team_id')
      .notNull()
      .references(() => adoptionTeams.id, { onDelete: 'cascade' }),
    managerId: text('manager_id').notNull(),
    week: text('week').notNull(),
    diagnoses: jsonb('diagnoses').$type<string[]>().notNull(),
    before: jsonb('before').$type<NudgeSnapshot>().notNull(),
    after: jsonb('after').$type<NudgeSnapshot>(),
    sentAt: at('sent_at').notNull(),
  },
  (t) => [uniqueIndex('adoption_nudges_once').on(t.teamId, t.managerId, t.week), index('adoption_nudges_ws').on(t.workspaceId, t.sentAt)],
)

export const adoptionNudgePrefs = pgTable(
  'adoption_nudge_prefs',
  {
    workspaceId: text('workspace_id').notNull(),
    personId: text('person_id').notNull(),
    muted: boolean('muted').notNull().default(false),
    snoozedUntil: at('snoozed_until'),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.personId] })],
)
