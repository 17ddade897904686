import { sql } from 'drizzle-orm'
import { sqliteTable, text, integer, primaryKey, index, uniqueIndex } from 'drizzle-orm/sqlite-core'

/**
 * Adoption analytics: activity without content. A raw event says who did what kind of thing, where
 * and when — never what was written. Raw events are kept for the retention period (default 13
 * months) and then purged; `adoption_daily` is the incremental rollup every metric is computed from.
 */
export const adoptionEvents = sqliteTable(
  'adoption_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    workspaceId: text('workspace_id').notNull(),
    conversationId: text('conversation_id').notNull(),
    personId: text('person_id').notNull(),
    kind: text('kind').notNull(),
    /** The other person of a reaction or kudos (links across departments); null when unknown. */
    targetPersonId: text('target_person_id'),
    /** Thread id of a message or reply, so a reply can be linked to the author of its root. */
    threadId: text('thread_id'),
    /** Idempotency key: "task:42:created" for hook-fed events, "ev:<conversation>:<delivery id>" for messages and reactions. */
    sourceKey: text('source_key'),
    at: integer('at', { mode: 'timestamp_ms' }).notNull(),
    /** UTC day "YYYY-MM-DD" of `at`. */
    day: text('day').notNull(),
  },
  (t) => [
    index('adoption_events_at').on(t.at),
    index('adoption_events_ws_day').on(t.workspaceId, t.day),
    // A day's replies and kudos with every column links() reads (migration 0025).
    index('adoption_events_links')
      .on(t.workspaceId, t.day, t.kind, t.conversationId, t.personId, t.targetPersonId, t.threadId)
      .where(sql`${t.kind} in ('reply', 'kudos_given')`),
    index('adoption_events_person').on(t.workspaceId, t.personId),
    // Kind and person too: links() finds a reply's root author from the index alone.
    index('adoption_events_thread').on(t.workspaceId, t.threadId, t.kind, t.personId),
    uniqueIndex('adoption_events_source').on(t.workspaceId, t.sourceKey),
  ],
)

/** Counts per workspace, UTC day, person, conversation and kind, upserted as each event arrives. */
export const adoptionDaily = sqliteTable(
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

/**
 * Counts per workspace, ISO week (its Monday), conversation, person and kind: the daily rollup
 * summed by week, bumped in the same write. A team's week is then one index range (workspace,
 * week, its channels), so its figures cost that week's rows, however long the history. Created
 * WITHOUT ROWID (migration 0023, which drizzle cannot express): the key range holds the counts.
 */
export const adoptionWeekly = sqliteTable(
  'adoption_weekly',
  {
    workspaceId: text('workspace_id').notNull(),
    /** Monday (UTC day) of the ISO week. */
    week: text('week').notNull(),
    conversationId: text('conversation_id').notNull(),
    personId: text('person_id').notNull(),
    kind: text('kind').notNull(),
    count: integer('count').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.week, t.conversationId, t.personId, t.kind] }),
    // Person first: with workspace first, SQLite would pick it for a team's week (GROUP BY person)
    // and walk the workspace's whole history instead of the week's range of the primary key.
    index('adoption_weekly_person').on(t.personId, t.workspaceId),
  ],
)

/**
 * The first ISO week (Monday) each person did something (not merely being thanked) in each
 * conversation: "new in the team" without reading the whole history. Kept equal to the minimum
 * over `adoption_weekly` (purge and opt-out recompute or delete it).
 */
export const adoptionFirstSeen = sqliteTable(
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
    // A person's first week in a team: their rows in week order, the channel in the index too.
    index('adoption_first_seen_first').on(t.workspaceId, t.personId, t.week, t.conversationId),
  ],
)

/** A team: a named set of channels with managers, per workspace. */
export const adoptionTeams = sqliteTable(
  'adoption_teams',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    workspaceId: text('workspace_id').notNull(),
    name: text('name').notNull(),
    /** Lower-cased name, unique per workspace. */
    nameKey: text('name_key').notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [uniqueIndex('adoption_teams_name').on(t.workspaceId, t.nameKey)],
)

export const adoptionTeamChannels = sqliteTable(
  'adoption_team_channels',
  {
    teamId: integer('team_id')
      .notNull()
      .references(() => adoptionTeams.id, { onDelete: 'cascade' }),
    conversationId: text('conversation_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.conversationId] })],
)

export const adoptionTeamManagers = sqliteTable(
  'adoption_team_managers',
  {
    teamId: integer('team_id')
      .notNull()
      .references(() => adoptionTeams.id, { onDelete: 'cascade' }),
    personId: text('person_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.personId] }), index('adoption_team_managers_person').on(t.personId)],
)

/** person → department, from DEPARTMENTS_FILE; workspace "*" applies to that person id everywhere. */
export const adoptionDepartments = sqliteTable(
  'adoption_departments',
  {
    workspaceId: text('workspace_id').notNull(),
    personId: text('person_id').notNull(),
    department: text('department').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.personId] })],
)

/** People who asked (`/beacon privacy optout`) to be left out of analytics. */
export const adoptionOptouts = sqliteTable(
  'adoption_optouts',
  {
    workspaceId: text('workspace_id').notNull(),
    personId: text('person_id').notNull(),
    at: integer('at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.personId] })],
)

/** `/beacon goal <metric> <target>`: one target per team and metric. */
export const adoptionObjectives = sqliteTable(
  'adoption_objectives',
  {
    teamId: integer('team_id')
      .notNull()
      .references(() => adoptionTeams.id, { onDelete: 'cascade' }),
    metric: text('metric').notNull(),
    target: integer('target').notNull(),
    setBy: text('set_by').notNull(),
    setAt: integer('set_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.metric] })],
)

/**
 * One row per manager and ISO week: claimed before the nudge DM is sent (at most one a week per
 * manager, even if the job runs twice), released if the send fails.
 */
export const adoptionNudgeClaims = sqliteTable(
  'adoption_nudge_claims',
  {
    workspaceId: text('workspace_id').notNull(),
    managerId: text('manager_id').notNull(),
    week: text('week').notNull(),
    at: integer('at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.managerId, t.week] })],
)

/** What a nudge said about a team, with the team's numbers that week and two weeks later. */
export const adoptionNudges = sqliteTable(
  'adoption_nudges',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    workspaceId: text('workspace_id').notNull(),
    teamId: integer('team_id')
      .notNull()
      .references(() => adoptionTeams.id, { onDelete: 'cascade' }),
    managerId: text('manager_id').notNull(),
    week: text('week').notNull(),
    diagnoses: text('diagnoses').notNull(),
    /** JSON: { activePeople, contributions } of the week the nudge was about. */
    before: text('before').notNull(),
    /** JSON, filled once the week two weeks later is complete. */
    after: text('after'),
    sentAt: integer('sent_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [uniqueIndex('adoption_nudges_once').on(t.teamId, t.managerId, t.week), index('adoption_nudges_ws').on(t.workspaceId, t.sentAt)],
)

/** A manager's snooze / mute of nudges. */
export const adoptionNudgePrefs = sqliteTable(
  'adoption_nudge_prefs',
  {
    workspaceId: text('workspace_id').notNull(),
    personId: text('person_id').notNull(),
    muted: integer('muted', { mode: 'boolean' }).notNull().default(false),
    snoozedUntil: integer('snoozed_until', { mode: 'timestamp_ms' }),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.personId] })],
)
