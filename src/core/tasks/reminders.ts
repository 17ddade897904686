/**
 * Reminders and the daily overdue digest.
 *
 * Exactly once, three ways: (1) each reminder is a delayed job whose dedupe key is task id + due
 * time + kind, so planning it twice queues it once; (2) when it fires, the job re-reads the task and
 * does nothing unless it is still open and still due at that very time, so a job left over from
 * before an edit, snooze, done or cancel stays silent even if cancelling it lost a race; (3) each DM
 * is claimed in the database before it is sent, so a retried or duplicated job never sends it twice.
 */
import type { WorkspaceId } from '../model.ts'
import type { TasksContext } from './deps.ts'
import { reminderKey, taskReminderJob, type ReminderJob } from './job-defs.ts'
import { digestCard, reminderCard } from './render-task.ts'
import type { Task } from './types.ts'
import { localDay, safeZone, wallClock } from '../time/zoned-time.ts'

export interface PlannedReminder {
  kind: 'lead' | 'due'
  runAt: Date
  dueAt: number
}

/** The reminders a task needs from now on: the lead one only while it is still ahead. */
export function planReminders(task: Pick<Task, 'dueAt' | 'status'>, leadMs: number, now: Date): PlannedReminder[] {
  if (task.status !== 'open' || !task.dueAt) return []
  const dueAt = task.dueAt.getTime()
  const plan: PlannedReminder[] = []
  if (leadMs > 0 && dueAt - leadMs > now.getTime()) plan.push({ kind: 'lead', runAt: new Date(dueAt - leadMs), dueAt })
  plan.push({ kind: 'due', runAt: new Date(Math.max(dueAt, now.getTime())), dueAt })
  return plan
}

/** Synchronous: called inside the transaction that stores the task (or its new due time). */
export function stageReminders(ctx: TasksContext, task: Task): void {
  for (const r of planReminders(task, ctx.reminderLeadMs, ctx.clock.now())) {
    const data: ReminderJob = { workspace: task.workspace, taskId: task.id, dueAt: r.dueAt, kind: r.kind }
    ctx.queue.stage(taskReminderJob, data, { runAt: r.runAt, dedupeKey: reminderKey(data) })
  }
}

/** Removes the reminders planned for a due time (the job's own re-check covers any that already started). */
export async function cancelReminders(ctx: TasksContext, task: Pick<Task, 'id' | 'dueAt'>): Promise<void> {
  if (!task.dueAt) return
  const dueAt = task.dueAt.getTime()
  for (const kind of ['lead', 'due'] as const) await ctx.queue.cancel(taskReminderJob, reminderKey({ taskId: task.id, dueAt, kind }))
}

export type ReminderOutcome = 'sent' | 'stale' | 'already-sent'

/** `jobId`: a rerun of the same job after a crash resends a DM that was claimed but never confirmed sent. */
export async function runReminder(ctx: TasksContext, data: ReminderJob, jobId?: string): Promise<ReminderOutcome> {
  const task = await ctx.repo.get(data.workspace, data.taskId)
  if (task?.status !== 'open' || task.dueAt?.getTime() !== data.dueAt) {
    ctx.log.debug({ taskId: data.taskId, kind: data.kind }, 'reminder no longer applies')
    return 'stale'
  }
  const now = ctx.clock.now()
  // A lead reminder that runs late (the process was down) after the due time adds nothing.
  if (data.kind === 'lead' && now.getTime() >= data.dueAt) return 'stale'
  const platform = ctx.platforms.forWorkspace(task.workspace)
  let sent = 0
  let firstError: unknown
  for (const a of task.assignees) {
    const key = `remind:${data.kind}:${data.dueAt}:${a.personId}`
    if (!(await ctx.repo.claimNotification(task.id, key, now, jobId))) continue
    try {
      const zone = await zoneOf(ctx, task.workspace, a.personId, task.timezone)
      await platform.post({ dmTo: { workspace: task.workspace, id: a.personId } }, reminderCard(task, data.kind, { zone, now }))
      await ctx.repo.markNotificationSent(task.id, key)
      sent++
    } catch (err) {
      // Give the claim back so the retry sends this one; the others keep theirs.
      await ctx.repo.releaseNotification(task.id, key)
      firstError ??= err
    }
  }
  if (firstError) throw firstError
  return sent > 0 ? 'sent' : 'already-sent'
}

/** The person's zone: cached profile, then the platform, then the zone the task was written in. */
export async function zoneOf(ctx: TasksContext, workspace: WorkspaceId, personId: string, fallback: string): Promise<string> {
  const cached = await ctx.people.get(workspace, personId)
  if (cached?.timezone) return safeZone(cached.timezone)
  try {
    const p = await ctx.platforms.forWorkspace(workspace).getPerson(workspace, personId)
    if (p?.timezone) return safeZone(p.timezone)
  } catch (err) {
    ctx.log.debug({ err, personId }, 'could not look up a timezone')
  }
  return safeZone(fallback)
}

/** Overdue tasks read per run: a backlog bigger than this waits for the next hour. */
const DIGEST_SCAN = 5000
const DIGEST_SHOWN = 15

/**
 * One DM per assignee per local day listing their overdue tasks, sent during the digest hour of a
 * weekday in their own zone. Runs hourly; the per-person day claim makes extra runs harmless.
 */
export async function runOverdueDigest(ctx: TasksContext): Promise<{ sent: number; failed: number }> {
  const now = ctx.clock.now()
  const byPerson = new Map<string, { workspace: WorkspaceId; personId: string; tasks: Task[] }>()
  for (const t of await ctx.repo.overdue(now, DIGEST_SCAN)) {
    for (const a of t.assignees) {
      const k = `${t.workspace}\u0000${a.personId}`
      const entry = byPerson.get(k) ?? { workspace: t.workspace, personId: a.personId, tasks: [] }
      entry.tasks.push(t)
      byPerson.set(k, entry)
    }
  }
  let sent = 0
  let failed = 0
  for (const p of byPerson.values()) {
    const zone = await zoneOf(ctx, p.workspace, p.personId, p.tasks[0]!.timezone)
    const local = wallClock(now, zone)
    if (local.hour !== ctx.digestHour || local.weekday === 0 || local.weekday === 6) continue
    const day = localDay(now, zone)
    if (!(await ctx.repo.claimDigest(p.workspace, p.personId, day, now))) continue
    try {
      const shown = p.tasks.slice(0, DIGEST_SHOWN)
      await ctx.platforms.forWorkspace(p.workspace).post({ dmTo: { workspace: p.workspace, id: p.personId } }, digestCard(shown, { zone, now }))
      sent++
    } catch (err) {
      // One unreachable person must not stop the others; releasing lets the next hourly run retry
      // only while it is still their digest hour.
      await ctx.repo.releaseDigest(p.workspace, p.personId, day)
      failed++
      ctx.log.warn({ err, personId: p.personId }, 'could not send the overdue digest')
    }
  }
  if (sent || failed) ctx.log.info({ sent, failed }, 'overdue digest')
  return { sent, failed }
}
