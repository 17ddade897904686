/**
 * The one shape every feature has (knowledge, tasks, recognition, adoption): what the composition
 * root needs to run it, and nothing about how it works inside. A new feature is a folder under
 * src/core whose index.ts returns a Feature; docs/ARCHITECTURE.md walks through one.
 */
import type { Capability } from './capability.ts'
import type { DomainEventBus, DomainEventHandler, DomainEventName, SubscriberPhase } from './domain-events.ts'
import { homeCapability, type HomeSection } from './home.ts'
import type { PlatformDirectory } from './ports.ts'

export type DomainSubscriptions = { [N in DomainEventName]?: { handle: DomainEventHandler<N>; phase?: SubscriberPhase } }

export interface Feature {
  /** Also its log field `capability` and its Capability name. */
  readonly name: string
  /** Commands, message actions, buttons, forms and chat events it answers (what the dispatcher routes). */
  capability: Capability
  /** Its job handlers; called once, before queue.start(). Registers, never schedules. */
  registerJobs(): void
  /** Its repeatable schedules (idempotent upserts); may wait for Redis, so start-up does not await it. */
  scheduleJobs(): Promise<void>
  /** Its part of a person's App Home; absent: none. */
  homeSection?: HomeSection
  /** Domain events it publishes (through the bus in its deps) and the ones it reacts to. */
  events: { publishes: readonly DomainEventName[]; subscribes: DomainSubscriptions }
}

export interface FeatureSet {
  /** In the order given: the order of `help` and of chat-event handling. Home comes last. */
  capabilities: Capability[]
  registerJobs(): void
  scheduleJobs(): Promise<void>
}

/**
 * Runs features together: subscribes each one's handlers on the bus the publishers were given,
 * and gathers capabilities, App Home sections (in `homeOrder`, by name) and jobs.
 */
export function assembleFeatures(
  features: readonly Feature[],
  opts: { bus: DomainEventBus; platforms: PlatformDirectory; homeOrder: readonly string[] },
): FeatureSet {
  const published = new Set(features.flatMap((f) => f.events.publishes))
  for (const f of features) {
    for (const name of Object.keys(f.events.subscribes) as DomainEventName[]) {
      // A subscription nobody publishes is a wiring mistake that would otherwise go unnoticed.
      if (!published.has(name)) throw new Error(`feature ${f.name} subscribes to ${name}, which no feature publishes`)
      const s = f.events.subscribes[name] as { handle: DomainEventHandler<typeof name>; phase?: SubscriberPhase }
      opts.bus.subscribe(name, s.handle, s.phase ? { phase: s.phase } : {})
    }
  }
  const sections = opts.homeOrder.flatMap((name) => {
    const section = features.find((f) => f.name === name)?.homeSection
    return section ? [section] : []
  })
  return {
    capabilities: [...features.map((f) => f.capability), homeCapability(opts.platforms, sections)],
    registerJobs() {
      for (const f of features) f.registerJobs()
    },
    async scheduleJobs() {
      for (const f of features) await f.scheduleJobs()
    },
  }
}
