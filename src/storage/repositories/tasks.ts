import { and, asc, count, desc, eq, exists, inArray, isNotNull, lt, or, sql, type SQL } from 'drizzle-orm'
import type { WorkspaceId } from '../../core/model.ts'
import type { InTransaction, NewTask, Task, TaskChanges, TaskQuery, TaskRepository } from '../../core/tasks/types.ts'
import type { Db } from '../db.ts'
import { taskAssignees, taskCounters, taskDigests, taskNotifications, tasks } from '../schema/index.ts'
import { newTaskRow, toTask, type TaskRow } from './task-rows.ts'

/**
 * SQLite implementation of the task port. Every write that must be atomic (number allocation,
 * optimistic updates, open → closed, notification claims) is one transaction or one conditional
 * statement, so several processes sharing the file (server, worker, CLI) agree.
 */
export class SqliteTaskRepository implements TaskRepository {
  constructor(private readonly db: Db) {}

  async create(t: NewTask, at: Date, inTransaction?: InTransaction): Promise<Task> {
    const id = this.db.transaction((tx) => {
      if (t.originKey !== undefined) {
        // The same inbound event again (a replay after a crash): its task, not a second one.
        const seen = tx
          .select({ id: tasks.id })
          .from(tasks)
          .where(and(eq(tasks.workspaceId, t.workspace), eq(tasks.originKey, t.originKey)))
          .get()
        if (seen) return seen.id
      }
      // The counter upsert and the insert share the transaction: a number is never handed out twice,
      // and a failed insert does not burn one.
      const counter = tx
        .insert(taskCounters)
        .values({ workspaceId: t.workspace, lastNumber: 1 })
        .onConflictDoUpdate({ target: taskCounters.workspaceId, set: { lastNumber: sql`${taskCounters.lastNumber} + 1` } })
        .returning({ n: taskCounters.lastNumber })
        .get()
      const row = tx
        .insert(tasks)
        .values(newTaskRow(t, counter.n, at))
        .returning({ id: tasks.id })
        .get()
      this.insertAssignees(tx, row.id, t.assignees)
      // Same connection, same transaction: the follow-ups commit with the task or not at all.
      if (inTransaction) inTransaction(this.read(t.workspace, row.id))
      return row.id
    })
    return this.mustGet(t.workspace, id)
  }

  async get(workspace: WorkspaceId, id: number): Promise<Task | undefined> {
    const row = this.db
      .select()
      .from(tasks)
      .where(and(eq(tasks.workspaceId, workspace), eq(tasks.id, id)))
      .get()
    return row && this.hydrate([row])[0]
  }

  async getByNumber(workspace: WorkspaceId, number: number): Promise<Task | undefined> {
    const row = this.db
      .select()
      .from(tasks)
      .where(and(eq(tasks.workspaceId, workspace), eq(tasks.number, number)))
      .get()
    return row && this.hydrate([row])[0]
  }

  async update(
    workspace: WorkspaceId,
    id: number,
    expectedVersion: number,
    c: TaskChanges,
    at: Date,
    inTransaction?: InTransaction,
  ): Promise<Task | undefined> {
    const ok = this.db.transaction((tx) => {
      const set: Partial<typeof tasks.$inferInsert> = { updatedAt: at, version: expectedVersion + 1 }
      if (c.title !== undefined) set.title = c.title
      if (c.dueAt !== undefined) set.dueAt = c.dueAt
      if (c.dueDateOnly !== undefined) set.dueDateOnly = c.dueDateOnly
      const res = tx
        .update(tasks)
        .set(set)
        .where(and(eq(tasks.workspaceId, workspace), eq(tasks.id, id), eq(tasks.version, expectedVersion), eq(tasks.status, 'open')))
        .run()
      if (res.changes !== 1) return false
      if (c.assignees) {
        tx.delete(taskAssignees).where(eq(taskAssignees.taskId, id)).run()
        this.insertAssignees(tx, id, c.assignees)
      }
      if (inTransaction) inTransaction(this.read(workspace, id))
      return true
    })
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
    const closed = this.db.transaction((tx) => {
      const res = tx
        .update(tasks)
        .set({ status, closedAt: at, closedBy: by, updatedAt: at, version: sql`${tasks.version} + 1` })
        .where(and(eq(tasks.workspaceId, workspace), eq(tasks.id, id), eq(tasks.status, 'open')))
        .run()
      if (res.changes !== 1) return false
      if (inTransaction) inTransaction(this.read(workspace, id))
      return true
    })
    return closed ? this.mustGet(workspace, id) : undefined
  }

  async list(q: TaskQuery): Promise<{ tasks: Task[]; total: number }> {
    const conds: SQL[] = [eq(tasks.workspaceId, q.workspace)]
    if (q.status) conds.push(eq(tasks.status, q.status))
    if (q.assignee) conds.push(this.assignedTo(q.assignee))
    if (q.creator) conds.push(eq(tasks.creatorId, q.creator))
    if (q.involving) conds.push(or(eq(tasks.creatorId, q.involving), this.assignedTo(q.involving))!)
    if (q.conversationId) conds.push(or(eq(tasks.conversationId, q.conversationId), eq(tasks.sourceConversationId, q.conversationId))!)
    if (q.dueBefore) conds.push(and(isNotNull(tasks.dueAt), lt(tasks.dueAt, q.dueBefore))!)
    if (q.sourceMessage) {
      // conversationId first: the tasks_conversation index keeps this to the tasks of one conversation.
      const s = q.sourceMessage
      conds.push(eq(tasks.conversationId, s.conversationId), eq(tasks.sourceConversationId, s.conversationId), eq(tasks.sourceMessageId, s.messageId))
    }
    const where = and(...conds)
    const total = this.db.select({ n: count() }).from(tasks).where(where).get()?.n ?? 0
    // Tasks with a due date first, soonest first; then undated ones, newest first.
    const rows = this.db
      .select()
      .from(tasks)
      .where(where)
      .orderBy(sql`${tasks.dueAt} IS NULL`, asc(tasks.dueAt), desc(tasks.number))
      .limit(q.limit)
      .all()
    return { tasks: this.hydrate(rows), total }
  }

