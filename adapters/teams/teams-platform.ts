/**
 * The core's ChatPlatform on Teams. Everything outbound is proactive (continueConversationAsync on
 * a stored ConversationReference), so jobs can post hours after the activity that taught Beacon
 * where to write.
 */
import { type CloudAdapter, TeamsInfo } from './botbuilder.ts'
import type { AdapterHost } from '../../src/core/adapter-host.ts'
import type { StoredTeamsReference } from '../../src/core/adapter-stores.ts'
import { BeaconError } from '../../src/core/errors.ts'
import type { ChatMessage, Conversation, MessageRef, Person, PersonRef, WorkspaceId } from '../../src/core/model.ts'
import type { Outbound } from '../../src/core/outbound.ts'
import type { ChatPlatform, PlatformCapabilities, PostTarget, WorkspaceStanding } from '../../src/core/ports.ts'
import { decodeThreadId, encodeThreadId, type ThreadId } from '../../src/core/thread-id.ts'
import { ConnectorError } from './connector-transport.ts'
import type { GraphClient, ThreadMessage } from './graph-client.ts'
import type { Reference, TeamsDirectory } from './references.ts'
import { renderMessage } from './render-adaptive-card.ts'
import { conversationUndeliverable, permanentRefusal, personUndeliverable, runProactive } from './proactive.ts'
import { openPersonalChat } from './personal-chats.ts'
import type { RosterEmails } from './roster-emails.ts'
import type { TeamGroups } from './team-groups.ts'

const MEMBER_TTL_MS = 60_000

export class TeamsPlatform implements ChatPlatform {
  readonly name = 'teams' as const
  readonly caps: PlatformCapabilities = { reactions: false, ephemeral: false, modals: true, home: false }
  private readonly members = new Map<string, { member: boolean; at: number }>()
  /** Private and shared channels: their own members (AAD object ids), from Graph. */
  private readonly channelRosters = new Map<string, { ids: Set<string>; at: number }>()

  constructor(
    private readonly host: AdapterHost,
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
    private readonly directory: TeamsDirectory,
    private readonly graph: GraphClient,
    private readonly teamGroups: TeamGroups,
    private readonly rosterEmails: RosterEmails,
  ) {}

  async post(target: PostTarget, m: Outbound): Promise<MessageRef> {
    if ('dmTo' in target) return this.dm(target.dmTo, m)
    const found = await this.directory.reference(target.conversation.workspace, target.conversation.id)
    if (!found) throw new BeaconError('not_found', `Beacon is not installed in Teams conversation ${target.conversation.id}`)
    // No ephemeral messages on Teams: something only one person may see goes to them privately.
    if (m.visibleTo !== undefined && found.stored.kind !== 'personal')
      return this.dm({ workspace: target.conversation.workspace, id: m.visibleTo }, m)
    const root = target.threadId && found.stored.kind === 'channel' ? decodeThreadId(target.threadId).rootId : undefined
    const id = await this.deliver(target.conversation.workspace, found, () => this.send(withThread(found.ref, root), m))
    return {
      conversation: target.conversation,
      id,
      threadId: this.threadId(target.conversation.workspace, target.conversation.id, found.stored.kind === 'channel' ? (root ?? id) : id),
    }
  }

  async update(ref: MessageRef, m: Outbound): Promise<void> {
    const found = await this.directory.reference(ref.conversation.workspace, ref.conversation.id)
    if (!found) throw new BeaconError('not_found', `Beacon is not installed in Teams conversation ${ref.conversation.id}`)
    const root = found.stored.kind === 'channel' ? decodeThreadId(ref.threadId).rootId : undefined
    await this.deliver(ref.conversation.workspace, found, () =>
      runProactive(this.adapter, this.appId, withThread(found.ref, root), async (tc) => {
        await tc.updateActivity({ ...renderMessage(m), id: ref.id })
      }),
    )
  }

