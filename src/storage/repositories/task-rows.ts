/**
 * Task rows ↔ the core's Task: the columns a new task is inserted with and how a stored row (with
 * its assignees) reads back. Both task repositories (SQLite and PostgreSQL) use these, so a task
 * reads the same whichever store holds it.
 */
import type { NewTask, Task, TaskStatus } from '../../core/tasks/types.ts'
import type { taskAssignees, tasks } from '../schema/index.ts'

export type TaskRow = typeof tasks.$inferSelect

/** The row of a new task with its allocated number (the PostgreSQL repository inserts the same). */
export function newTaskRow(t: NewTask, number: number, at: Date): typeof tasks.$inferInsert {
  return {
    workspaceId: t.workspace,
    number,
    title: t.title,
    creatorId: t.creatorId,
    creatorName: t.creatorName,
    timezone: t.timezone,
    dueAt: t.dueAt ?? null,
    dueDateOnly: t.dueDateOnly,
    conversationId: t.conversationId ?? null,
    sourceConversationId: t.source?.conversationId ?? null,
    sourceMessageId: t.source?.messageId ?? null,
    sourceThreadId: t.source?.threadId ?? null,
    sourcePermalink: t.source?.permalink ?? null,
    originKey: t.originKey ?? null,
    createdAt: at,
    updatedAt: at,
  }
}

export function toTask(r: TaskRow, assignees: (typeof taskAssignees.$inferSelect)[]): Task {
  return {
    id: r.id,
    workspace: r.workspaceId,
    number: r.number,
    title: r.title,
    status: r.status as TaskStatus,
    creatorId: r.creatorId,
    creatorName: r.creatorName,
    timezone: r.timezone,
    assignees: assignees.map((a) => ({ personId: a.personId, displayName: a.displayName })),
    ...(r.dueAt ? { dueAt: r.dueAt } : {}),
    dueDateOnly: r.dueDateOnly,
    ...(r.conversationId ? { conversationId: r.conversationId } : {}),
    ...(r.sourceConversationId && r.sourceMessageId && r.sourceThreadId
      ? {
          source: {
            conversationId: r.sourceConversationId,
            messageId: r.sourceMessageId,
            threadId: r.sourceThreadId,
            ...(r.sourcePermalink ? { permalink: r.sourcePermalink } : {}),
          },
        }
      : {}),
    ...(r.confirmationMessageId ? { confirmationMessageId: r.confirmationMessageId } : {}),
    version: r.version,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    ...(r.closedAt ? { closedAt: r.closedAt } : {}),
    ...(r.closedBy ? { closedBy: r.closedBy } : {}),
  }
}
