import { boolean, index, integer, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core'
import { at } from './columns.ts'

/** PostgreSQL twin of src/storage/schema/tasks.ts (same tables, columns and meaning). */
export const tasks = pgTable(
  'tasks',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    workspaceId: text('workspace_id').notNull(),
    number: integer('number').notNull(),
    title: text('title').notNull(),
    status: text('status', { enum: ['open', 'done', 'cancelled'] })
      .notNull()
      .default('open'),
    creatorId: text('creator_id').notNull(),
    creatorName: text('creator_name').notNull(),
    timezone: text('timezone').notNull(),
    dueAt: at('due_at'),
    dueDateOnly: boolean('due_date_only').notNull().default(false),
    conversationId: text('conversation_id'),
    sourceConversationId: text('source_conversation_id'),
    sourceMessageId: text('source_message_id'),
    sourceThreadId: text('source_thread_id'),
    sourcePermalink: text('source_permalink'),
    confirmationMessageId: text('confirmation_message_id'),
    version: integer('version').notNull().default(1),
    createdAt: at('created_at').notNull(),
    updatedAt: at('updated_at').notNull(),
    closedAt: at('closed_at'),
    closedBy: text('closed_by'),
    originKey: text('origin_key'),
  },
  (t) => [
    uniqueIndex('tasks_number').on(t.workspaceId, t.number),
    index('tasks_open_due').on(t.status, t.dueAt),
    index('tasks_creator').on(t.workspaceId, t.creatorId, t.status),
    index('tasks_conversation').on(t.workspaceId, t.conversationId, t.status),
    uniqueIndex('tasks_origin').on(t.workspaceId, t.originKey),
  ],
)

export const taskAssignees = pgTable(
  'task_assignees',
  {
    taskId: integer('task_id')
      .notNull()
      .references(() => tasks.id, { onDelete: 'cascade' }),
    personId: text('person_id').notNull(),
    displayName: text('display_name').notNull(),
    position: integer('position').notNull(),
  },
  (t) => [primaryKey({ columns: [t.taskId, t.personId] }), index('task_assignees_person').on(t.personId)],
)

/** The last short number handed out per workspace; its row lock serialises concurrent creates. */
export const taskCounters = pgTable('task_counters', {
  workspaceId: text('workspace_id').primaryKey(),
  lastNumber: integer('last_number').notNull(),
})

export const taskNotifications = pgTable(
  'task_notifications',
  {
    taskId: integer('task_id')
      .notNull()
      .references(() => tasks.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    sentAt: at('sent_at').notNull(),
    claimedBy: text('claimed_by'),
    sent: boolean('sent').notNull().default(true),
  },
  (t) => [primaryKey({ columns: [t.taskId, t.key] })],
)

export const taskDigests = pgTable(
  'task_digests',
  {
    workspaceId: text('workspace_id').notNull(),
    personId: text('person_id').notNull(),
    lastOverdueDigestOn: text('last_overdue_digest_on').notNull(),
    updatedAt: at('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.personId] })],
)
