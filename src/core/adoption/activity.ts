/**
 * Turning what happens in chat into activity events: who, what kind, where, when — never the text.
 * Bots and direct conversations are left out; the rollup is updated in the same write.
 */
import type { MessagePosted, ReactionAdded } from '../events.ts'
import { decodeThreadId } from '../thread-id.ts'
import type { AdoptionContext } from './deps.ts'
import type { ActivityKind } from './types.ts'
import type { WorkspaceId } from '../model.ts'

/** A fact other features' domain events report (knowledge saves, tasks, kudos; see subscriptions.ts). */
export interface ActivityInput {
  workspace: WorkspaceId
  personId: string
  kind: ActivityKind
  /** Where it happened; without one it counts for the workspace but for no team. */
  conversationId?: string
  at?: Date
  targetPersonId?: string
  /** Makes repeated reports of the same fact count once, e.g. "task:42:done". */
  key?: string
}

export type RecordActivity = (input: ActivityInput) => Promise<boolean>

export function activityRecorder(ctx: AdoptionContext): RecordActivity {
  // A bot's activity is not counted: record() checks the people table in the same write.
  return async (i) =>
    ctx.activity.record({
      workspace: i.workspace,
      conversationId: i.conversationId ?? '',
      personId: i.personId,
      kind: i.kind,
      at: i.at ?? ctx.clock.now(),
      ...(i.targetPersonId ? { targetPersonId: i.targetPersonId } : {}),
      ...(i.key ? { sourceKey: i.key } : {}),
    })
}

/**
 * The delivery's own key, so a replay counts nothing twice: a process killed after the activity
 * committed but before its inbox row was marked done replays the delivery. The conversation is part
 * of it because a Teams activity id is only unique within its conversation.
 */
function deliveryKey(e: { eventId: string }, conversationId: string): string {
  return `ev:${conversationId}:${e.eventId}`
}

function isRoot(threadId: string, messageId: string): boolean {
  try {
    return decodeThreadId(threadId).rootId === messageId
  } catch {
    return true
  }
}

export async function onMessagePosted(ctx: AdoptionContext, e: MessagePosted): Promise<void> {
  const m = e.message
  // A known bot without the platform's flag is left out by record() (the people table, in the same write).
  if (m.author.isBot || m.conversation.privacy === 'direct') return
  await ctx.activity.record({
    workspace: e.workspace,
    conversationId: m.conversation.id,
    personId: m.author.id,
    kind: isRoot(m.threadId, m.id) ? 'message' : 'reply',
    at: m.at,
    threadId: m.threadId,
    sourceKey: deliveryKey(e, m.conversation.id),
  })
}

/**
 * Reaction events do not say where they happened (Slack's reaction_added has a channel id only), so
 * the platform is asked; a DM or a conversation it cannot place is not channel activity.
 */
async function privacyOf(ctx: AdoptionContext, e: ReactionAdded): Promise<string | undefined> {
  if (e.conversation.privacy) return e.conversation.privacy
  try {
    return (await ctx.platforms.forWorkspace(e.workspace).getConversation(e.workspace, e.conversation.id))?.privacy
  } catch (err) {
    ctx.log.warn({ err, conversation: e.conversation.id }, 'could not tell where a reaction happened; not counted')
    return undefined
  }
}

export async function onReactionAdded(ctx: AdoptionContext, e: ReactionAdded): Promise<void> {
  if (e.person.isBot) return
  const privacy = await privacyOf(ctx, e)
  if (privacy === undefined || privacy === 'direct') return
  await ctx.activity.record({
    workspace: e.workspace,
    conversationId: e.conversation.id,
    personId: e.person.id,
    kind: 'reaction',
    at: e.at,
    sourceKey: deliveryKey(e, e.conversation.id),
    ...(e.messageAuthor && !e.messageAuthor.isBot ? { targetPersonId: e.messageAuthor.id } : {}),
  })
}
