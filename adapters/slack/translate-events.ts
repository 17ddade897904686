/**
 * Events API envelopes → core InboundEvents. Every field relied on is validated with zod: Bolt's
 * types describe what Slack usually sends, not what a given request contains.
 */
import { z } from 'zod'
import { COMMANDS, type CommandName, type InboundEvent } from '../../src/core/events.ts'
import { workspaceId, type PersonRef } from '../../src/core/model.ts'
import { unescapeSlack, type NameResolver } from './translate-text.ts'
import { conversationRef, isFromBotOrSystem, privacyFromChannelType, slackMessage, slackThreadId, toChatMessage } from './translate-message.ts'

/**
 * What every event handler relies on. Unknown keys are dropped and the event is checked, not copied:
 * each type's own schema below parses it (one copy of the event per delivery, not three).
 */
export const eventEnvelope = z.object({
  type: z.literal('event_callback'),
  team_id: z.string(),
  event_id: z.string(),
  event_time: z.number().optional(),
  event: z.custom<{ type: string; [k: string]: unknown }>(
    (v) => typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as { type?: unknown }).type === 'string',
    'an event object with a type',
  ),
})
export type EventEnvelope = z.infer<typeof eventEnvelope>

const messageEvent = slackMessage.extend({
  channel: z.string(),
  channel_type: z.string().optional(),
  message: slackMessage.optional(),
  previous_message: slackMessage.optional(),
  deleted_ts: z.string().optional(),
})

const reactionEvent = z.object({
  type: z.enum(['reaction_added', 'reaction_removed']),
  user: z.string(),
  reaction: z.string(),
  item_user: z.string().optional(),
  item: z.object({ type: z.string(), channel: z.string().optional(), ts: z.string().optional() }),
  event_ts: z.string(),
})

const mentionEvent = z.object({
  user: z.string().optional(),
  bot_id: z.string().optional(),
  text: z.string().default(''),
  ts: z.string(),
  thread_ts: z.string().optional(),
  channel: z.string(),
})

const homeEvent = z.object({ user: z.string(), channel: z.string().optional(), tab: z.string().optional() })
const joinEvent = z.object({ user: z.string(), channel: z.string(), channel_type: z.string().optional(), inviter: z.string().optional() })

/** Where an event-driven reply goes (chat.postMessage / postEphemeral), when there is a place. */
export interface ReplySpot {
  channel: string
  threadTs?: string
  /** threadTs is the event's own top-level message: its thread has no replies yet. */
  newThread?: boolean
}

export interface Translated {
  event: InboundEvent
  reply?: ReplySpot
}

export interface TranslateContext {
  teamId: string
  botUserId?: string
  names: NameResolver
}

function person(teamId: string, id: string): PersonRef {
  return { workspace: workspaceId('slack', teamId), id }
}

