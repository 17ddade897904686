import { index, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core'
import { at } from './columns.ts'

/** PostgreSQL twin of src/storage/schema/teams-references.ts; the ConversationReference is jsonb here. */
export const teamsReferences = pgTable(
  'teams_references',
  {
    workspaceId: text('workspace_id').notNull(),
    conversationId: text('conversation_id').notNull(),
    kind: text('kind', { enum: ['personal', 'channel', 'groupChat'] }).notNull(),
    personId: text('person_id'),
    teamId: text('team_id'),
    groupId: text('group_id'),
    membershipType: text('membership_type'),
    reference: jsonb('reference').notNull(),
    updatedAt: at('updated_at').notNull(),
    unreachableReason: text('unreachable_reason'),
    unreachableAt: at('unreachable_at'),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.conversationId] }),
    index('teams_references_person').on(t.workspaceId, t.personId),
    index('teams_references_team').on(t.workspaceId, t.teamId),
  ],
)

export const teamsUsers = pgTable(
  'teams_users',
  {
    workspaceId: text('workspace_id').notNull(),
    personId: text('person_id').notNull(),
    botUserId: text('bot_user_id').notNull(),
    updatedAt: at('updated_at').notNull(),
    unreachableReason: text('unreachable_reason'),
    unreachableAt: at('unreachable_at'),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.personId] }), index('teams_users_bot_user').on(t.workspaceId, t.botUserId)],
)

export const teamsTeams = pgTable(
  'teams_teams',
  {
    workspaceId: text('workspace_id').notNull(),
    teamId: text('team_id').notNull(),
    groupId: text('group_id').notNull(),
    name: text('name'),
    updatedAt: at('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.teamId] })],
)
