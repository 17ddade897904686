/**
 * The core's ChatPlatform over the Slack Web API. Token per workspace comes from SlackClients;
 * names, privacy and membership from the SlackDirectory caches.
 */
import { z } from 'zod'
import { BeaconError } from '../../src/core/errors.ts'
import type { ChatMessage, Conversation, ConversationRef, MessageRef, Person, WorkspaceId } from '../../src/core/model.ts'
import type { Card, Outbound } from '../../src/core/outbound.ts'
import type { ChatPlatform, PlatformCapabilities, PostTarget, WorkspaceStanding } from '../../src/core/ports.ts'
import { decodeThreadId, type ThreadId } from '../../src/core/thread-id.ts'
import type { SlackDirectory } from './people-cache.ts'
import { renderHome, renderMessage } from './render-block-kit.ts'
import type { SlackClients } from './slack-clients.ts'
import { conversationRef, slackMessage, slackThreadId, toChatMessage } from './translate-message.ts'

const posted = z.object({ ts: z.string().optional(), message_ts: z.string().optional(), channel: z.string().optional() })
const opened = z.object({ channel: z.object({ id: z.string() }) })
const repliesPage = z.object({ messages: z.array(slackMessage).default([]) })
const permalinkAnswer = z.object({ permalink: z.string().optional() })
const lookedUp = z.object({ user: z.object({ id: z.string(), deleted: z.boolean().optional(), is_bot: z.boolean().optional() }) })
const slackErrorOf = (err: unknown): string | undefined => (err as { data?: { error?: unknown } } | undefined)?.data?.error as string | undefined
type SlackMsg = z.infer<typeof slackMessage>
const KEPT_SUBTYPES = new Set(['thread_broadcast', 'file_share', 'me_message', 'bot_message'])

/** "slack:T123" → "T123"; any other platform's workspace is a bug in the caller. */
export function teamIdOf(workspace: WorkspaceId): string {
  if (!workspace.startsWith('slack:')) throw new BeaconError('bad_input', `not a Slack workspace: ${workspace}`)
  return workspace.slice('slack:'.length)
}

export class SlackPlatform implements ChatPlatform {
  readonly name = 'slack' as const
  readonly caps: PlatformCapabilities = { reactions: true, ephemeral: true, modals: true, home: true }

  constructor(
    private readonly clients: SlackClients,
    private readonly directory: SlackDirectory,
  ) {}

  async post(target: PostTarget, m: Outbound): Promise<MessageRef> {
    if ('dmTo' in target) {
      const teamId = teamIdOf(target.dmTo.workspace)
      const { client } = await this.clients.forTeam(teamId)
      const { channel } = opened.parse(await client.conversations.open({ users: target.dmTo.id }))
      return this.postIn(teamId, conversationRef(teamId, channel.id, { privacy: 'direct' }), undefined, { ...m, visibleTo: undefined })
    }
    const teamId = teamIdOf(target.conversation.workspace)
    const threadTs = target.threadId ? decodeThreadId(target.threadId).rootId : undefined
    return this.postIn(teamId, target.conversation, threadTs, m)
  }

  private async postIn(teamId: string, conversation: ConversationRef, threadTs: string | undefined, m: Outbound): Promise<MessageRef> {
    const { client } = await this.clients.forTeam(teamId)
    const body = { channel: conversation.id, ...renderMessage(m), ...(threadTs ? { thread_ts: threadTs } : {}) }
    const r = posted.parse(
      m.visibleTo ? await client.chat.postEphemeral({ ...body, user: m.visibleTo }) : await client.chat.postMessage({ ...body, unfurl_links: false }),
    )
    const ts = r.ts ?? r.message_ts
    if (!ts) throw new BeaconError('platform_error', 'Slack did not return the posted message ts')
    return { conversation, id: ts, threadId: slackThreadId(teamId, conversation.id, threadTs ?? ts) }
  }

  async update(ref: MessageRef, m: Outbound): Promise<void> {
    const { client } = await this.clients.forTeam(teamIdOf(ref.conversation.workspace))
    await client.chat.update({ channel: ref.conversation.id, ts: ref.id, ...renderMessage(m) })
  }

