/**
 * The platform-neutral model every capability works with. Ids are the platform's own ids as
 * strings; a workspace id is prefixed with its platform ("slack:T123", "teams:<tenant>",
 * "shell:local") so data from two platforms or two workspaces can never collide.
 */
export type Platform = 'slack' | 'teams' | 'shell'

/** "slack:T123", "teams:<tenant id>", "shell:local". Every stored row is scoped by one. */
export type WorkspaceId = string

export function workspaceId(platform: Platform, externalId: string): WorkspaceId {
  return `${platform}:${externalId}`
}

export function platformOf(workspace: WorkspaceId): Platform {
  const p = workspace.slice(0, workspace.indexOf(':'))
  if (p === 'slack' || p === 'teams' || p === 'shell') return p
  throw new Error(`not a workspace id: ${workspace}`)
}

export interface PersonRef {
  workspace: WorkspaceId
  /** Slack user id, Teams AAD object id (or Bot Framework user id), shell user name. */
  id: string
  displayName?: string
  isBot?: boolean
}

export type Privacy = 'public' | 'private' | 'direct'

export interface ConversationRef {
  workspace: WorkspaceId
  /** Slack channel id, Teams conversation id without the ";messageid=" suffix, shell channel. */
  id: string
  name?: string
  privacy?: Privacy
}

/** A file or link attached to a message; kept as a link, never copied. */
export interface Attachment {
  name: string
  url: string
}

/** One message of a conversation, as read from the platform. */
export interface ChatMessage {
  /** Slack ts, Teams message id, shell sequence number. */
  id: string
  /** The thread this message belongs to (itself, when it is a root). */
  threadId: string
  conversation: ConversationRef
  author: PersonRef
  /** Text in Beacon's markdown subset (see outbound.ts) with mentions still as platform tokens resolved by the adapter. */
  text: string
  at: Date
  editedAt?: Date
  attachments?: Attachment[]
  permalink?: string
}

/** Where a message lives, enough to update it later. */
export interface MessageRef {
  conversation: ConversationRef
  id: string
  threadId: string
}

export interface Person {
  workspace: WorkspaceId
  id: string
  displayName: string
  /** IANA zone, e.g. "Europe/Paris". */
  timezone: string
  isBot: boolean
  /** From the platform profile when configured (Slack: SLACK_DEPARTMENT_FIELD); read by adoption analytics. */
  department?: string
}

export interface Conversation {
  workspace: WorkspaceId
  id: string
  name: string
  privacy: Privacy
}

export interface Workspace {
  id: WorkspaceId
  platform: Platform
  name: string
}
