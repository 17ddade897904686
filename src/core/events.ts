import type { ChatMessage, ConversationRef, PersonRef, Platform, WorkspaceId } from './model.ts'
import type { ThreadId } from './thread-id.ts'

/** The words a person can type; identical on every platform. */
export const COMMANDS = ['kb', 'task', 'kudos', 'beacon', 'help'] as const
export type CommandName = (typeof COMMANDS)[number]

/** Message shortcuts (Slack callback ids) / message-extension actions (Teams command ids). */
export const MESSAGE_ACTIONS = ['save_to_knowledge', 'create_task'] as const
export type MessageActionName = (typeof MESSAGE_ACTIONS)[number]

interface EventBase {
  /** The platform's id for this delivery, identical on retries; each is processed once. */
  eventId: string
  workspace: WorkspaceId
  platform: Platform
  at: Date
}

export interface MessagePosted extends EventBase {
  type: 'message.posted'
  message: ChatMessage
}

export interface MessageEdited extends EventBase {
  type: 'message.edited'
  /** The message as it reads now. */
  message: ChatMessage
}

export interface MessageDeleted extends EventBase {
  type: 'message.deleted'
  conversation: ConversationRef
  messageId: string
  threadId: ThreadId
}

interface ReactionChanged extends EventBase {
  /** Platform-neutral name without colons, e.g. "bookmark". */
  reaction: string
  person: PersonRef
  conversation: ConversationRef
  messageId: string
  /** Unknown on Slack (reaction events carry no thread_ts): look it up with ChatPlatform.threadOf. */
  threadId?: ThreadId
  messageAuthor?: PersonRef
}

export interface ReactionAdded extends ReactionChanged {
  type: 'reaction.added'
}

export interface ReactionRemoved extends ReactionChanged {
  type: 'reaction.removed'
}

export interface CommandInvoked extends EventBase {
  type: 'command'
  command: CommandName
  /** Everything after the command word, trimmed. */
  text: string
  person: PersonRef
  conversation: ConversationRef
  threadId?: ThreadId
}

export interface MessageActionInvoked extends EventBase {
  type: 'message.action'
  action: MessageActionName
  person: PersonRef
  message: ChatMessage
}

export interface ButtonClicked extends EventBase {
  type: 'button'
  actionId: string
  value?: string
  person: PersonRef
  conversation?: ConversationRef
  /** The message that carried the button, when there is one (not for App Home). */
  source?: { conversation: ConversationRef; messageId: string; threadId: ThreadId }
}

export interface FormSubmitted extends EventBase {
  type: 'form.submitted'
  formId: string
  values: Record<string, string>
  context?: string
  person: PersonRef
}

export interface AppInstalled extends EventBase {
  type: 'app.installed'
  installer?: PersonRef
  conversation?: ConversationRef
}

export interface AppUninstalled extends EventBase {
  type: 'app.uninstalled'
}

export interface MemberJoined extends EventBase {
  type: 'member.joined'
  person: PersonRef
  conversation: ConversationRef
}

/**
 * A conversation became private or public (Slack: message subtype channel_convert_to_private /
 * _public). Whatever was saved from it is re-classified at once.
 */
export interface ConversationPrivacyChanged extends EventBase {
  type: 'conversation.privacy-changed'
  conversation: ConversationRef & { privacy: 'public' | 'private' }
}

export interface HomeOpened extends EventBase {
  type: 'home.opened'
  person: PersonRef
}

export type InboundEvent =
  | MessagePosted
  | MessageEdited
  | MessageDeleted
  | ReactionAdded
  | ReactionRemoved
  | CommandInvoked
  | MessageActionInvoked
  | ButtonClicked
  | FormSubmitted
  | AppInstalled
  | AppUninstalled
  | MemberJoined
  | ConversationPrivacyChanged
  | HomeOpened

export type EventType = InboundEvent['type']
export type EventOf<T extends EventType> = Extract<InboundEvent, { type: T }>
