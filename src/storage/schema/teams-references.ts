import { sqliteTable, text, integer, primaryKey, index } from 'drizzle-orm/sqlite-core'

/**
 * Bot Framework ConversationReferences, one per Teams conversation (personal chat, group chat or
 * channel) Beacon has been installed in or has heard from. Proactive messages (reminders, nudges,
 * job posts) need them: Teams only lets a bot write where it has a reference. Removed on uninstall.
 */
export const teamsReferences = sqliteTable(
  'teams_references',
  {
    /** "teams:<tenant id>". */
    workspaceId: text('workspace_id').notNull(),
    /** Conversation id without the ";messageid=" suffix. */
    conversationId: text('conversation_id').notNull(),
    kind: text('kind', { enum: ['personal', 'channel', 'groupChat'] }).notNull(),
    /** For personal chats: the person (AAD object id) the chat is with. */
    personId: text('person_id'),
    /** For channels: the team's id (its General channel id), to drop every channel on uninstall. */
    teamId: text('team_id'),
    /** For channels: the team's Microsoft 365 group id, which Graph calls the team id. */
    groupId: text('group_id'),
    /** For channels: Teams' membershipType ("standard", "private", "shared"); private and shared channels have their own members. */
    membershipType: text('membership_type'),
    /** The ConversationReference as JSON (serviceUrl, bot, conversation, tenant). */
    reference: text('reference').notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
    /**
     * Why Beacon can no longer post here (e.g. "BotNotInConversationRoster"), set when the Bot
     * Connector refused for good; cleared by the next activity from the conversation.
     */
    unreachableReason: text('unreachable_reason'),
    unreachableAt: integer('unreachable_at', { mode: 'timestamp_ms' }),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.conversationId] }),
    index('teams_references_person').on(t.workspaceId, t.personId),
    index('teams_references_team').on(t.workspaceId, t.teamId),
  ],
)

/**
 * Beacon names people by AAD object id (stable across Bot Framework and Graph); the Bot Connector
 * wants the "29:…" id to open a 1:1 chat. This maps one to the other.
 */
export const teamsUsers = sqliteTable(
  'teams_users',
  {
    workspaceId: text('workspace_id').notNull(),
    /** AAD object id (Beacon's person id). */
    personId: text('person_id').notNull(),
    /** Bot Framework user id ("29:…"). */
    botUserId: text('bot_user_id').notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
    /** Why no 1:1 chat could be opened (the person never installed Beacon, blocked it…); cleared when they write to Beacon. */
    unreachableReason: text('unreachable_reason'),
    unreachableAt: integer('unreachable_at', { mode: 'timestamp_ms' }),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.personId] }), index('teams_users_bot_user').on(t.workspaceId, t.botUserId)],
)

/**
 * Team → Microsoft 365 group id (what Graph calls the team id). Only installation events carry
 * `channelData.team.aadGroupId`, and only for the channel they happen in, so it is kept per team;
 * a team Beacon never saw installed is looked up once through the Bot Connector's team details.
 */
export const teamsTeams = sqliteTable(
  'teams_teams',
  {
    workspaceId: text('workspace_id').notNull(),
    /** The team's id (its General channel's conversation id, "19:…@thread.tacv2"). */
    teamId: text('team_id').notNull(),
    groupId: text('group_id').notNull(),
    name: text('name'),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.teamId] })],
)
