/**
 * A Slack message object (from an event, a shortcut payload or conversations.replies) as the
 * core's ChatMessage. Shared by event translation and ChatPlatform.fetchThread.
 */
import { z } from 'zod'
import { workspaceId, type ChatMessage, type ConversationRef, type Privacy } from '../../src/core/model.ts'
import { encodeThreadId, type ThreadId } from '../../src/core/thread-id.ts'
import { slackToBeaconText, type NameResolver } from './translate-text.ts'

export const slackMessage = z.looseObject({
  type: z.string().optional(),
  subtype: z.string().optional(),
  ts: z.string(),
  thread_ts: z.string().optional(),
  user: z.string().optional(),
  bot_id: z.string().optional(),
  text: z.string().optional(),
  edited: z.object({ ts: z.string() }).optional(),
  files: z.array(z.looseObject({ name: z.string().optional(), title: z.string().optional(), permalink: z.string().optional() })).optional(),
})
export type SlackMessage = z.infer<typeof slackMessage>

/** Subtypes that are a person writing; every other subtype (joins, topic changes, bots) is not. */
const HUMAN_SUBTYPES = new Set([undefined, 'thread_broadcast', 'file_share', 'me_message'])

/** Not a person: another bot, our own bot, or a system message. */
export function isFromBotOrSystem(m: SlackMessage, ourBotUserId?: string): boolean {
  return !HUMAN_SUBTYPES.has(m.subtype) || m.bot_id !== undefined || !m.user || (ourBotUserId !== undefined && m.user === ourBotUserId)
}

/** Slack ts "1712345678.000200" → Date (millisecond precision is all a Date holds). */
export function tsToDate(ts: string): Date {
  return new Date(Math.round(Number(ts) * 1000))
}

export function slackThreadId(teamId: string, channel: string, rootTs: string): ThreadId {
  return encodeThreadId({ platform: 'slack', workspaceExternalId: teamId, conversationId: channel, rootId: rootTs })
}

/** channel_type of message events → privacy, without an API call. */
export function privacyFromChannelType(t: string | undefined): Privacy | undefined {
  if (t === 'channel') return 'public'
  if (t === 'group') return 'private'
  if (t === 'im' || t === 'mpim') return 'direct'
  return undefined
}

export function conversationRef(
  teamId: string,
  channel: string,
  extra: { name?: string | undefined; privacy?: Privacy | undefined } = {},
): ConversationRef {
  return {
    workspace: workspaceId('slack', teamId),
    id: channel,
    ...(extra.name ? { name: extra.name } : {}),
    ...(extra.privacy ? { privacy: extra.privacy } : {}),
  }
}

export async function toChatMessage(teamId: string, conversation: ConversationRef, m: SlackMessage, names: NameResolver): Promise<ChatMessage> {
  const author = m.user ?? m.bot_id ?? 'unknown'
  const authorName = m.user ? await names.personName(m.user).catch(() => undefined) : undefined
  const attachments = (m.files ?? []).filter((f) => f.permalink).map((f) => ({ name: f.title ?? f.name ?? 'file', url: f.permalink! }))
  return {
    id: m.ts,
    threadId: slackThreadId(teamId, conversation.id, m.thread_ts ?? m.ts),
    conversation,
    author: {
      workspace: workspaceId('slack', teamId),
      id: author,
      ...(authorName ? { displayName: authorName } : {}),
      ...(m.user ? {} : { isBot: true }),
    },
    text: await slackToBeaconText(m.text ?? '', names),
    at: tsToDate(m.ts),
    ...(m.edited ? { editedAt: tsToDate(m.edited.ts) } : {}),
    ...(attachments.length ? { attachments } : {}),
  }
}
