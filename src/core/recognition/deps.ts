import type { Logger } from '../logger.ts'
import { silentLogger } from '../logger.ts'
import { createDomainEventBus, type DomainEventPublisher } from '../domain-events.ts'
import type { Clock, JobQueue, PeopleRepository, PlatformDirectory } from '../ports.ts'
import { systemClock } from '../ports.ts'
import type { KudosRepository } from './types.ts'

/**
 * Whether this person may turn the weekly digest on or off in this channel: a workspace admin, or a
 * manager of a team the channel belongs to (wired by the composition root from the role resolver
 * and adoption's teams). The digest posts names into the channel, so it is not everyone's switch.
 */
export type MayManageDigest = (workspace: string, personId: string, conversationId: string) => Promise<boolean>

export const DEFAULT_VALUES = ['teamwork', 'ownership', 'customer', 'craft'] as const
/** 👏 exists on Slack as "clap" and reads as thanks everywhere; "bookmark" is knowledge's. */
export const DEFAULT_REACTION = 'clap'

export interface RecognitionDeps {
  repo: KudosRepository
  people: PeopleRepository
  platforms: PlatformDirectory
  queue: JobQueue
  clock?: Clock
  log?: Logger
  /** KUDOS_VALUES: company values a kudos may carry as #value (lower-cased). */
  values?: readonly string[]
  /** KUDOS_REACTION: reacting with it to a message gives its author a kudos (default "clap"). */
  reaction?: string
  /** KUDOS_DAILY_ALLOWANCE: kudos a person can give per day of their own timezone (default 5). */
  dailyAllowance?: number
  /** KUDOS_WEEKLY_PER_PERSON: kudos one giver can give the same person per week (default 3). */
  weeklyPerReceiver?: number
  /** Cron (UTC) of the weekly digest (default Monday 09:00). */
  digestCron?: string
  /** Where `kudos.given` goes (kudos a person gave, not automatic credit; a subscriber's failure is logged). Default: nowhere. */
  events?: DomainEventPublisher
  /** Default: nobody (a deployment without roles wired cannot turn digests on from chat). */
  mayManageDigest?: MayManageDigest
}

export interface RecognitionContext {
  repo: KudosRepository
  people: PeopleRepository
  platforms: PlatformDirectory
  queue: JobQueue
  clock: Clock
  log: Logger
  values: string[]
  reaction: string
  events: DomainEventPublisher
  dailyAllowance: number
  weeklyPerReceiver: number
  digestCron: string
  mayManageDigest: MayManageDigest
}

export function normaliseValue(v: string): string {
  return v.trim().replace(/^#/, '').toLowerCase()
}

export function resolveRecognitionDeps(d: RecognitionDeps): RecognitionContext {
  const values = [...new Set((d.values ?? DEFAULT_VALUES).map(normaliseValue).filter(Boolean))]
  return {
    repo: d.repo,
    people: d.people,
    platforms: d.platforms,
    queue: d.queue,
    clock: d.clock ?? systemClock,
    log: (d.log ?? silentLogger).child({ capability: 'recognition' }),
    values,
    reaction: (d.reaction ?? DEFAULT_REACTION).replace(/^:|:$/g, ''),
    events: d.events ?? createDomainEventBus(),
    dailyAllowance: Math.max(1, Math.floor(d.dailyAllowance ?? 5)),
    weeklyPerReceiver: Math.max(1, Math.floor(d.weeklyPerReceiver ?? 3)),
    digestCron: d.digestCron ?? '0 9 * * 1',
    mayManageDigest: d.mayManageDigest ?? (async () => false),
  }
}