  /**
   * Runs a delivery to a stored conversation. One Teams has refused for good fails at once, without
   * calling Teams again, until an activity from there shows Beacon is back (which clears the mark).
   */
  private async deliver<T>(workspace: WorkspaceId, found: { stored: StoredTeamsReference }, work: () => Promise<T>): Promise<T> {
    const refused = async (reason: string, cause?: unknown) => {
      const s = found.stored
      if (s.kind === 'personal' && s.personId)
        return personUndeliverable((await this.getPerson(workspace, s.personId))?.displayName ?? 'this person', reason, cause)
      return conversationUndeliverable(
        (await this.host.repos.conversations.get(workspace, s.conversationId))?.name ?? 'that conversation',
        reason,
        cause,
      )
    }
    if (found.stored.unreachable) throw await refused(found.stored.unreachable.reason)
    try {
      return await work()
    } catch (err) {
      const reason = permanentRefusal(err)
      if (!reason) throw err
      await this.directory.markUnreachable(workspace, found.stored.conversationId, reason, this.host.clock.now())
      this.host.log.warn({ conversationId: found.stored.conversationId, reason }, 'teams refused a proactive message for good; not retrying')
      throw await refused(reason, err)
    }
  }

  async fetchThread(thread: ThreadId): Promise<ChatMessage[]> {
    const t = decodeThreadId(thread)
    if (t.platform !== 'teams') throw new BeaconError('bad_thread_id', `not a Teams thread: ${thread}`)
    const workspace: WorkspaceId = `teams:${t.workspaceExternalId}`
    const found = await this.directory.reference(workspace, t.conversationId)
    const kind = found?.stored.kind ?? (t.conversationId.startsWith('19:') && t.conversationId.includes('@thread') ? 'channel' : 'groupChat')
    let messages: ThreadMessage[]
    const groupId = kind === 'channel' && found ? await this.groupIdOf(workspace, found) : undefined
    if (kind === 'channel') {
      if (!groupId) throw new BeaconError('not_found', `no Microsoft 365 group id known for ${t.conversationId}`)
      messages = await this.graph.channelThread(t.workspaceExternalId, groupId, t.conversationId, t.rootId)
    } else {
      messages = await this.graph.chatMessage(t.workspaceExternalId, t.conversationId, t.rootId)
    }
    const conv = await this.host.repos.conversations.get(workspace, t.conversationId)
    const conversation = { workspace, id: t.conversationId, ...(conv ? { name: conv.name, privacy: conv.privacy } : {}) }
    const out: ChatMessage[] = []
    for (const x of messages) {
      await this.learnPerson(workspace, x)
      out.push({
        id: x.id,
        threadId: thread,
        conversation,
        author: { workspace, id: x.authorId, displayName: x.authorName, isBot: x.isBot },
        text: x.text,
        at: x.at,
        ...(x.editedAt ? { editedAt: x.editedAt } : {}),
        ...(x.attachments.length ? { attachments: x.attachments } : {}),
        permalink: x.webUrl ?? this.deepLink(t.conversationId, x.id, t.workspaceExternalId, kind === 'channel' ? groupId : undefined, t.rootId),
      })
    }
    return out
  }

  /**
   * Teams message actions say which thread a message is in, so this is only reached without that
   * hint; a channel message is then taken as its own thread's root.
   */
  async threadOf(conversation: { workspace: WorkspaceId; id: string }, messageId: string): Promise<ThreadId> {
    return this.threadId(conversation.workspace, conversation.id, messageId)
  }

  /** The channel's team's group id: on the reference (installed here), per team, or from the Bot Connector. */
  private async groupIdOf(workspace: WorkspaceId, found: { stored: StoredTeamsReference; ref: Reference }): Promise<string | undefined> {
    if (found.stored.groupId) return found.stored.groupId
    const teamId = found.stored.teamId
    return teamId ? this.teamGroups.groupIdOf(workspace, teamId, found.ref) : undefined
  }

