/**
 * The port of the in-process queue's storage. `SqliteJobStore` (in-process-store.ts) answers
 * synchronously, `PgJobStore` (src/storage/pg/repositories/job-store.ts) with promises; a caller
 * awaits every answer and works with either. Each state change is one guarded statement or
 * transaction, so several processes sharing the database never both claim, finish or fire a thing.
 */
import type { JobRow, NewJob, ScheduleRow } from './in-process-store.ts'

export type Awaitable<T> = T | Promise<T>

export interface JobStore {
  insert(job: NewJob, now: number): Awaitable<{ id: string; deduped: boolean }>
  cancelWaiting(name: string, dedupeKey: string): Awaitable<boolean>
  upsertSchedule(s: Omit<ScheduleRow, 'updatedAt'>, now: number): Awaitable<void>
  deleteSchedule(name: string, key: string): Awaitable<void>
  getSchedule(name: string, key: string): Awaitable<ScheduleRow | undefined>
  dueSchedules(names: string[], now: number): Awaitable<ScheduleRow[]>
  fireSchedule(s: ScheduleRow, nextRunAt: number, job: Pick<NewJob, 'maxAttempts' | 'backoffMs'>, now: number): Awaitable<boolean>
  nextDue(names: string[]): Awaitable<number | undefined>
  claimNext(names: string[], now: number, leaseMs: number): Awaitable<JobRow | undefined>
  finish(row: JobRow, status: 'completed' | 'failed', error: string | null, now: number): Awaitable<void>
  retryAt(row: JobRow, runAt: number, error: string): Awaitable<void>
  renewLeases(until: number): Awaitable<void>
  reclaimAbandoned(now: number): Awaitable<number>
  purgeWorkspace(workspace: string): Awaitable<number>
  otherRunningOwners(): Awaitable<string[]>
  expireLeases(owners: string[], now: number): Awaitable<void>
  purgeFinished(before: number): Awaitable<number>
}
