/**
 * Stores only an adapter needs (the core never reads them), kept behind interfaces so the adapter
 * does not know which database backs them: SQLite (src/storage/repositories) or PostgreSQL.
 * Methods may answer directly or with a promise (`Awaitable`); callers await either.
 */
import type { Awaitable } from './adapter-host.ts'
import type { WorkspaceId } from './model.ts'

/** One row of a Slack OAuth installation; `secret` is sealed by the adapter before it gets here. */
export interface SlackInstallationRow {
  /** The team id, or the enterprise id for an org-wide install. */
  key: string
  teamId: string | null
  enterpriseId: string | null
  isEnterpriseInstall: boolean
  botUserId: string | null
  /** base64(iv | tag | ciphertext) of the Installation JSON. */
  secret: string
  installedAt: Date
  updatedAt: Date
}

export interface SlackInstallationRepository {
  upsert(row: Omit<SlackInstallationRow, 'installedAt' | 'updatedAt'>, at?: Date): Promise<void>
  get(key: string): Promise<SlackInstallationRow | undefined>
  /** Replaces the sealed secret only if it is still `was` (another process may have re-sealed or reinstalled). */
  reseal(key: string, was: string, secret: string): Promise<void>
  /** True when a row was removed. */
  remove(key: string): Promise<boolean>
}

export type TeamsConversationKind = 'personal' | 'channel' | 'groupChat'

export interface StoredTeamsReference {
  workspace: WorkspaceId
  conversationId: string
  kind: TeamsConversationKind
  personId?: string
  teamId?: string
  /** The team's Microsoft 365 group id (Graph's team id). */
  groupId?: string
  /** Channels: "standard", "private" or "shared" as Teams said; absent when it never said. */
  membershipType?: string
  /** The Bot Framework ConversationReference, opaque here; the Teams adapter validates it on read. */
  reference: unknown
  /** Set when the Bot Connector refused to deliver here for good (e.g. "BotNotInConversationRoster"). */
  unreachable?: { reason: string; at: Date }
}

/** Where the Teams adapter can reach people and conversations proactively, and what it learnt about teams and users. */
export interface TeamsReferenceRepository {
  upsert(r: StoredTeamsReference): Awaitable<void>
  /** The Bot Connector refused to deliver to this conversation for good: remember why. */
  markUnreachable(workspace: WorkspaceId, conversationId: string, reason: string, at: Date): Awaitable<void>
  /** Team → Microsoft 365 group id, learnt from installation events or the Bot Connector's team details. */
  rememberTeam(workspace: WorkspaceId, teamId: string, groupId: string, name?: string): Awaitable<void>
  groupIdOfTeam(workspace: WorkspaceId, teamId: string): Awaitable<string | undefined>
  /** Distinct teams of a tenant Beacon has a channel reference in (roster lookups for mentions). */
  teamsOf(workspace: WorkspaceId): Awaitable<{ teamId: string; conversationId: string }[]>
  get(workspace: WorkspaceId, conversationId: string): Awaitable<StoredTeamsReference | undefined>
  personal(workspace: WorkspaceId, personId: string): Awaitable<StoredTeamsReference | undefined>
  latest(workspace: WorkspaceId): Awaitable<StoredTeamsReference | undefined>
  remove(workspace: WorkspaceId, conversationId: string): Awaitable<void>
  /** Team channels and group chats Beacon is still in (personal chats do not count). */
  placesLeft(workspace: WorkspaceId): Awaitable<number>
  removeTeam(workspace: WorkspaceId, teamId: string): Awaitable<number>
  rememberUser(workspace: WorkspaceId, personId: string, botUserId: string): Awaitable<void>
  markUserUnreachable(workspace: WorkspaceId, personId: string, botUserId: string, reason: string, at: Date): Awaitable<void>
  userUnreachable(workspace: WorkspaceId, personId: string): Awaitable<{ reason: string; at: Date } | undefined>
  botUserId(workspace: WorkspaceId, personId: string): Awaitable<string | undefined>
  personIdForBotUser(workspace: WorkspaceId, botUserId: string): Awaitable<string | undefined>
}
