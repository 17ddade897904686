import { and, asc, count, desc, eq, exists, inArray, isNotNull, lt, or, sql, type SQL } from 'drizzle-orm'
import type { WorkspaceId } from '../../../core/model.ts'
import type { InTransaction, NewTask, Task, TaskChanges, TaskQuery, TaskRepository } from '../../../core/tasks/types.ts'
import { newTaskRow, toTask } from '../../repositories/task-rows.ts'
import type { PgDb } from '../db.ts'
import type { PgExecutor } from '../executor.ts'
import { taskAssignees, taskCounters, taskDigests, taskNotifications, tasks } from '../schema/tasks.ts'
import { afterCommit, writeStaged, type StagedWrite } from '../staging.ts'

type Row = typeof tasks.$inferSelect

/**
 * PostgreSQL implementation of the task port, for several processes on one database. Numbers come
 * from the workspace's `task_counters` row, locked by the first statement of the create: creates in
 * one workspace queue on it (gapless, never twice), other workspaces do not wait. Follow-up jobs
 * staged in `inTransaction` are written on the same transaction (staging.ts).
 */
export class PgTaskRepository implements TaskRepository {
  constructor(private readonly db: PgDb) {}

  async create(t: NewTask, at: Date, inTransaction?: InTransaction): Promise<Task> {
    let staged: StagedWrite[] = []
    const id = await this.db.transaction(async (tx) => {
      // Lock the counter row first (creating it at 0), without taking a number yet: a concurrent
      // replay of the same event then waits here and finds the task below instead of failing on it.
      await tx
        .insert(taskCounters)
        .values({ workspaceId: t.workspace, lastNumber: 0 })
        .onConflictDoUpdate({ target: taskCounters.workspaceId, set: { lastNumber: sql`${taskCounters.lastNumber}` } })
      if (t.originKey !== undefined) {
        const [seen] = await tx
          .select({ id: tasks.id })
          .from(tasks)
          .where(and(eq(tasks.workspaceId, t.workspace), eq(tasks.originKey, t.originKey)))
        if (seen) return seen.id
      }
      const [counter] = await tx
        .update(taskCounters)
        .set({ lastNumber: sql`${taskCounters.lastNumber} + 1` })
        .where(eq(taskCounters.workspaceId, t.workspace))
        .returning({ n: taskCounters.lastNumber })
      const [row] = await tx
        .insert(tasks)
        .values(newTaskRow(t, counter!.n, at))
        .returning({ id: tasks.id })
      await insertAssignees(tx, row!.id, t.assignees)
      if (inTransaction) {
        const task = await read(tx, t.workspace, row!.id)
        staged = await writeStaged(tx, () => inTransaction(task))
      }
      return row!.id
    })
    afterCommit(staged)
    return this.mustGet(t.workspace, id)
  }

  async get(workspace: WorkspaceId, id: number): Promise<Task | undefined> {
    const rows = await this.db
      .select()
      .from(tasks)
      .where(and(eq(tasks.workspaceId, workspace), eq(tasks.id, id)))
    return (await hydrate(this.db, rows))[0]
  }

  async getByNumber(workspace: WorkspaceId, number: number): Promise<Task | undefined> {
    const rows = await this.db
      .select()
      .from(tasks)
      .where(and(eq(tasks.workspaceId, workspace), eq(tasks.number, number)))
    return (await hydrate(this.db, rows))[0]
  }

  async update(
    workspace: WorkspaceId,
    id: number,
    expectedVersion: number,
    c: TaskChanges,
    at: Date,
    inTransaction?: InTransaction,
  ): Promise<Task | undefined> {
    let staged: StagedWrite[] = []
    const ok = await this.db.transaction(async (tx) => {
      const set: Partial<typeof tasks.$inferInsert> = { updatedAt: at, version: expectedVersion + 1 }
      if (c.title !== undefined) set.title = c.title
      if (c.dueAt !== undefined) set.dueAt = c.dueAt
      if (c.dueDateOnly !== undefined) set.dueDateOnly = c.dueDateOnly
      // The version guard is re-checked after any concurrent writer commits: exactly one edit wins.
      const res = await tx
        .update(tasks)
        .set(set)
        .where(and(eq(tasks.workspaceId, workspace), eq(tasks.id, id), eq(tasks.version, expectedVersion), eq(tasks.status, 'open')))
      if (res.rowCount !== 1) return false
      if (c.assignees) {
        await tx.delete(taskAssignees).where(eq(taskAssignees.taskId, id))
        await insertAssignees(tx, id, c.assignees)
      }
      if (inTransaction) {
        const task = await read(tx, workspace, id)
        staged = await writeStaged(tx, () => inTransaction(task))
      }
      return true
    })
    afterCommit(staged)
    return ok ? this.mustGet(workspace, id) : undefined
  }

