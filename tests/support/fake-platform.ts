/**
 * The one ChatPlatform core tests use: an in-memory Slack-like workspace (or several) with people,
 * channels and their members, threads, and a record of everything Beacon posts. It answers like the
 * real adapters (adapters/slack/slack-platform.ts, adapters/teams/teams-platform.ts):
 *
 * - a channel the platform does not know: posting there, reading its threads or placing a message
 *   in it fails with `not_found` (Slack's channel_not_found; Teams has no reference to post with);
 *   `isMember` is false (Teams fails closed; Slack's error is read as "not a member" by the core);
 *   `getConversation` and `permalink` are undefined (Slack's getPermalink fails, which it swallows);
 * - a DM reaches anyone (deactivated accounts are not modelled);
 * - a message the platform has not seen in a known channel is its own thread's root (what
 *   conversations.replies answers for a message without replies);
 * - thread reads page like conversations.replies (PAGE messages a call) and miss with `not_found`.
 *
 * Failures to exercise retries: `failPosts` (the next n posts) and `failFor` (posts to a person,
 * thread or conversation id).
 */
import { BeaconError } from '../../src/core/errors.ts'
import type { ChatMessage, Conversation, ConversationRef, MessageRef, Person, Privacy, WorkspaceId } from '../../src/core/model.ts'
import type { Outbound } from '../../src/core/outbound.ts'
import type { ChatPlatform, PlatformCapabilities, PostTarget } from '../../src/core/ports.ts'
import { decodeThreadId, encodeThreadId, type ThreadId } from '../../src/core/thread-id.ts'

/** Beacon's own user id in the fake workspaces: its visible thread replies are authored by it. */
export const BOT_ID = 'UBEACON'

export interface Posted {
  target: PostTarget
  message: Outbound
  ref: MessageRef
}

interface Channel extends Conversation {
  members: Set<string>
}

export interface FakePlatformOptions {
  name?: 'slack' | 'shell'
  caps?: Partial<PlatformCapabilities>
  /** Known to the platform from the start (more with `person()`). */
  people?: readonly Person[]
}

const key = (workspace: WorkspaceId, id: string) => `${workspace}|${id}`

export class FakePlatform implements ChatPlatform {
  readonly name: 'slack' | 'shell'
  readonly caps: PlatformCapabilities
  static readonly PAGE = 100

  readonly people = new Map<string, Person>()
  readonly channels = new Map<string, Channel>()
  readonly threads = new Map<ThreadId, ChatMessage[]>()
  readonly posts: Posted[] = []
  readonly updates: { ref: MessageRef; message: Outbound }[] = []
  readonly calls = { fetchThread: 0, pages: 0, isMember: 0, threadOf: 0, getPerson: 0 }
  /** Posts to these people (or threads, or conversations) fail, to exercise retries. */
  readonly failFor = new Set<string>()
  /** The next this-many posts fail, whoever they are for. */
  failPosts = 0
  private clock = Date.UTC(2024, 3, 5, 9, 0, 0)
  private seq = 0

  constructor(opts: FakePlatformOptions = {}) {
    this.name = opts.name ?? 'slack'
    this.caps = { reactions: true, ephemeral: true, modals: false, home: false, ...opts.caps }
    for (const p of opts.people ?? []) this.people.set(key(p.workspace, p.id), p)
  }

  // ---------------------------------------------------------------- arranging the workspace

  person(workspace: WorkspaceId, id: string, displayName: string, isBot = false): Person {
    const p = { workspace, id, displayName, timezone: 'UTC', isBot }
    this.people.set(key(workspace, id), p)
    return p
  }

  channel(workspace: WorkspaceId, id: string, name: string, privacy: Privacy, members: Iterable<string> = []): ConversationRef {
    this.channels.set(key(workspace, id), { workspace, id, name, privacy, members: new Set(members) })
    return { workspace, id, name, privacy }
  }

  join(workspace: WorkspaceId, channelId: string, personId: string, member = true): void {
    const c = this.channels.get(key(workspace, channelId))!
    if (member) c.members.add(personId)
    else c.members.delete(personId)
  }