  /** Every page of conversations.replies, root first, without our own bot's notes or system messages. */
  async fetchThread(thread: ThreadId): Promise<ChatMessage[]> {
    const t = decodeThreadId(thread)
    const { client, auth } = await this.clients.forTeam(t.workspaceExternalId)
    const conversation = conversationRef(t.workspaceExternalId, t.conversationId)
    const byTs = new Map<string, SlackMsg>()
    for await (const page of client.paginate('conversations.replies', { channel: t.conversationId, ts: t.rootId, limit: 200 })) {
      // Slack repeats the root at the top of every page; the map keeps one copy.
      for (const m of repliesPage.parse(page).messages) byTs.set(m.ts, m)
    }
    const root = byTs.get(t.rootId)
    const replies = [...byTs.values()].filter((m) => m.ts !== t.rootId).sort((a, b) => Number(a.ts) - Number(b.ts))
    // Other bots' replies can be the useful part of a thread (alerts, CI); Beacon's own notes and join/topic noise are not.
    const ours = (m: SlackMsg) => (auth.botUserId !== undefined && m.user === auth.botUserId) || (auth.botId !== undefined && m.bot_id === auth.botId)
    const system = (m: SlackMsg) => m.subtype !== undefined && !KEPT_SUBTYPES.has(m.subtype)
    const keep = [...(root ? [root] : []), ...replies.filter((m) => !ours(m) && !system(m))]
    const names = this.directory.names(t.workspaceExternalId)
    return Promise.all(keep.map((m) => toChatMessage(t.workspaceExternalId, conversation, { ...m, thread_ts: t.rootId }, names)))
  }

  /** conversations.replies with ts = the message returns that message; its thread_ts names the thread. */
  async threadOf(conversation: ConversationRef, messageId: string): Promise<ThreadId> {
    const teamId = teamIdOf(conversation.workspace)
    const { client } = await this.clients.forTeam(teamId)
    const { messages } = repliesPage.parse(await client.conversations.replies({ channel: conversation.id, ts: messageId, limit: 1, inclusive: true }))
    const m = messages.find((x) => x.ts === messageId) ?? messages[0]
    return slackThreadId(teamId, conversation.id, m?.thread_ts ?? messageId)
  }

  isMember(workspace: WorkspaceId, personId: string, conversationId: string): Promise<boolean> {
    return this.directory.isMember(teamIdOf(workspace), personId, conversationId)
  }

  getPerson(workspace: WorkspaceId, personId: string): Promise<Person | undefined> {
    return this.directory.person(teamIdOf(workspace), personId)
  }

  getConversation(workspace: WorkspaceId, conversationId: string): Promise<Conversation | undefined> {
    return this.directory.conversation(teamIdOf(workspace), conversationId)
  }

  workspaceStanding(workspace: WorkspaceId, personId: string): Promise<WorkspaceStanding> {
    return this.directory.standing(teamIdOf(workspace), personId)
  }

  /** users.lookupByEmail (scope users:read.email); "users_not_found" and deactivated accounts are nobody. */
  async findPersonByEmail(workspace: WorkspaceId, email: string): Promise<string | undefined> {
    const { client } = await this.clients.forTeam(teamIdOf(workspace))
    try {
      const { user } = lookedUp.parse(await client.users.lookupByEmail({ email }))
      return user.deleted || user.is_bot ? undefined : user.id
    } catch (err) {
      if (slackErrorOf(err) === 'users_not_found') return undefined
      throw err
    }
  }

  async permalink(ref: MessageRef): Promise<string | undefined> {
    const { client } = await this.clients.forTeam(teamIdOf(ref.conversation.workspace))
    try {
      return permalinkAnswer.parse(await client.chat.getPermalink({ channel: ref.conversation.id, message_ts: ref.id })).permalink
    } catch {
      return undefined // a deleted message or a channel we left: no link, not an error
    }
  }

  async publishHome(workspace: WorkspaceId, personId: string, card: Card): Promise<void> {
    const { client } = await this.clients.forTeam(teamIdOf(workspace))
    await client.views.publish({ user_id: personId, view: renderHome(card) })
  }
}