  async close(
    workspace: WorkspaceId,
    id: number,
    status: 'done' | 'cancelled',
    by: string,
    at: Date,
    inTransaction?: InTransaction,
  ): Promise<Task | undefined> {
    let staged: StagedWrite[] = []
    const closed = await this.db.transaction(async (tx) => {
      const res = await tx
        .update(tasks)
        .set({ status, closedAt: at, closedBy: by, updatedAt: at, version: sql`${tasks.version} + 1` })
        .where(and(eq(tasks.workspaceId, workspace), eq(tasks.id, id), eq(tasks.status, 'open')))
      if (res.rowCount !== 1) return false
      if (inTransaction) {
        const task = await read(tx, workspace, id)
        staged = await writeStaged(tx, () => inTransaction(task))
      }
      return true
    })
    afterCommit(staged)
    return closed ? this.mustGet(workspace, id) : undefined
  }

  async list(q: TaskQuery): Promise<{ tasks: Task[]; total: number }> {
    const conds: SQL[] = [eq(tasks.workspaceId, q.workspace)]
    if (q.status) conds.push(eq(tasks.status, q.status))
    if (q.assignee) conds.push(assignedTo(this.db, q.assignee))
    if (q.creator) conds.push(eq(tasks.creatorId, q.creator))
    if (q.involving) conds.push(or(eq(tasks.creatorId, q.involving), assignedTo(this.db, q.involving))!)
    if (q.conversationId) conds.push(or(eq(tasks.conversationId, q.conversationId), eq(tasks.sourceConversationId, q.conversationId))!)
    if (q.dueBefore) conds.push(and(isNotNull(tasks.dueAt), lt(tasks.dueAt, q.dueBefore))!)
    if (q.sourceMessage) {
      const s = q.sourceMessage
      conds.push(eq(tasks.conversationId, s.conversationId), eq(tasks.sourceConversationId, s.conversationId), eq(tasks.sourceMessageId, s.messageId))
    }
    const where = and(...conds)
    const [total] = await this.db.select({ n: count() }).from(tasks).where(where)
    // Tasks with a due date first, soonest first; then undated ones, newest first (as on SQLite).
    const rows = await this.db
      .select()
      .from(tasks)
      .where(where)
      .orderBy(sql`${tasks.dueAt} IS NULL`, asc(tasks.dueAt), desc(tasks.number))
      .limit(q.limit)
    return { tasks: await hydrate(this.db, rows), total: total?.n ?? 0 }
  }

  async overdue(now: Date, limit: number): Promise<Task[]> {
    const rows = await this.db
      .select()
      .from(tasks)
      .where(and(eq(tasks.status, 'open'), isNotNull(tasks.dueAt), lt(tasks.dueAt, now)))
      .orderBy(asc(tasks.dueAt))
      .limit(limit)
    return hydrate(this.db, rows)
  }

  async setPermalink(id: number, permalink: string): Promise<void> {
    await this.db.update(tasks).set({ sourcePermalink: permalink }).where(eq(tasks.id, id))
  }

  async setConfirmationMessage(id: number, messageId: string): Promise<void> {
    await this.db.update(tasks).set({ confirmationMessageId: messageId }).where(eq(tasks.id, id))
  }

