import { BeaconError } from '../../src/core/errors.ts'
import type { ChatMessage, Conversation, MessageRef, Person } from '../../src/core/model.ts'
import type { Outbound } from '../../src/core/outbound.ts'
import type { ChatPlatform, PostTarget, WorkspaceStanding } from '../../src/core/ports.ts'
import { decodeThreadId, encodeThreadId, type ThreadId } from '../../src/core/thread-id.ts'

export const SHELL_WORKSPACE = 'shell:local'
export const BOT: Person = { workspace: SHELL_WORKSPACE, id: 'beacon', displayName: 'Beacon', timezone: 'UTC', isBot: true }

/** The workspace owner of the local shell: an admin in Beacon's sense. */
export const SHELL_OWNER = 'alice'

export const SHELL_PEOPLE: Person[] = [
  { workspace: SHELL_WORKSPACE, id: 'alice', displayName: 'Alice', timezone: 'Europe/Paris', isBot: false },
  { workspace: SHELL_WORKSPACE, id: 'bob', displayName: 'Bob', timezone: 'America/New_York', isBot: false },
  { workspace: SHELL_WORKSPACE, id: 'carol', displayName: 'Carol', timezone: 'Asia/Tokyo', isBot: false },
  { workspace: SHELL_WORKSPACE, id: 'dave', displayName: 'Dave', timezone: 'UTC', isBot: false },
]

interface ShellChannel extends Conversation {
  members: Set<string>
}

/** Channels a newcomer can explore: two public, one private that only Alice and Carol are in. */
function seedChannels(): ShellChannel[] {
  const all = new Set(SHELL_PEOPLE.map((p) => p.id))
  const ch = (id: string, privacy: Conversation['privacy'], members: Set<string>): ShellChannel => ({
    workspace: SHELL_WORKSPACE,
    id,
    name: id,
    privacy,
    members,
  })
  return [ch('general', 'public', new Set(all)), ch('random', 'public', new Set(all)), ch('leadership', 'private', new Set(['alice', 'carol']))]
}

/** Something Beacon said; the shell prints it. */
export interface ShellDelivery {
  where: string
  message: Outbound
  ref: MessageRef
  updated: boolean
  /** Ephemeral: only this person sees it. */
  only?: string
}

/**
 * The local chat: channels, people and every message, in memory. It is both what the person at the
 * terminal types into and the ChatPlatform the core talks to.
 */
export class ShellWorld implements ChatPlatform {
  readonly name = 'shell' as const
  readonly caps = { reactions: true, ephemeral: true, modals: false, home: false }
  readonly channels = new Map(seedChannels().map((c) => [c.id, c]))
  private readonly messages = new Map<string, ChatMessage>()
  private seq = 0
  private ephemeralSeq = 0

  constructor(private readonly deliver: (d: ShellDelivery) => void) {}

  person(id: string): Person | undefined {
    return id === BOT.id ? BOT : SHELL_PEOPLE.find((p) => p.id === id.toLowerCase())
  }