  async isMember(workspace: WorkspaceId, personId: string, conversationId: string): Promise<boolean> {
    const key = `${workspace} ${conversationId} ${personId}`
    const hit = this.members.get(key)
    if (hit && Date.now() - hit.at < MEMBER_TTL_MS) return hit.member
    const found = await this.directory.reference(workspace, conversationId)
    if (!found) return false // fail closed: Beacon cannot check a conversation it is not in
    if (found.stored.kind === 'channel' && found.stored.membershipType !== 'standard') {
      // Private and shared channels have their own members, which the Bot Connector does not know
      // (it answers with the team's roster); Graph does. Channels whose type Teams never told us
      // are asked the same way, which is right for every type.
      const member = await this.channelMember(workspace, found.stored.groupId, conversationId, personId)
      if (this.members.size > 5_000) this.members.clear()
      this.members.set(key, { member, at: Date.now() })
      return member
    }
    let member = false
    await runProactive(this.adapter, this.appId, found.ref, async (tc) => {
      try {
        await TeamsInfo.getMember(tc, personId)
        member = true
      } catch (err) {
        if (statusOf(err) !== 404) throw err
      }
    })
    if (this.members.size > 5_000) this.members.clear()
    this.members.set(key, { member, at: Date.now() })
    return member
  }

  private async channelMember(workspace: WorkspaceId, groupId: string | undefined, channelId: string, personId: string): Promise<boolean> {
    if (!groupId) return false // fail closed: without the team's group id Graph cannot be asked
    const key = `${workspace} ${channelId}`
    let hit = this.channelRosters.get(key)
    if (!hit || Date.now() - hit.at >= MEMBER_TTL_MS) {
      hit = { ids: await this.graph.channelMembers(workspace.slice('teams:'.length), groupId, channelId), at: Date.now() }
      if (this.channelRosters.size > 1_000) this.channelRosters.clear()
      this.channelRosters.set(key, hit)
    }
    return hit.ids.has(personId)
  }

  /**
   * Teams has no workspace-wide admin flag Beacon can read (a team owner owns one team, not the
   * tenant's Beacon), so `admin` is always false and admins come from BEACON_ADMINS: the roster entry
   * gives the email (or UPN) such a list may name. Asked in the person's own chat, else in any
   * conversation Beacon is in; undefined when none knows them.
   */
  async workspaceStanding(workspace: WorkspaceId, personId: string): Promise<WorkspaceStanding | undefined> {
    const latest = await this.directory.repo.latest(workspace)
    const ref =
      (await this.directory.personal(workspace, personId)) ?? (latest && (await this.directory.reference(workspace, latest.conversationId))?.ref)
    let email: string | undefined
    let known = false
    if (ref)
      await this.adapter.continueConversationAsync(this.appId, ref, async (tc) => {
        try {
          const m = await TeamsInfo.getMember(tc, personId)
          known = true
          email = m.email ?? m.userPrincipalName
        } catch (err) {
          if (statusOf(err) !== 404) throw err
        }
      })
    // Not in the conversation asked (someone who never talked to Beacon): the rosters of its teams.
    if (!known) email = await this.rosterEmails.emailOf(workspace, personId)
    return known || email ? { admin: false, ...(email ? { email } : {}) } : undefined
  }

  /** From the rosters of the teams Beacon is in (roster-emails.ts): colleagues match before they ever use Beacon. */
  findPersonByEmail(workspace: WorkspaceId, email: string): Promise<string | undefined> {
    return this.rosterEmails.personWith(workspace, email)
  }

  getPerson(workspace: WorkspaceId, personId: string): Promise<Person | undefined> {
    return this.host.repos.people.get(workspace, personId)
  }

  getConversation(workspace: WorkspaceId, conversationId: string): Promise<Conversation | undefined> {
    return this.host.repos.conversations.get(workspace, conversationId)
  }

