/**
 * Bot Framework activity → where it happened and who did it, in the core's terms. Pure functions on
 * the fields Beacon relies on, validated with zod, so a malformed activity is refused at the edge
 * instead of failing deep inside a capability.
 */
import { z } from 'zod'
import { COMMANDS, type CommandName } from '../../src/core/events.ts'
import { workspaceId, type ChatMessage, type ConversationRef, type PersonRef, type Privacy, type WorkspaceId } from '../../src/core/model.ts'
import { encodeThreadId, type ThreadId } from '../../src/core/thread-id.ts'
import { capMessage, decodeEntities, htmlToMarkdown, stripTags } from './html-to-markdown.ts'

const account = z.looseObject({ id: z.string().min(1), name: z.string().optional(), aadObjectId: z.string().optional() })

/** The envelope every activity must have before botbuilder sees it (checked on the raw HTTP body). */
export const activityEnvelope = z.looseObject({
  type: z.string().min(1),
  id: z.string().optional(),
  serviceUrl: z.url({ protocol: /^https?$/ }),
  channelId: z.string().min(1),
  from: account,
  recipient: account,
  conversation: z.looseObject({ id: z.string().min(1) }),
})

export const activitySchema = activityEnvelope.extend({
  name: z.string().optional(),
  timestamp: z.union([z.string(), z.date()]).optional(),
  localTimezone: z.string().optional(),
  text: z.string().optional(),
  replyToId: z.string().optional(),
  action: z.string().optional(),
  value: z.unknown().optional(),
  attachments: z
    .array(
      z.looseObject({ contentType: z.string(), content: z.unknown().optional(), contentUrl: z.string().optional(), name: z.string().optional() }),
    )
    .optional(),
  entities: z.array(z.looseObject({ type: z.string() })).optional(),
  conversation: z.looseObject({
    id: z.string().min(1),
    conversationType: z.string().optional(),
    tenantId: z.string().optional(),
    name: z.string().optional(),
  }),
  channelData: z
    .looseObject({
      tenant: z.looseObject({ id: z.string() }).optional(),
      team: z.looseObject({ id: z.string(), name: z.string().optional(), aadGroupId: z.string().optional() }).optional(),
      channel: z.looseObject({ id: z.string(), name: z.string().optional(), membershipType: z.string().optional() }).optional(),
      eventType: z.string().optional(),
    })
    .optional(),
  membersAdded: z.array(account).optional(),
  membersRemoved: z.array(account).optional(),
})
export type TeamsActivity = z.infer<typeof activitySchema>

export type ConversationKind = 'personal' | 'channel' | 'groupChat'

/** Everything about where an activity happened that the core and the reference store need. */
export interface Where {
  workspace: WorkspaceId
  tenantId: string
  kind: ConversationKind
  conversation: ConversationRef & { name: string; privacy: Privacy }
  /** Thread root from the conversation id's ";messageid=" part, when the activity is in one. */
  rootId?: string
  teamId?: string
  /** The team's Microsoft 365 group id (Graph's team id). */
  groupId?: string
  teamName?: string
  channelName?: string
  /** Channels: "standard", "private" or "shared" (channelData.channel.membershipType). */
  membershipType?: string
}

/** Teams appends ";messageid=<root>" to a channel conversation id inside a thread. */
export function splitConversationId(id: string): { base: string; rootId?: string } {
  const i = id.indexOf(';messageid=')
  return i < 0 ? { base: id } : { base: id.slice(0, i), rootId: id.slice(i + ';messageid='.length) }
}

export function tenantOf(a: TeamsActivity): string {
  // The Emulator sends no tenant; its traffic lands in one local workspace.
  return a.conversation.tenantId ?? a.channelData?.tenant?.id ?? 'emulator'
}