  channel(id: string): ShellChannel {
    const c = this.channels.get(id.replace(/^#/, '').toLowerCase())
    if (!c) throw new BeaconError('not_found', `no channel ${id}`, { userMessage: `There is no channel ${id}. Try /channels.` })
    return c
  }

  message(id: string): ChatMessage {
    const m = this.messages.get(id.replace(/^#/, ''))
    if (!m) throw new BeaconError('not_found', `no message ${id}`, { userMessage: `There is no message #${id.replace(/^#/, '')}.` })
    return m
  }

  /** Whether `personId` is in the conversation (public channels: everyone; private ones and DMs: members). */
  canRead(personId: string, conversationId: string): boolean {
    return this.channels.get(conversationId)?.members.has(personId) ?? false
  }

  /**
   * A message as `personId` may see it: one in a conversation they are not in answers exactly like
   * one that does not exist, so ids cannot be used to probe a private channel.
   */
  messageFor(personId: string, id: string): ChatMessage {
    const m = this.message(id)
    if (!this.canRead(personId, m.conversation.id)) {
      throw new BeaconError('not_found', `${personId} may not read message ${id}`, { userMessage: `There is no message #${id.replace(/^#/, '')}.` })
    }
    return m
  }

  /** Adds a message typed at the terminal (or by Beacon) and returns it. */
  add(channelId: string, authorId: string, text: string, threadRoot?: string): ChatMessage {
    const c = this.channel(channelId)
    const author = this.person(authorId)!
    const id = String(++this.seq)
    const root = threadRoot ? this.message(threadRoot) : undefined
    const rootId = root ? decodeThreadId(root.threadId).rootId : id
    const msg: ChatMessage = {
      id,
      threadId: encodeThreadId({ platform: 'shell', workspaceExternalId: 'local', conversationId: c.id, rootId }),
      conversation: { workspace: SHELL_WORKSPACE, id: c.id, name: c.name, privacy: c.privacy },
      author: { workspace: SHELL_WORKSPACE, id: author.id, displayName: author.displayName, isBot: author.isBot },
      text,
      at: new Date(),
      permalink: `shell://${c.id}/${id}`,
    }
    this.messages.set(id, msg)
    return msg
  }

  edit(id: string, text: string): ChatMessage {
    const m = { ...this.message(id), text, editedAt: new Date() }
    this.messages.set(m.id, m)
    return m
  }

  remove(id: string): ChatMessage {
    const m = this.message(id)
    this.messages.delete(m.id)
    return m
  }

  thread(threadId: ThreadId): ChatMessage[] {
    return [...this.messages.values()].filter((m) => m.threadId === threadId).sort((a, b) => Number(a.id) - Number(b.id))
  }

  // ---------------------------------------------------------------- ChatPlatform

  async post(target: PostTarget, m: Outbound): Promise<MessageRef> {
    if ('dmTo' in target) {
      const msg = this.addDm(target.dmTo.id, m.text)
      this.deliver({ where: `DM to ${this.person(target.dmTo.id)?.displayName ?? target.dmTo.id}`, message: m, ref: msg, updated: false })
      return msg
    }
    const root = target.threadId ? decodeThreadId(target.threadId).rootId : undefined
    const where = `#${target.conversation.id}${root ? ` thread #${root}` : ''}`
    if (m.visibleTo !== undefined) {
      // Ephemeral, as on Slack: shown to that person only and never part of the channel's history.
      const ref: MessageRef = {
        conversation: target.conversation,
        id: `ephemeral-${++this.ephemeralSeq}`,
        threadId: target.threadId ?? `shell:local:${target.conversation.id}:ephemeral`,
      }
      this.deliver({ where, message: m, ref, updated: false, only: m.visibleTo })
      return ref
    }
    const msg = this.add(target.conversation.id, BOT.id, m.text, root)
    this.deliver({ where, message: m, ref: msg, updated: false })
    return msg
  }

  async update(ref: MessageRef, m: Outbound): Promise<void> {
    this.deliver({ where: `#${ref.conversation.id}`, message: m, ref, updated: true })
  }

  async fetchThread(thread: ThreadId): Promise<ChatMessage[]> {
    return this.thread(thread)
  }

  async threadOf(_conversation: unknown, messageId: string): Promise<ThreadId> {
    return this.message(messageId).threadId
  }

  async isMember(_w: string, personId: string, conversationId: string): Promise<boolean> {
    return this.canRead(personId, conversationId)
  }

  async getPerson(_w: string, personId: string): Promise<Person | undefined> {
    return this.person(personId)
  }

  async getConversation(_w: string, conversationId: string): Promise<Conversation | undefined> {
    const c = this.channels.get(conversationId)
    return c && { workspace: c.workspace, id: c.id, name: c.name, privacy: c.privacy }
  }

  /** Alice owns the local workspace (she set Beacon up), so the demo's admin side can be tried as her. */
  async workspaceStanding(_w: string, personId: string): Promise<WorkspaceStanding | undefined> {
    const p = this.person(personId)
    return p && { admin: p.id === SHELL_OWNER }
  }

  async permalink(ref: MessageRef): Promise<string | undefined> {
    return `shell://${ref.conversation.id}/${ref.id}`
  }

  private addDm(personId: string, text: string): MessageRef {
    const id = `dm-${personId}`
    if (!this.channels.has(id)) {
      this.channels.set(id, { workspace: SHELL_WORKSPACE, id, name: `DM ${personId}`, privacy: 'direct', members: new Set([personId]) })
    }
    return this.add(id, BOT.id, text)
  }
}