  /** Post a message as a person: a new root, or a reply when `thread` is given. */
  say(conv: ConversationRef, authorId: string, text: string, thread?: ThreadId, extra: Partial<ChatMessage> = {}): ChatMessage {
    const id = this.nextTs()
    const threadId = thread ?? this.threadIdOf(conv, id)
    const p = this.people.get(key(conv.workspace, authorId))
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

  // ---------------------------------------------------------------- reading what Beacon posted

  dmsTo(personId: string): Outbound[] {
    return this.posts.filter((p) => 'dmTo' in p.target && p.target.dmTo.id === personId).map((p) => p.message)
  }

  inThread(threadId: string): Outbound[] {
    return this.posts.filter((p) => 'threadId' in p.target && p.target.threadId === threadId).map((p) => p.message)
  }

  inConversation(conversationId: string): Outbound[] {
    return this.posts.filter((p) => 'conversation' in p.target && p.target.conversation.id === conversationId).map((p) => p.message)
  }

  // ---------------------------------------------------------------- ChatPlatform

  async post(target: PostTarget, message: Outbound): Promise<MessageRef> {
    const who = 'dmTo' in target ? target.dmTo.id : (target.threadId ?? target.conversation.id)
    if (this.failFor.has(who)) throw new BeaconError('platform_error', `post to ${who} failed (fake)`)
    if (this.failPosts > 0) {
      this.failPosts--
      throw new BeaconError('platform_error', 'post failed (fake)')
    }
    let ref: MessageRef
    if ('dmTo' in target) {
      const { workspace, id } = target.dmTo
      const conversation: ConversationRef = { workspace, id: `D-${id}`, privacy: 'direct' }
      const ts = this.nextTs()
      ref = { conversation, id: ts, threadId: this.threadIdOf(conversation, ts) }
    } else {
      this.mustKnow(target.conversation)
      if (target.threadId && !message.visibleTo) {
        // A visible thread reply becomes part of the thread, as on Slack.
        const m = this.say(target.conversation, BOT_ID, message.text, target.threadId)
        ref = { conversation: target.conversation, id: m.id, threadId: target.threadId }
      } else {
        const ts = this.nextTs()
        ref = { conversation: target.conversation, id: ts, threadId: target.threadId ?? this.threadIdOf(target.conversation, ts) }
      }
    }
    this.posts.push({ target, message, ref })
    return ref
  }

  async update(ref: MessageRef, message: Outbound): Promise<void> {
    this.updates.push({ ref, message })
  }

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
    this.mustKnow(conversation)
    return this.threadIdOf(conversation, messageId)
  }

  async isMember(workspace: WorkspaceId, personId: string, conversationId: string): Promise<boolean> {
    this.calls.isMember++
    return this.channels.get(key(workspace, conversationId))?.members.has(personId) ?? false
  }

  async getPerson(workspace: WorkspaceId, personId: string): Promise<Person | undefined> {
    this.calls.getPerson++
    return this.people.get(key(workspace, personId))
  }

  async getConversation(workspace: WorkspaceId, conversationId: string): Promise<Conversation | undefined> {
    const c = this.channels.get(key(workspace, conversationId))
    return c && { workspace: c.workspace, id: c.id, name: c.name, privacy: c.privacy }
  }

  async permalink(ref: MessageRef): Promise<string | undefined> {
    if (!this.channels.has(key(ref.conversation.workspace, ref.conversation.id))) return undefined
    return `https://example.slack.com/archives/${ref.conversation.id}/p${ref.id.replace('.', '')}`
  }

  // ---------------------------------------------------------------- helpers

  private mustKnow(conversation: ConversationRef): void {
    if (!this.channels.has(key(conversation.workspace, conversation.id))) throw new BeaconError('not_found', 'channel_not_found')
  }

  /** Slack-like message timestamps, increasing. */
  private nextTs(): string {
    return `${1712300000 + ++this.seq}.000100`
  }

  private threadIdOf(conv: ConversationRef, rootId: string): ThreadId {
    const [platform, external] = conv.workspace.split(':') as ['slack', string]
    return encodeThreadId({ platform, workspaceExternalId: external, conversationId: conv.id, rootId })
  }
}
