import { BeaconError } from '../../../src/core/errors.ts'
import type { ChatMessage, Conversation, ConversationRef, MessageRef, Person, Privacy, WorkspaceId } from '../../../src/core/model.ts'
import type { Outbound } from '../../../src/core/outbound.ts'
import type { ChatPlatform, PlatformCapabilities, PostTarget } from '../../../src/core/ports.ts'
import { decodeThreadId, encodeThreadId, type ThreadId } from '../../../src/core/thread-id.ts'

export const WS = 'slack:T1'
export const OTHER_WS = 'slack:T2'
export const BOT_ID = 'UBEACON'

interface Channel extends Conversation {
  members: Set<string>
}

/**
 * An in-memory Slack-like workspace (or several): channels with members, threads, people. It pages
 * thread reads like the real APIs (PAGE messages per call) and records every call Beacon makes.
 */
export class FakePlatform implements ChatPlatform {
  readonly name = 'slack' as const
  readonly caps: PlatformCapabilities = { reactions: true, ephemeral: true, modals: true, home: true }
  static readonly PAGE = 100

  readonly people = new Map<string, Person>()
  readonly channels = new Map<string, Channel>()
  readonly threads = new Map<ThreadId, ChatMessage[]>()
  readonly posts: { target: PostTarget; message: Outbound; ref: MessageRef }[] = []
  readonly calls = { fetchThread: 0, pages: 0, isMember: 0, threadOf: 0, getPerson: 0 }
  /** Make post() fail this many times (to test retries). */
  failPosts = 0
  private clock = Date.UTC(2024, 3, 5, 9, 0, 0)
  private seq = 0

  person(workspace: WorkspaceId, id: string, displayName: string, isBot = false): Person {
    const p = { workspace, id, displayName, timezone: 'UTC', isBot }
    this.people.set(`${workspace}|${id}`, p)
    return p
  }

  channel(workspace: WorkspaceId, id: string, name: string, privacy: Privacy, members: string[] = []): ConversationRef {
    this.channels.set(`${workspace}|${id}`, { workspace, id, name, privacy, members: new Set(members) })
    return { workspace, id, name, privacy }
  }

  join(workspace: WorkspaceId, channelId: string, personId: string, member = true): void {
    const c = this.channels.get(`${workspace}|${channelId}`)!
    if (member) c.members.add(personId)
    else c.members.delete(personId)
  }

  /** Post a message as a person: a new root, or a reply when `thread` is given. */
  say(conv: ConversationRef, authorId: string, text: string, thread?: ThreadId, extra: Partial<ChatMessage> = {}): ChatMessage {
    const id = `${1712300000 + ++this.seq}.000100`
    const threadId =
      thread ?? encodeThreadId({ platform: 'slack', workspaceExternalId: conv.workspace.split(':')[1]!, conversationId: conv.id, rootId: id })
    const p = this.people.get(`${conv.workspace}|${authorId}`)
    this.clock += 60_000
    const m: ChatMessage = {
      id,
      threadId,
      conversation: { workspace: conv.workspace, id: conv.id },
      // Like Slack events, authors carry only an id; Beacon looks the name up.
      author: { workspace: conv.workspace, id: authorId, ...(p?.isBot ? { isBot: true } : {}) },
      text,
      at: new Date(this.clock),
      ...extra,
    }
    const list = this.threads.get(threadId) ?? []
    list.push(m)
    this.threads.set(threadId, list)
    return m
  }

  edit(m: ChatMessage, text: string): ChatMessage {
    m.text = text
    m.editedAt = new Date((this.clock += 1000))
    return m
  }

  remove(m: ChatMessage): void {
    const list = this.threads.get(m.threadId) ?? []
    const i = list.indexOf(m)
    if (i >= 0) list.splice(i, 1)
  }

  async post(target: PostTarget, message: Outbound): Promise<MessageRef> {
    if (this.failPosts > 0) {
      this.failPosts--
      throw new BeaconError('platform_error', 'post failed (fake)')
    }
    let ref: MessageRef
    if ('dmTo' in target) {
      ref = { conversation: { workspace: target.dmTo.workspace, id: `D-${target.dmTo.id}` }, id: `dm-${++this.seq}`, threadId: '' }
    } else if (target.threadId && !message.visibleTo) {
      // A visible thread reply becomes part of the thread, as on Slack.
      const m = this.say(target.conversation, BOT_ID, message.text, target.threadId)
      ref = { conversation: target.conversation, id: m.id, threadId: target.threadId }
    } else {
      ref = { conversation: target.conversation, id: `eph-${++this.seq}`, threadId: target.threadId ?? '' }
    }
    this.posts.push({ target, message, ref })
    return ref
  }

  async update(): Promise<void> {}

  async fetchThread(thread: ThreadId): Promise<ChatMessage[]> {
    this.calls.fetchThread++
    const all = this.threads.get(thread)
    if (!all || all.length === 0) throw new BeaconError('not_found', 'thread_not_found')
    const root = decodeThreadId(thread).rootId
    if (all[0]!.id !== root) throw new BeaconError('not_found', 'thread_not_found')
    // Cursor pagination, as conversations.replies does it.
    const out: ChatMessage[] = []
    for (let cursor = 0; cursor < all.length; cursor += FakePlatform.PAGE) {
      this.calls.pages++
      out.push(...all.slice(cursor, cursor + FakePlatform.PAGE).map((m) => ({ ...m, author: { ...m.author } })))
    }
    return out
  }

  async threadOf(conversation: ConversationRef, messageId: string): Promise<ThreadId> {
    this.calls.threadOf++
    for (const [id, list] of this.threads) {
      if (list.some((m) => m.id === messageId && m.conversation.id === conversation.id && m.conversation.workspace === conversation.workspace))
        return id
    }
    throw new BeaconError('not_found', 'message_not_found')
  }

  async isMember(workspace: WorkspaceId, personId: string, conversationId: string): Promise<boolean> {
    this.calls.isMember++
    return this.channels.get(`${workspace}|${conversationId}`)?.members.has(personId) ?? false
  }

  async getPerson(workspace: WorkspaceId, personId: string): Promise<Person | undefined> {
    this.calls.getPerson++
    return this.people.get(`${workspace}|${personId}`)
  }

  async getConversation(workspace: WorkspaceId, conversationId: string): Promise<Conversation | undefined> {
    const c = this.channels.get(`${workspace}|${conversationId}`)
    return c && { workspace: c.workspace, id: c.id, name: c.name, privacy: c.privacy }
  }

  async permalink(ref: MessageRef): Promise<string | undefined> {
    return `https://example.slack.com/archives/${ref.conversation.id}/p${ref.id.replace('.', '')}`
  }
}