  async overdue(now: Date, limit: number): Promise<Task[]> {
    const rows = this.db
      .select()
      .from(tasks)
      .where(and(eq(tasks.status, 'open'), isNotNull(tasks.dueAt), lt(tasks.dueAt, now)))
      .orderBy(asc(tasks.dueAt))
      .limit(limit)
      .all()
    return this.hydrate(rows)
  }

  async setPermalink(id: number, permalink: string): Promise<void> {
    this.db.update(tasks).set({ sourcePermalink: permalink }).where(eq(tasks.id, id)).run()
  }

  async setConfirmationMessage(id: number, messageId: string): Promise<void> {
    this.db.update(tasks).set({ confirmationMessageId: messageId }).where(eq(tasks.id, id)).run()
  }

  async claimNotification(id: number, key: string, at: Date, claimant?: string): Promise<boolean> {
    // The primary key makes this atomic across processes: only one insert wins.
    const row = { taskId: id, key, sentAt: at, claimedBy: claimant ?? null, sent: claimant === undefined }
    if (this.db.insert(taskNotifications).values(row).onConflictDoNothing().run().changes === 1) return true
    if (claimant === undefined) return false
    // The same job again, and its claim never confirmed: the run that made it died mid-send.
    return (
      this.db
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
        .run().changes === 1
    )
  }

  async markNotificationSent(id: number, key: string): Promise<void> {
    this.db
      .update(taskNotifications)
      .set({ sent: true })
      .where(and(eq(taskNotifications.taskId, id), eq(taskNotifications.key, key)))
      .run()
  }

  async releaseNotification(id: number, key: string): Promise<void> {
    this.db
      .delete(taskNotifications)
      .where(and(eq(taskNotifications.taskId, id), eq(taskNotifications.key, key)))
      .run()
  }

  async claimDigest(workspace: WorkspaceId, personId: string, localDay: string, at: Date): Promise<boolean> {
    // Insert, or move the day forward only if it is a different day: one winner per person per day.
    const res = this.db
      .insert(taskDigests)
      .values({ workspaceId: workspace, personId, lastOverdueDigestOn: localDay, updatedAt: at })
      .onConflictDoUpdate({
        target: [taskDigests.workspaceId, taskDigests.personId],
        set: { lastOverdueDigestOn: localDay, updatedAt: at },
        setWhere: sql`${taskDigests.lastOverdueDigestOn} <> ${localDay}`,
      })
      .run()
    return res.changes === 1
  }

  async releaseDigest(workspace: WorkspaceId, personId: string, localDay: string): Promise<void> {
    // Only undo our own claim; the row then no longer blocks today's retry.
    this.db
      .delete(taskDigests)
      .where(and(eq(taskDigests.workspaceId, workspace), eq(taskDigests.personId, personId), eq(taskDigests.lastOverdueDigestOn, localDay)))
      .run()
  }

  async removeWorkspace(workspace: WorkspaceId): Promise<number> {
    return this.db.transaction((tx) => {
      const n = tx.delete(tasks).where(eq(tasks.workspaceId, workspace)).run().changes
      tx.delete(taskCounters).where(eq(taskCounters.workspaceId, workspace)).run()
      tx.delete(taskDigests).where(eq(taskDigests.workspaceId, workspace)).run()
      return n
    })
  }

  // ---------------------------------------------------------------- helpers

  private assignedTo(personId: string): SQL {
    return exists(
      this.db
        .select({ one: sql`1` })
        .from(taskAssignees)
        .where(and(eq(taskAssignees.taskId, tasks.id), eq(taskAssignees.personId, personId))),
    )
  }

  private insertAssignees(tx: Pick<Db, 'insert'>, taskId: number, list: NewTask['assignees']): void {
    if (list.length === 0) return
    tx.insert(taskAssignees)
      .values(list.map((a, i) => ({ taskId, personId: a.personId, displayName: a.displayName, position: i })))
      .onConflictDoNothing()
      .run()
  }

  /** Synchronous read on the same connection: inside a transaction it sees that transaction's writes. */
  private read(workspace: WorkspaceId, id: number): Task {
    const row = this.db
      .select()
      .from(tasks)
      .where(and(eq(tasks.workspaceId, workspace), eq(tasks.id, id)))
      .get()
    if (!row) throw new Error(`task ${id} vanished during a write`)
    return this.hydrate([row])[0]!
  }

  private async mustGet(workspace: WorkspaceId, id: number): Promise<Task> {
    const t = await this.get(workspace, id)
    if (!t) throw new Error(`task ${id} vanished after a write`)
    return t
  }

  private hydrate(rows: TaskRow[]): Task[] {
    if (rows.length === 0) return []
    const ids = rows.map((r) => r.id)
    const people = this.db.select().from(taskAssignees).where(inArray(taskAssignees.taskId, ids)).orderBy(asc(taskAssignees.position)).all()
    return rows.map((r) =>
      toTask(
        r,
        people.filter((p) => p.taskId === r.id),
      ),
    )
  }
}
