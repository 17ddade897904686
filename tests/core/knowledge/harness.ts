import { Dispatcher } from '../../../src/core/dispatcher.ts'
import { createDomainEventBus } from '../../../src/core/domain-events.ts'
import type { InboundEvent } from '../../../src/core/events.ts'
import { createKnowledge, type Knowledge, type KnowledgeDeps } from '../../../src/core/knowledge/index.ts'
import { silentLogger } from '../../../src/core/logger.ts'
import type { ChatMessage, ConversationRef } from '../../../src/core/model.ts'
import type { Outbound } from '../../../src/core/outbound.ts'
import { MapPlatformDirectory } from '../../../src/core/platform-directory.ts'
import type { Turn } from '../../../src/core/ports.ts'
import { openMemoryDb, type Db } from '../../../src/storage/db.ts'
import { sqliteRepositories, type Repositories } from '../../../src/storage/repositories/index.ts'
import { SqliteKnowledgeRepository } from '../../../src/storage/repositories/knowledge.ts'
import { BOT_ID, FakePlatform } from '../../support/fake-platform.ts'
import { MemoryJobQueue } from '../../support/memory-queue.ts'
import { TestClock } from '../../support/test-clock.ts'

export class RecordingTurn implements Turn {
  readonly replies: Outbound[] = []
  readonly replaced: Outbound[] = []
  async reply(m: Outbound): Promise<void> {
    this.replies.push(m)
  }
  async replaceSource(m: Outbound): Promise<void> {
    this.replaced.push(m)
  }
  get last(): Outbound | undefined {
    return this.replies.at(-1)
  }
}

export interface Harness {
  db: Db
  repos: Repositories
  repo: SqliteKnowledgeRepository
  platform: FakePlatform
  queue: MemoryJobQueue
  clock: TestClock
  kb: Knowledge
  dispatcher: Dispatcher
  general: ConversationRef
  secret: ConversationRef
  saved: { itemId: number; contributors: string[] }[]
  /** Dispatch an event the way an adapter would, returning the turn's replies. */
  send(event: Omit<InboundEvent, 'eventId' | 'workspace' | 'platform' | 'at'> & Partial<InboundEvent>): Promise<RecordingTurn>
  /** Run `/kb <text>` as a person. */
  kbCommand(personId: string, text: string, workspace?: string, conversation?: ConversationRef): Promise<RecordingTurn>
  react(personId: string, m: ChatMessage, reaction?: string): Promise<RecordingTurn>
}

export const WS = 'slack:T1'
export const OTHER_WS = 'slack:T2'

let eventSeq = 0

export function harness(overrides: Partial<KnowledgeDeps> = {}): Harness {
  const db = openMemoryDb()
  const repos = sqliteRepositories(db)
  const repo = new SqliteKnowledgeRepository(db)
  const platform = new FakePlatform({ caps: { modals: true, home: true } })
  const platforms = new MapPlatformDirectory()
  platforms.register(platform)
  const clock = TestClock.at(Date.UTC(2024, 3, 10, 12, 0, 0))
  const queue = new MemoryJobQueue(clock)
  const saved: Harness['saved'] = []
  const events = createDomainEventBus()
  events.subscribe('knowledge.item-saved', async ({ item, contributors }) => {
    saved.push({ itemId: item.id, contributors: contributors.map((c) => c.displayName) })
  })
  const kb = createKnowledge({
    repo,
    people: repos.people,
    conversations: repos.conversations,
    platforms,
    queue,
    clock,
    events,
    ...overrides,
  })
  kb.registerJobs()
  const dispatcher = new Dispatcher([kb.capability], repos.processedEvents, silentLogger)

  for (const [id, name] of [
    ['UADA', 'Ada Lovelace'],
    ['UBOB', 'Bob'],
    ['UCAROL', 'Carol'],
    ['UDAN', 'Dan'],
  ] as const) {
    platform.person(WS, id, name)
  }
  platform.person(WS, BOT_ID, 'Beacon', true)
  platform.person(WS, 'UDEPLOYBOT', 'Deploy Bot', true)
  platform.person(OTHER_WS, 'UEVE', 'Eve')
  const general = platform.channel(WS, 'CGEN', 'general', 'public', ['UADA', 'UBOB', 'UCAROL', 'UDAN'])
  const secret = platform.channel(WS, 'CSEC', 'secret-project', 'private', ['UADA', 'UBOB'])

  async function send(partial: Record<string, unknown>): Promise<RecordingTurn> {
    const turn = new RecordingTurn()
    const event = { eventId: `Ev${++eventSeq}`, workspace: WS, platform: 'slack', at: clock.now(), ...partial } as InboundEvent
    await dispatcher.dispatch(event, turn)
    return turn
  }

  return {
    db,
    repos,
    repo,
    platform,
    queue,
    clock,
    kb,
    dispatcher,
    general,
    secret,
    saved,
    send: send as Harness['send'],
    kbCommand: (personId, text, workspace = WS, conversation = general) =>
      send({ type: 'command', command: 'kb', text, workspace, person: { workspace, id: personId }, conversation }),
    react: (personId, m, reaction = 'bookmark') =>
      send({
        type: 'reaction.added',
        reaction,
        person: { workspace: m.conversation.workspace, id: personId },
        conversation: m.conversation,
        messageId: m.id,
        workspace: m.conversation.workspace,
      }),
  }
}

/** A small saved thread in a channel: root + replies by the given authors. Returns the root. */
export async function savedThread(h: Harness, conv: ConversationRef, lines: [string, string][], saver = 'UADA'): Promise<ChatMessage> {
  const [first, ...rest] = lines
  const root = h.platform.say(conv, first![0], first![1])
  for (const [who, text] of rest) h.platform.say(conv, who, text, root.threadId)
  await h.react(saver, root)
  await h.queue.drain()
  return root
}
