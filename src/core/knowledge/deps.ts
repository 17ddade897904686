import type { Logger } from '../logger.ts'
import { silentLogger } from '../logger.ts'
import type { Clock, ConversationRepository, JobQueue, PeopleRepository, PlatformDirectory } from '../ports.ts'
import { systemClock } from '../ports.ts'
import { DEFAULT_MEMBER_TTL_MS, KnowledgeAccess } from './permissions.ts'
import type { Contributor, KnowledgeItem, KnowledgeRepository } from './types.ts'

/**
 * Called once when a thread is saved for the first time (right before the confirmation is posted),
 * with the people credited. Recognition hooks automatic credit here. If it throws, the capture job
 * retries and calls it again, so key any effect on `item.id` to stay idempotent.
 */
export type OnItemSaved = (item: KnowledgeItem, contributors: Contributor[]) => Promise<void>

/**
 * A saved item was put to use: suggested under a question, or opened from a result or suggestion
 * (impact counts these). `key` is unique per use, so a retried job or event counts once.
 */
export type OnKnowledgeUsed = (u: { workspace: string; conversationId: string; itemId: number; kind: 'suggestion_shown' | 'item_opened'; key: string }) => Promise<void>

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
  onItemSaved?: OnItemSaved
  onUsed?: OnKnowledgeUsed
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
  onItemSaved: OnItemSaved | undefined
  onUsed: OnKnowledgeUsed | undefined
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
    onItemSaved: d.onItemSaved,
    onUsed: d.onUsed,
    access: new KnowledgeAccess(d.platforms, clock, d.memberCacheTtlMs ?? DEFAULT_MEMBER_TTL_MS, log),
  }
}
