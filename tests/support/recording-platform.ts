import type { ChatMessage, Conversation, MessageRef, Person } from '../../src/core/model.ts'
import type { Outbound } from '../../src/core/outbound.ts'
import type { ChatPlatform, PlatformCapabilities, PostTarget } from '../../src/core/ports.ts'

export interface Posted {
  target: PostTarget
  message: Outbound
  ref: MessageRef
}

/**
 * A ChatPlatform for core tests that records what Beacon posts and knows a fixed list of people.
 * Everyone is a member of everything and threads are empty; tests that need channels, membership
 * and thread contents use tests/core/knowledge/fake-platform.ts instead.
 */
export class RecordingPlatform implements ChatPlatform {
  readonly name: 'slack' | 'shell'
  readonly caps: PlatformCapabilities
  readonly posts: Posted[] = []
  readonly updates: { ref: MessageRef; message: Outbound }[] = []
  /** Posts to these people (or threads, or conversations) fail, to exercise retries. */
  readonly failFor = new Set<string>()
  /** The next this-many posts fail, whoever they are for. */
  failPosts = 0
  private seq = 0

  constructor(
    private readonly people: readonly Person[],
    opts: { name?: 'slack' | 'shell'; caps?: Partial<PlatformCapabilities> } = {},
  ) {
    this.name = opts.name ?? 'slack'
    this.caps = { reactions: true, ephemeral: true, modals: false, home: false, ...opts.caps }
  }

  dmsTo(personId: string): Outbound[] {
    return this.posts.filter((p) => 'dmTo' in p.target && p.target.dmTo.id === personId).map((p) => p.message)
  }

  inThread(threadId: string): Outbound[] {
    return this.posts.filter((p) => 'threadId' in p.target && p.target.threadId === threadId).map((p) => p.message)
  }

  inConversation(conversationId: string): Outbound[] {
    return this.posts.filter((p) => 'conversation' in p.target && p.target.conversation.id === conversationId).map((p) => p.message)
  }

  async post(target: PostTarget, m: Outbound): Promise<MessageRef> {
    const who = 'dmTo' in target ? target.dmTo.id : (target.threadId ?? target.conversation.id)
    if (this.failFor.has(who)) throw new Error(`post to ${who} failed (test)`)
    if (this.failPosts > 0) {
      this.failPosts -= 1
      throw new Error('post failed (test)')
    }
    const id = `m${++this.seq}`
    const conversation = 'dmTo' in target ? { workspace: target.dmTo.workspace, id: `D-${target.dmTo.id}` } : target.conversation
    const ref = { conversation, id, threadId: 'threadId' in target && target.threadId ? target.threadId : id }
    this.posts.push({ target, message: m, ref })
    return ref
  }

  async update(ref: MessageRef, m: Outbound): Promise<void> {
    this.updates.push({ ref, message: m })
  }

  async fetchThread(): Promise<ChatMessage[]> {
    return []
  }

  async threadOf(c: { workspace: string; id: string }, messageId: string): Promise<string> {
    return `${c.workspace}:${c.id}:${messageId}`
  }

  async isMember(): Promise<boolean> {
    return true
  }

  async getPerson(_w: string, id: string): Promise<Person | undefined> {
    return this.people.find((p) => p.id === id)
  }

  async getConversation(_w: string, _id: string): Promise<Conversation | undefined> {
    return undefined
  }

  async permalink(ref: MessageRef): Promise<string | undefined> {
    return `https://chat.example/archives/${ref.conversation.id}/p${ref.id}`
  }
}
