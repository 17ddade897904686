import type { Logger } from '../logger.ts'
import { silentLogger } from '../logger.ts'
import { createDomainEventBus, type DomainEventPublisher } from '../domain-events.ts'
import type { Clock, JobQueue, PeopleRepository, PlatformDirectory } from '../ports.ts'
import { systemClock } from '../ports.ts'
import type { GiverAcrossOrg, KudosRepository, LeaderQuery, LeaderRow, PersonTotals } from './types.ts'

/**
 * Whether this person may turn the weekly digest on or off in this channel: a workspace admin, or a
 * manager of a team the channel belongs to (wired by the composition root from the role resolver
 * and adoption's teams). The digest posts names into the channel, so it is not everyone's switch.
 */
export type MayManageDigest = (workspace: string, personId: string, conversationId: string) => Promise<boolean>

/**
 * Kudos across an organisation's linked workspaces (src/core/org/recognition.ts): one person (same
 * verified email) has one allowance and one place on the board, whichever platform they use.
 */
export interface RecognitionOrg {
  /** The organisation's board; undefined when the workspace is in no organisation. */
  leaderboard(q: LeaderQuery): Promise<LeaderRow[] | undefined>
  /**
   * The giver as one person of the organisation (their and the receivers' accounts in its other
   * workspaces, and the lock they share), for the allowance and the per-receiver cap; undefined
   * when the workspace stands alone.
   */
  giverAcross(workspace: string, giverId: string, receiverIds: string[]): Promise<GiverAcrossOrg | undefined>
  /** One person's totals over all their accounts (see giverAcross); undefined when the workspace stands alone. */
  totals(workspace: string, accounts: { workspace: string; personId: string }[], since?: Date): Promise<PersonTotals | undefined>
}

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
  org?: RecognitionOrg
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
  org: RecognitionOrg | undefined
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
    org: d.org,
  }
}