  async claimNotification(id: number, key: string, at: Date, claimant?: string): Promise<boolean> {
    // The primary key makes this atomic across processes: of concurrent inserts, one wins.
    const row = { taskId: id, key, sentAt: at, claimedBy: claimant ?? null, sent: claimant === undefined }
    if ((await this.db.insert(taskNotifications).values(row).onConflictDoNothing()).rowCount === 1) return true
    if (claimant === undefined) return false
    // The same job again, and its claim never confirmed: the run that made it died mid-send.
    const res = await this.db
      .update(taskNotifications)
      .set({ sentAt: at })
      .where(
        and(
          eq(taskNotifications.taskId, id),
          eq(taskNotifications.key, key),
          eq(taskNotifications.claimedBy, claimant),
          eq(taskNotifications.sent, false),
        ),
      )
    return res.rowCount === 1
  }

  async markNotificationSent(id: number, key: string): Promise<void> {
    await this.db
      .update(taskNotifications)
      .set({ sent: true })
      .where(and(eq(taskNotifications.taskId, id), eq(taskNotifications.key, key)))
  }

  async releaseNotification(id: number, key: string): Promise<void> {
    await this.db.delete(taskNotifications).where(and(eq(taskNotifications.taskId, id), eq(taskNotifications.key, key)))
  }

  async claimDigest(workspace: WorkspaceId, personId: string, localDay: string, at: Date): Promise<boolean> {
    const res = await this.db
      .insert(taskDigests)
      .values({ workspaceId: workspace, personId, lastOverdueDigestOn: localDay, updatedAt: at })
      .onConflictDoUpdate({
        target: [taskDigests.workspaceId, taskDigests.personId],
        set: { lastOverdueDigestOn: localDay, updatedAt: at },
        setWhere: sql`${taskDigests.lastOverdueDigestOn} <> ${localDay}`,
      })
    return res.rowCount === 1
  }

  async releaseDigest(workspace: WorkspaceId, personId: string, localDay: string): Promise<void> {
    await this.db
      .delete(taskDigests)
      .where(and(eq(taskDigests.workspaceId, workspace), eq(taskDigests.personId, personId), eq(taskDigests.lastOverdueDigestOn, localDay)))
  }

  async removeWorkspace(workspace: WorkspaceId): Promise<number> {
    return this.db.transaction(async (tx) => {
      const res = await tx.delete(tasks).where(eq(tasks.workspaceId, workspace))
      await tx.delete(taskCounters).where(eq(taskCounters.workspaceId, workspace))
      await tx.delete(taskDigests).where(eq(taskDigests.workspaceId, workspace))
      return res.rowCount ?? 0
    })
  }

  private async mustGet(workspace: WorkspaceId, id: number): Promise<Task> {
    const t = await this.get(workspace, id)
    if (!t) throw new Error(`task ${id} vanished after a write`)
    return t
  }
}

function assignedTo(db: PgExecutor, personId: string): SQL {
  return exists(
    db
      .select({ one: sql`1` })
      .from(taskAssignees)
      .where(and(eq(taskAssignees.taskId, tasks.id), eq(taskAssignees.personId, personId))),
  )
}

async function insertAssignees(tx: PgExecutor, taskId: number, list: NewTask['assignees']): Promise<void> {
  if (list.length === 0) return
  await tx
    .insert(taskAssignees)
    .values(list.map((a, i) => ({ taskId, personId: a.personId, displayName: a.displayName, position: i })))
    .onConflictDoNothing()
}

/** Inside a transaction: sees that transaction's own writes. */
async function read(tx: PgExecutor, workspace: WorkspaceId, id: number): Promise<Task> {
  const rows = await tx
    .select()
    .from(tasks)
    .where(and(eq(tasks.workspaceId, workspace), eq(tasks.id, id)))
  const task = (await hydrate(tx, rows))[0]
  if (!task) throw new Error(`task ${id} vanished during a write`)
  return task
}

async function hydrate(db: PgExecutor, rows: Row[]): Promise<Task[]> {
  if (rows.length === 0) return []
  const people = await db
    .select()
    .from(taskAssignees)
    .where(
      inArray(
        taskAssignees.taskId,
        rows.map((r) => r.id),
      ),
    )
    .orderBy(asc(taskAssignees.position))
  return rows.map((r) =>
    toTask(
      r,
      people.filter((p) => p.taskId === r.id),
    ),
  )
}
