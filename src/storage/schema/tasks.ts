import { sqliteTable, text, integer, primaryKey, index, uniqueIndex } from 'drizzle-orm/sqlite-core'

/**
 * Tasks made from `/task` or the "Create task" message action. `number` is the short id people
 * type (T-42): unique per workspace, allocated from `task_counters` in the same transaction as the
 * insert so two concurrent creates can never get the same one.
 */
export const tasks = sqliteTable(
  'tasks',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    workspaceId: text('workspace_id').notNull(),
    number: integer('number').notNull(),
    title: text('title').notNull(),
    status: text('status', { enum: ['open', 'done', 'cancelled'] })
      .notNull()
      .default('open'),
    creatorId: text('creator_id').notNull(),
    creatorName: text('creator_name').notNull(),
    /** The zone the due date was read in (the creator's), kept so replies can say what was understood. */
    timezone: text('timezone').notNull(),
    dueAt: integer('due_at', { mode: 'timestamp_ms' }),
    /** "fri" means 17:00 local; remembered so the date can be shown without a misleading time. */
    dueDateOnly: integer('due_date_only', { mode: 'boolean' }).notNull().default(false),
    /** Where the task was created (for `/task list channel`). */
    conversationId: text('conversation_id'),
    /** The message a task was made from (message action), its thread and link. */
    sourceConversationId: text('source_conversation_id'),
    sourceMessageId: text('source_message_id'),
    sourceThreadId: text('source_thread_id'),
    sourcePermalink: text('source_permalink'),
    /** Beacon's one confirmation in the source thread, updated if the task is cancelled. */
    confirmationMessageId: text('confirmation_message_id'),
    /** Bumped on every change: reminders, notifications and webhooks are keyed on it. */
    version: integer('version').notNull().default(1),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
    closedAt: integer('closed_at', { mode: 'timestamp_ms' }),
    closedBy: text('closed_by'),
    /** The inbound event that created it: replaying that event (after a crash) finds this task instead of making another. */
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

export const taskAssignees = sqliteTable(
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

/** The last short number handed out per workspace. */
export const taskCounters = sqliteTable('task_counters', {
  workspaceId: text('workspace_id').primaryKey(),
  lastNumber: integer('last_number').notNull(),
})

/**
 * One row per notification actually sent (DM to an assignee, thread confirmation, reminder of one
 * due time, …). Claimed before sending, released if the send fails: a retried or duplicated job
 * can never send the same thing twice.
 */
export const taskNotifications = sqliteTable(
  'task_notifications',
  {
    taskId: integer('task_id')
      .notNull()
      .references(() => tasks.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    sentAt: integer('sent_at', { mode: 'timestamp_ms' }).notNull(),
    /** The job that claimed it (a rerun of that job after a crash may send it again while not `sent`). */
    claimedBy: text('claimed_by'),
    /** False between the claim and a confirmed send. */
    sent: integer('sent', { mode: 'boolean' }).notNull().default(true),
  },
  (t) => [primaryKey({ columns: [t.taskId, t.key] })],
)

/** The day (in the person's zone, "YYYY-MM-DD") each person last got the overdue digest. */
export const taskDigests = sqliteTable(
  'task_digests',
  {
    workspaceId: text('workspace_id').notNull(),
    personId: text('person_id').notNull(),
    lastOverdueDigestOn: text('last_overdue_digest_on').notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.personId] })],
)
