/**
 * Teams activity → core events, without botbuilder: plain activity JSON (validated by
 * `activitySchema`) in, the core's InboundEvent out, like Slack's translate-events.ts. The bot
 * (bot.ts) adds only what needs the network or the store: remembering references, confirming
 * @mentioned people through the roster, dispatching.
 */
import { z } from 'zod'
import type { InboundEvent } from '../../src/core/events.ts'
import type { ThreadId } from '../../src/core/thread-id.ts'
import { capMessage, MESSAGE_MAX_CHARS } from './html-to-markdown.ts'
import { chatMessageOf, parseCommand, personOf, plainText, threadIdOf, timestampOf, type TeamsActivity, type Where } from './translate-activity.ts'

const mentionEntity = z.looseObject({
  type: z.string(),
  text: z.string().optional(),
  mentioned: z.looseObject({ id: z.string(), name: z.string().optional() }).optional(),
})

export interface Mention {
  id: string
  name?: string
  /** Exactly as it appears in the activity text, e.g. "<at>Dana Scully</at>". */
  text: string
}

/** The activity's @mention entities (botbuilder's TurnContext.getMentions, on plain JSON). */
export function mentionsOf(a: TeamsActivity): Mention[] {
  const out: Mention[] = []
  for (const e of a.entities ?? []) {
    if (e.type.toLowerCase() !== 'mention') continue
    const m = mentionEntity.safeParse(e)
    if (m.success && m.data.mentioned)
      out.push({ id: m.data.mentioned.id, ...(m.data.mentioned.name ? { name: m.data.mentioned.name } : {}), text: m.data.text ?? '' })
  }
  return out
}

/** The text with Beacon's own @mention taken out, as botbuilder's removeRecipientMention does (the first one). */
export function withoutBotMention(a: TeamsActivity): string {
  const own = mentionsOf(a).find((m) => m.id === a.recipient.id)
  return own ? (a.text ?? '').replace(own.text, '').trim() : (a.text ?? '')
}

function base(a: TeamsActivity, where: Where, eventId: string, now: Date) {
  return { eventId, workspace: where.workspace, platform: 'teams' as const, at: timestampOf(a, now) }
}

/** A message, read: meant for Beacon (a command) or just said in the conversation. */
export interface ReadMessage {
  /** In a personal chat every message is meant for Beacon; elsewhere only an @mention is. */
  addressed: boolean
  /** Plain text, Beacon's mention removed, capped. */
  text: string
  /** The same bounded start with its markup, where people's mentions are read from. */
  raw: string
  eventId: string
  /** Channel messages: the thread it is in (or starts). */
  inThread?: ThreadId
}

/** undefined for what is not a person's message (Beacon's own, a card submit without text). */
export function readMessage(a: TeamsActivity, where: Where): ReadMessage | undefined {
  if (!a.id || a.from.id === a.recipient.id || (a.text === undefined && a.value !== undefined)) return undefined
  const mentioned = mentionsOf(a).some((m) => m.id === a.recipient.id)
  const full = mentioned ? withoutBotMention(a) : (a.text ?? '')
  const inThread = where.kind === 'channel' ? threadIdOf(where, where.rootId ?? a.id) : undefined
  return {
    addressed: where.kind === 'personal' || mentioned,
    text: capMessage(full, plainText),
    raw: full.slice(0, MESSAGE_MAX_CHARS),
    eventId: `${where.conversation.id}|${a.id}`,
    ...(inThread ? { inThread } : {}),
  }
}

/** A message meant for Beacon → its command; `text` is the message with people's mentions resolved (default: as read). */
export function commandEvent(a: TeamsActivity, where: Where, m: ReadMessage, now: Date, text = m.text): InboundEvent {
  const cmd = parseCommand(text) ?? { command: 'beacon' as const, text: m.text }
  return {
    ...base(a, where, m.eventId, now),
    type: 'command',
    ...cmd,
    person: personOf(a, where),
    conversation: where.conversation,
    ...(m.inThread ? { threadId: m.inThread } : {}),
  }
}

export function postedEvent(a: TeamsActivity, where: Where, m: ReadMessage, now: Date): InboundEvent {
  return { ...base(a, where, m.eventId, now), type: 'message.posted', message: chatMessageOf(a, where, timestampOf(a, now)) }
}

export function editedEvent(a: TeamsActivity & { id: string }, where: Where, now: Date): InboundEvent {
  const at = timestampOf(a, now)
  const message = { ...chatMessageOf(a, where, at), editedAt: at }
  return { ...base(a, where, `${where.conversation.id}|${a.id}|edit|${at.getTime()}`, now), type: 'message.edited', message }
}

export function deletedEvent(a: TeamsActivity & { id: string }, where: Where, now: Date): InboundEvent {
  return {
    ...base(a, where, `${where.conversation.id}|${a.id}|delete`, now),
    type: 'message.deleted',
    conversation: where.conversation,
    messageId: a.id,
    threadId: threadIdOf(where, where.rootId ?? a.id),
  }
}

/** Beacon itself was removed: the team was deleted, or Beacon is among the members removed. */
export function beaconRemoved(a: TeamsActivity): boolean {
  const eventType = a.channelData?.eventType
  return eventType === 'teamDeleted' || eventType === 'teamHardDeleted' || (a.membersRemoved?.some((m) => m.id === a.recipient.id) ?? false)
}

/** People who joined a team channel or group chat (not Beacon; personal chats have no joins). */
export function joinedEvents(a: TeamsActivity, where: Where, now: Date): { member: { id: string; aadObjectId?: string }; event: InboundEvent }[] {
  if (where.kind === 'personal') return []
  return (a.membersAdded ?? [])
    .filter((m) => m.id !== a.recipient.id)
    .map((m) => {
      const person = { workspace: where.workspace, id: m.aadObjectId ?? m.id, ...(m.name ? { displayName: m.name } : {}) }
      const event: InboundEvent = {
        ...base(a, where, `${where.conversation.id}|joined|${m.id}|${a.id ?? ''}`, now),
        type: 'member.joined',
        person,
        conversation: where.conversation,
      }
      return { member: m, event }
    })
}

/** installationUpdate: 'removed', an install (an event), or nothing ("add-upgrade" is a new version, not a new install). */
export function installationEvent(a: TeamsActivity, where: Where, now: Date): 'removed' | InboundEvent | undefined {
  if (a.action?.startsWith('remove')) return 'removed'
  if (a.action !== 'add') return undefined
  return {
    ...base(a, where, `${where.conversation.id}|installed|${a.id ?? timestampOf(a, now).getTime()}`, now),
    type: 'app.installed',
    installer: personOf(a, where),
    conversation: where.conversation,
  }
}
