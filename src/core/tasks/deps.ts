import type { Logger } from '../logger.ts'
import { silentLogger } from '../logger.ts'
import { createDomainEventBus, type DomainEventPublisher } from '../domain-events.ts'
import type { TaskRecognition } from '../feature-ports.ts'
import type { Clock, JobQueue, PeopleRepository, PlatformDirectory } from '../ports.ts'
import { systemClock } from '../ports.ts'
import type { TaskRepository } from './types.ts'

export type { TaskRecognition } from '../feature-ports.ts'

export interface TaskWebhookConfig {
  /** TASK_WEBHOOK_URL */
  url: string
  /** TASK_WEBHOOK_SECRET: HMAC-SHA256 key for X-Beacon-Signature. */
  secret: string
  /** Per attempt (default 10 s). */
  timeoutMs?: number
  /** Tries in all (default 8). */
  attempts?: number
  /** First retry delay, doubling (default 5 s). */
  backoffMs?: number
}

export interface TasksDeps {
  repo: TaskRepository
  people: PeopleRepository
  platforms: PlatformDirectory
  queue: JobQueue
  clock?: Clock
  log?: Logger
  /** How long before the due time the first reminder goes out (default 1 h; 0 = only at the due time). */
  reminderLeadMs?: number
  /** Local hour the daily overdue digest goes out in each assignee's zone (default 9). */
  digestHour?: number
  /** Outbound webhook; absent = no webhook. */
  webhook?: TaskWebhookConfig
  /** Recognition's "Send kudos" for a finished task; without it the button is not shown. */
  recognition?: TaskRecognition
  /**
   * Where `task.created` (right after a task is stored; a subscriber's failure is logged, never
   * shown) and `task.done` (once per task, from the notify job after the source thread was told;
   * a failure retries the job, so subscribers key effects on the task id) go. Default: nowhere.
   */
  events?: DomainEventPublisher
  /** For tests and proxies; default the global fetch. */
  fetch?: typeof fetch
}

export interface TasksContext {
  repo: TaskRepository
  people: PeopleRepository
  platforms: PlatformDirectory
  queue: JobQueue
  clock: Clock
  log: Logger
  reminderLeadMs: number
  digestHour: number
  webhook: Required<TaskWebhookConfig> | undefined
  recognition: TaskRecognition | undefined
  events: DomainEventPublisher
  fetch: typeof fetch
}

export function resolveTasksDeps(d: TasksDeps): TasksContext {
  const log = (d.log ?? silentLogger).child({ capability: 'tasks' })
  let webhook: TasksContext['webhook']
  if (d.webhook?.url) {
    if (!d.webhook.secret)
      log.warn({}, 'TASK_WEBHOOK_URL is set without TASK_WEBHOOK_SECRET; the task webhook is off (it only sends signed requests)')
    else {
      const w = d.webhook
      webhook = { url: w.url, secret: w.secret, timeoutMs: w.timeoutMs ?? 10_000, attempts: w.attempts ?? 8, backoffMs: w.backoffMs ?? 5_000 }
    }
  }
  return {
    repo: d.repo,
    people: d.people,
    platforms: d.platforms,
    queue: d.queue,
    clock: d.clock ?? systemClock,
    log,
    reminderLeadMs: Math.max(0, d.reminderLeadMs ?? 3_600_000),
    digestHour: Math.min(23, Math.max(0, Math.floor(d.digestHour ?? 9))),
    webhook,
    recognition: d.recognition,
    events: d.events ?? createDomainEventBus(),
    fetch: d.fetch ?? ((...args) => fetch(...args)),
  }
}