/** "<@UBOT> kb vacation policy" → command kb, text "vacation policy"; unknown words go to /beacon. */
export function mentionToCommand(text: string, botUserId?: string): { command: CommandName; text: string } {
  const bot = botUserId ? new RegExp(`<@${botUserId}(\\|[^>]*)?>`, 'g') : /^\s*<@[UW][A-Z0-9]+(\|[^>]*)?>/
  const rest = unescapeSlack(text.replace(bot, ' ')).replace(/ {2,}/g, ' ').trim()
  const [word = '', ...args] = rest.split(/\s+/)
  const w = word.toLowerCase().replace(/^\//, '')
  if ((COMMANDS as readonly string[]).includes(w)) return { command: w as CommandName, text: args.join(' ').trim() }
  return { command: 'beacon', text: rest }
}

/** Slack reports skin tones as "thumbsup::skin-tone-2"; Beacon cares about the reaction itself. */
export function reactionName(r: string): string {
  return r.replace(/::skin-tone-\d$/, '')
}

export async function translateEvent(env: EventEnvelope, t: TranslateContext): Promise<Translated | undefined> {
  const base = {
    eventId: env.event_id,
    workspace: workspaceId('slack', t.teamId),
    platform: 'slack' as const,
    at: env.event_time ? new Date(env.event_time * 1000) : new Date(),
  }
  const raw: unknown = env.event
  switch (env.event.type) {
    case 'message': {
      const e = messageEvent.parse(raw)
      const conv = conversationRef(t.teamId, e.channel, { privacy: privacyFromChannelType(e.channel_type) })
      if (e.subtype === 'channel_convert_to_private' || e.subtype === 'channel_convert_to_public') {
        const privacy = e.subtype === 'channel_convert_to_private' ? ('private' as const) : ('public' as const)
        return { event: { ...base, type: 'conversation.privacy-changed', conversation: { ...conversationRef(t.teamId, e.channel), privacy } } }
      }
      if (e.subtype === 'message_changed') {
        const m = e.message
        if (!m || isFromBotOrSystem(m, t.botUserId)) return undefined
        // Link unfurls also arrive as message_changed, with the text untouched: not an edit.
        if (!m.edited && m.text === e.previous_message?.text) return undefined
        const message = await toChatMessage(t.teamId, conv, m, t.names)
        return { event: { ...base, type: 'message.edited', message } }
      }
      if (e.subtype === 'message_deleted') {
        const prev = e.previous_message
        const ts = e.deleted_ts ?? prev?.ts
        if (!ts || (prev && isFromBotOrSystem(prev, t.botUserId))) return undefined
        const threadId = slackThreadId(t.teamId, e.channel, prev?.thread_ts ?? ts)
        return { event: { ...base, type: 'message.deleted', conversation: conv, messageId: ts, threadId } }
      }
      if (isFromBotOrSystem(e, t.botUserId)) return undefined
      const message = await toChatMessage(t.teamId, conv, e, t.names)
      return {
        event: { ...base, type: 'message.posted', message },
        reply: { channel: e.channel, threadTs: e.thread_ts ?? e.ts, ...(e.thread_ts ? {} : { newThread: true }) },
      }
    }
    case 'reaction_added':
    case 'reaction_removed': {
      const e = reactionEvent.parse(raw)
      if (e.item.type !== 'message' || !e.item.channel || !e.item.ts) return undefined
      if (t.botUserId && e.user === t.botUserId) return undefined
      return {
        event: {
          ...base,
          type: e.type === 'reaction_added' ? 'reaction.added' : 'reaction.removed',
          reaction: reactionName(e.reaction),
          person: person(t.teamId, e.user),
          conversation: conversationRef(t.teamId, e.item.channel),
          messageId: e.item.ts,
          ...(e.item_user ? { messageAuthor: person(t.teamId, e.item_user) } : {}),
        },
        // No thread_ts in reaction events: reply beside the reacted message's channel, not in a guessed thread.
        reply: { channel: e.item.channel },
      }
    }
    case 'app_mention': {
      const e = mentionEvent.parse(raw)
      if (!e.user || e.bot_id || e.user === t.botUserId) return undefined
      const { command, text } = mentionToCommand(e.text, t.botUserId)
      const rootTs = e.thread_ts ?? e.ts
      return {
        event: {
          ...base,
          type: 'command',
          command,
          text,
          person: person(t.teamId, e.user),
          conversation: conversationRef(t.teamId, e.channel),
          threadId: slackThreadId(t.teamId, e.channel, rootTs),
        },
        reply: { channel: e.channel, threadTs: rootTs, ...(e.thread_ts ? {} : { newThread: true }) },
      }
    }
    case 'app_home_opened': {
      const e = homeEvent.parse(raw)
      if (e.tab && e.tab !== 'home') return undefined
      return { event: { ...base, type: 'home.opened', person: person(t.teamId, e.user) }, ...(e.channel ? { reply: { channel: e.channel } } : {}) }
    }
    case 'member_joined_channel': {
      const e = joinEvent.parse(raw)
      const conversation = conversationRef(t.teamId, e.channel, {
        privacy: e.channel_type === 'G' ? 'private' : e.channel_type === 'C' ? 'public' : undefined,
      })
      if (t.botUserId && e.user === t.botUserId) {
        // Beacon itself was added to a channel: that is an install into that conversation.
        return {
          event: { ...base, type: 'app.installed', conversation, ...(e.inviter ? { installer: person(t.teamId, e.inviter) } : {}) },
          reply: { channel: e.channel },
        }
      }
      return { event: { ...base, type: 'member.joined', person: person(t.teamId, e.user), conversation }, reply: { channel: e.channel } }
    }
    case 'app_uninstalled':
      return { event: { ...base, type: 'app.uninstalled' } }
    default:
      return undefined
  }
}
