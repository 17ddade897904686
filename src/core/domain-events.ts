/**
 * Domain events: facts one feature states and others react to, in process. A publisher does not
 * know its subscribers, so knowledge, tasks and recognition never import each other; the rule
 * "a saved answer credits its authors" lives with the feature that applies it (recognition).
 *
 * Payloads are the neutral slices subscribers need; each feature's own model (KnowledgeItem, Task,
 * Kudos) satisfies them, so a publisher passes what it has.
 */
import type { Privacy, WorkspaceId } from './model.ts'

export interface Credited {
  personId: string
  displayName: string
}

/** A knowledge item as subscribers see it (KnowledgeItem satisfies it). */
export interface SavedItem {
  id: number
  workspace: WorkspaceId
  title: string
  permalink?: string | undefined
  conversation: { id: string; privacy: Privacy }
  /** First saver first. */
  savers: readonly { personId: string }[]
}

/** A task as subscribers see it (Task satisfies it). */
export interface TaskFact {
  id: number
  workspace: WorkspaceId
  /** The short id people type: T-<number>. */
  number: number
  title: string
  creatorId: string
  closedBy?: string | undefined
  conversationId?: string | undefined
  assignees: readonly Credited[]
}

/** A kudos a person gave (Kudos satisfies it). */
export interface GivenKudos {
  workspace: WorkspaceId
  /** Natural key of the kudos, unique per workspace. */
  key: string
  giverId?: string | undefined
  receiverId: string
  conversationId?: string | undefined
}

/**
 * Every domain event and its payload. When each is published, and what a failing subscriber does
 * to the publisher, is in docs/ARCHITECTURE.md ("Domain events").
 */
export interface DomainEventMap {
  /** A thread was saved for the first time, right before its confirmation is posted (capture job; retried on failure). */
  'knowledge.item-saved': { item: SavedItem; contributors: readonly Credited[] }
  /** A task was stored (the request that made it; a failure is logged, never shown). */
  'task.created': { task: TaskFact }
  /** A task was marked done (its notify job, once per task; retried on failure). */
  'task.done': { task: TaskFact }
  /** A person gave kudos, not automatic credit (the request that gave it; a failure is logged). */
  'kudos.given': { kudos: readonly GivenKudos[] }
}

export type DomainEventName = keyof DomainEventMap
export type DomainEventHandler<N extends DomainEventName> = (payload: DomainEventMap[N]) => Promise<void>

/**
 * When a subscriber runs: every `act` subscriber (a feature doing something about the fact, e.g.
 * recognition's credit) before every `record` one (a feature counting it, e.g. adoption's
 * activity), so a fact is counted only once acting on it succeeded. Within a phase, in the order
 * the subscriptions were made.
 */
export type SubscriberPhase = 'act' | 'record'

export interface DomainEventPublisher {
  /**
   * Runs the subscribers one after another and resolves when all have. The first that throws stops
   * the rest and the error goes back to the publisher, which retries (a job) or logs it (a request),
   * as the event's row in docs/ARCHITECTURE.md says.
   */
  publish<N extends DomainEventName>(name: N, payload: DomainEventMap[N]): Promise<void>
}

export interface DomainEventBus extends DomainEventPublisher {
  subscribe<N extends DomainEventName>(name: N, handler: DomainEventHandler<N>, opts?: { phase?: SubscriberPhase }): void
}

export function createDomainEventBus(): DomainEventBus {
  const subscribers = new Map<DomainEventName, { phase: SubscriberPhase; handler: DomainEventHandler<never> }[]>()
  return {
    subscribe(name, handler, opts = {}) {
      const list = subscribers.get(name) ?? []
      const phase = opts.phase ?? 'act'
      // Kept sorted by phase; a stable insert keeps subscription order within a phase.
      const at = phase === 'act' ? list.findIndex((s) => s.phase === 'record') : -1
      const entry = { phase, handler: handler as DomainEventHandler<never> }
      if (at === -1) list.push(entry)
      else list.splice(at, 0, entry)
      subscribers.set(name, list)
    },
    async publish(name, payload) {
      for (const s of subscribers.get(name) ?? []) await (s.handler as DomainEventHandler<typeof name>)(payload)
    },
  }
}