  async permalink(ref: MessageRef): Promise<string | undefined> {
    const tenant = ref.conversation.workspace.slice('teams:'.length)
    const found = await this.directory.reference(ref.conversation.workspace, ref.conversation.id)
    const root = decodeThreadId(ref.threadId).rootId
    const groupId =
      found?.stored.kind === 'channel'
        ? (found.stored.groupId ??
          (found.stored.teamId && (await this.directory.repo.groupIdOfTeam(ref.conversation.workspace, found.stored.teamId))))
        : undefined
    return this.deepLink(ref.conversation.id, ref.id, tenant, groupId || undefined, root)
  }

  /** https://teams.microsoft.com/l/message/{channelId}/{messageId}?tenantId=…&groupId=…&parentMessageId=… */
  private deepLink(conversationId: string, messageId: string, tenantId: string, groupId: string | undefined, rootId: string): string {
    const q = new URLSearchParams({ tenantId })
    if (groupId) {
      q.set('groupId', groupId)
      q.set('parentMessageId', rootId)
    } else q.set('context', JSON.stringify({ contextType: 'chat' }))
    return `https://teams.microsoft.com/l/message/${encodeURIComponent(conversationId)}/${encodeURIComponent(messageId)}?${q.toString()}`
  }

  private threadId(workspace: WorkspaceId, conversationId: string, rootId: string): ThreadId {
    return encodeThreadId({ platform: 'teams', workspaceExternalId: workspace.slice('teams:'.length), conversationId, rootId })
  }

  private async send(ref: Reference, m: Outbound): Promise<string> {
    let id = ''
    await runProactive(this.adapter, this.appId, ref, async (tc) => {
      // The continuation activity carries a random id that botbuilder would send as replyToId;
      // a proactive post replies to nothing, so it goes to {conversation}/activities.
      delete tc.activity.id
      id = (await tc.sendActivity(renderMessage({ text: m.text, ...(m.card ? { card: m.card } : {}) })))?.id ?? ''
    })
    return id
  }

  private async dm(person: PersonRef, m: Outbound): Promise<MessageRef> {
    const ws = person.workspace
    const existing = await this.directory.reference(ws, (await this.directory.repo.personal(ws, person.id))?.conversationId ?? '')
    if (existing) {
      const id = await this.deliver(ws, existing, () => this.send(existing.ref, m))
      const conversation = { workspace: ws, id: existing.ref.conversation.id, privacy: 'direct' as const }
      return { conversation, id, threadId: this.threadId(ws, existing.ref.conversation.id, id) }
    }
    const ref = await openPersonalChat({ host: this.host, adapter: this.adapter, appId: this.appId, directory: this.directory }, person)
    const id = await this.send(ref, m)
    const conversation = { workspace: ws, id: ref.conversation.id, privacy: 'direct' as const }
    return { conversation, id, threadId: this.threadId(ws, ref.conversation.id, id) }
  }

  private async learnPerson(workspace: WorkspaceId, x: ThreadMessage): Promise<void> {
    if (x.authorId === 'unknown') return
    const existing = await this.host.repos.people.get(workspace, x.authorId)
    if (existing?.displayName === x.authorName) return
    await this.host.repos.people.upsert({
      workspace,
      id: x.authorId,
      displayName: x.authorName,
      timezone: existing?.timezone ?? 'UTC',
      isBot: x.isBot,
    })
  }
}

function withThread(ref: Reference, rootId: string | undefined): Reference {
  return rootId ? { ...ref, conversation: { ...ref.conversation, id: `${ref.conversation.id};messageid=${rootId}` } } : ref
}

function statusOf(err: unknown): number | undefined {
  if (err instanceof ConnectorError) return err.statusCode
  if (typeof err !== 'object' || err === null) return undefined
  const e = err as { statusCode?: unknown; response?: { status?: unknown } }
  return typeof e.statusCode === 'number' ? e.statusCode : typeof e.response?.status === 'number' ? e.response.status : undefined
}
