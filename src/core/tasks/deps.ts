import type { Logger } from '../logger.ts'
import { silentLogger } from '../logger.ts'
import type { WorkspaceId } from '../model.ts'
import type { Clock, JobQueue, PeopleRepository, PlatformDirectory } from '../ports.ts'
import { systemClock } from '../ports.ts'
import type { Task, TaskRepository } from './types.ts'

/**
 * Called once per task when it is marked done (from the notify job, after the source thread was
 * told). Recognition hooks its automatic credit here. If it throws, the job retries and calls it
 * again, so key any effect on `task.id`.
 */
export type OnTaskDone = (task: Task) => Promise<void>
/** Called once right after a task is stored (Adoption counts it); a failure is logged, never shown. */
export type OnTaskCreated = (task: Task) => Promise<void>

/** The slice of Recognition tasks use. Without it, the "Send kudos" button is not shown. */
export interface TaskRecognition {
  giveKudos(input: { workspace: WorkspaceId; fromId: string; toIds: string[]; reason: string; taskId: number }): Promise<void>
}

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
  recognition?: TaskRecognition
  onTaskDone?: OnTaskDone
  onTaskCreated?: OnTaskCreated
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
  onTaskDone: OnTaskDone | undefined
  onTaskCreated: OnTaskCreated | undefined
  fetch: typeof fetch
}

export function resolveTasksDeps(d: TasksDeps): TasksContext {
  const log = (d.log ?? silentLogger).child({ capability: 'tasks' })
  let webhook: TasksContext['webhook']
  if (d.webhook?.url) {
    if (!d.webhook.secret) log.warn({}, 'TASK_WEBHOOK_URL is set without TASK_WEBHOOK_SECRET; the task webhook is off (it only sends signed requests)')
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
    onTaskDone: d.onTaskDone,
    onTaskCreated: d.onTaskCreated,
    fetch: d.fetch ?? ((...args) => fetch(...args)),
  }
}
