/**
 * Small helpers shared by the knowledge end-to-end tests (Slack and Teams): bounded polling instead
 * of fixed sleeps, a clock the test can move forward, and a view of the in-process job table.
 */
import type { Db } from '../../src/storage/db.ts'

/**
 * Resolves once `count()` has not changed for `quietMs` (bounded by `timeoutMs`): "everything that
 * was going to happen has happened", so the absence of a second message means something.
 */
export async function settled(count: () => number, quietMs = 400, timeoutMs = 8_000): Promise<void> {
  const until = Date.now() + timeoutMs
  let last = count()
  let since = Date.now()
  while (Date.now() - since < quietMs) {
    if (Date.now() > until) throw new Error('activity did not settle in time')
    await new Promise((r) => setTimeout(r, 25))
    const now = count()
    if (now !== last) {
      last = now
      since = Date.now()
    }
  }
}

export const DAY_MS = 86_400_000

export { jobsIdle } from '../support/jobs.ts'

/** Jobs that failed for good, with their last error (a test prints them when it fails). */
export function failedJobs(db: Db): { name: string; error: string | null }[] {
  return db.$client.prepare(`SELECT name, last_error AS error FROM jobs WHERE status = 'failed'`).all() as { name: string; error: string | null }[]
}

export interface ItemRow {
  id: number
  title: string
  body: string
  status: string
  privacy: string
  workspace_id: string
  conversation_name: string
}

/** Knowledge rows of one thread (there must only ever be one). */
export function itemsOfThread(db: Db, threadId: string): ItemRow[] {
  return db.$client.prepare('SELECT * FROM knowledge_items WHERE thread_id = ?').all(threadId) as ItemRow[]
}

/** "10 Apr 2025": the date format search results show. */
export function shownDate(d: Date): string {
  return d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' })
}
