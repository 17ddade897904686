import type { Logger } from '../logger.ts'
import { silentLogger } from '../logger.ts'
import { createDomainEventBus, type DomainEventPublisher } from '../domain-events.ts'
import type { Clock, ConversationRepository, JobQueue, PeopleRepository, PlatformDirectory } from '../ports.ts'
import { systemClock } from '../ports.ts'
import { DEFAULT_MEMBER_TTL_MS, KnowledgeAccess } from './permissions.ts'
import type { KnowledgeRepository } from './types.ts'

export interface KnowledgeDeps {
  repo: KnowledgeRepository
  people: PeopleRepository
  conversations: ConversationRepository
  platforms: PlatformDirectory
  queue: JobQueue
  clock?: Clock
  log?: Logger
  /** Reaction name that saves a thread (config KNOWLEDGE_REACTION), default "bookmark". */
  reaction?: string
  /** Ask the saver about items neither viewed nor updated for this many days (default 180). */
  staleAfterDays?: number
  /** How long a membership answer is trusted (default 60 s). */
  memberCacheTtlMs?: number
  /** Normalised score (0..1) an item needs before Beacon suggests it (default 0.5, see bench/knowledge-search.ts). */
  suggestThreshold?: number
  /** Replies and edits in a saved thread are gathered for this long before one refresh (default 15 s). */
  refreshDebounceMs?: number
  /**
   * Where `knowledge.item-saved` goes: once per item, right before its confirmation is posted. A
   * subscriber that throws makes the capture job retry and publish again, so subscribers key their
   * effects on the item id. Default: nowhere.
   */
  events?: DomainEventPublisher
}

export interface KnowledgeContext {
  repo: KnowledgeRepository
  people: PeopleRepository
  conversations: ConversationRepository
  platforms: PlatformDirectory
  queue: JobQueue
  clock: Clock
  log: Logger
  reaction: string
  staleAfterDays: number
  suggestThreshold: number
  refreshDebounceMs: number
  events: DomainEventPublisher
  access: KnowledgeAccess
}

export function resolveDeps(d: KnowledgeDeps): KnowledgeContext {
  const clock = d.clock ?? systemClock
  const log = (d.log ?? silentLogger).child({ capability: 'knowledge' })
  return {
    repo: d.repo,
    people: d.people,
    conversations: d.conversations,
    platforms: d.platforms,
    queue: d.queue,
    clock,
    log,
    reaction: (d.reaction ?? 'bookmark').replace(/^:|:$/g, ''),
    staleAfterDays: d.staleAfterDays ?? 180,
    suggestThreshold: d.suggestThreshold ?? 0.5,
    refreshDebounceMs: d.refreshDebounceMs ?? 15_000,
    events: d.events ?? createDomainEventBus(),
    access: new KnowledgeAccess(d.platforms, clock, d.memberCacheTtlMs ?? DEFAULT_MEMBER_TTL_MS, log),
  }
}