export function whereOf(a: TeamsActivity): Where {
  const tenantId = tenantOf(a)
  const ws = workspaceId('teams', tenantId)
  const { base, rootId } = splitConversationId(a.conversation.id)
  const type = a.conversation.conversationType
  const kind: ConversationKind = type === 'channel' ? 'channel' : type === 'groupChat' ? 'groupChat' : 'personal'
  const cd = a.channelData
  // Beacon's "public" means everyone in the workspace (tenant) may read it. Even a standard Teams
  // channel is readable only by its team's members, so every channel is membership-checked.
  const privacy: Privacy = kind === 'personal' ? 'direct' : 'private'
  // The General channel arrives without a name; its id equals the team id.
  const channelName = cd?.channel ? (cd.channel.name ?? (cd.channel.id === cd.team?.id ? 'General' : undefined)) : undefined
  const name =
    kind === 'channel'
      ? [cd?.team?.name, channelName].filter(Boolean).join(' › ') || base
      : kind === 'groupChat'
        ? a.conversation.name || 'Group chat'
        : `Chat with ${a.from.name ?? 'Beacon'}`
  return {
    workspace: ws,
    tenantId,
    kind,
    conversation: { workspace: ws, id: base, name, privacy },
    ...(rootId ? { rootId } : {}),
    ...(cd?.team?.id ? { teamId: cd.team.id } : {}),
    ...(cd?.team?.aadGroupId ? { groupId: cd.team.aadGroupId } : {}),
    ...(cd?.team?.name ? { teamName: cd.team.name } : {}),
    ...(channelName ? { channelName } : {}),
    ...(kind === 'channel' && cd?.channel?.membershipType ? { membershipType: cd.channel.membershipType.toLowerCase() } : {}),
  }
}

/** Beacon names people by AAD object id when Teams gives one: Graph uses the same id. */
export function personOf(a: TeamsActivity, where: Where): PersonRef {
  return {
    workspace: where.workspace,
    id: a.from.aadObjectId ?? a.from.id,
    ...(a.from.name ? { displayName: a.from.name } : {}),
  }
}

export function threadIdOf(where: Where, rootId: string): ThreadId {
  return encodeThreadId({ platform: 'teams', workspaceExternalId: where.tenantId, conversationId: where.conversation.id, rootId })
}

export function timestampOf(a: TeamsActivity, fallback: Date): Date {
  const t = a.timestamp instanceof Date ? a.timestamp : a.timestamp ? new Date(a.timestamp) : undefined
  return t && !Number.isNaN(t.getTime()) ? t : fallback
}

/** IANA zone from the activity or its clientInfo entity (Teams sends one or the other). */
export function timezoneOf(a: TeamsActivity): string | undefined {
  const fromEntity = a.entities?.find((e) => e.type === 'clientInfo')?.timezone
  const tz = a.localTimezone ?? (typeof fromEntity === 'string' ? fromEntity : undefined)
  if (!tz) return undefined
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz })
    return tz
  } catch {
    return undefined
  }
}

/** Teams' <at>Name</at> mention markup (and stray tags/entities) → "@Name" plain text. */
export function plainText(text: string): string {
  return decodeEntities(stripTags(text))
    .replace(/\u00a0/g, ' ')
    .trim()
}

/** "kb foo", "/task bar" → the command; anything else → undefined. */
export function parseCommand(text: string): { command: CommandName; text: string } | undefined {
  const m = /^\/?([a-z]+)(?:\s+([\s\S]*))?$/i.exec(text.trim())
  const word = m?.[1]?.toLowerCase()
  if (!m || !word || !(COMMANDS as readonly string[]).includes(word)) return undefined
  return { command: word as CommandName, text: (m[2] ?? '').trim() }
}

/** The message body: Teams' HTML rendition when attached (keeps links and formatting), else the text. */
export function messageText(a: TeamsActivity): string {
  const html = a.attachments?.find((x) => x.contentType === 'text/html' && typeof x.content === 'string')?.content
  return typeof html === 'string' ? capMessage(html, htmlToMarkdown) : capMessage(a.text ?? '', plainText)
}

export function chatMessageOf(a: TeamsActivity, where: Where, at: Date): ChatMessage {
  const id = a.id ?? ''
  const files = (a.attachments ?? []).filter((x) => x.contentUrl && x.contentType !== 'text/html')
  return {
    id,
    threadId: threadIdOf(where, where.rootId ?? id),
    conversation: { workspace: where.workspace, id: where.conversation.id, name: where.conversation.name, privacy: where.conversation.privacy },
    author: personOf(a, where),
    text: messageText(a),
    at,
    ...(files.length ? { attachments: files.map((f) => ({ name: f.name ?? 'attachment', url: f.contentUrl! })) } : {}),
  }
}
