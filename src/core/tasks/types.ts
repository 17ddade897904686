/**
 * The task model and the storage port it needs. Implemented by src/storage/repositories/tasks.ts
 * (SQLite); the core never sees SQL.
 */
import type { WorkspaceId } from '../model.ts'
import type { ThreadId } from '../thread-id.ts'

export type TaskStatus = 'open' | 'done' | 'cancelled'

export interface Assignee {
  personId: string
  displayName: string
}

export interface TaskSource {
  conversationId: string
  messageId: string
  threadId: ThreadId
  permalink?: string
}

export interface Task {
  /** Internal row id (stable, global); jobs and buttons carry the workspace-scoped `number`. */
  id: number
  workspace: WorkspaceId
  /** The short id people type: T-<number>. */
  number: number
  title: string
  status: TaskStatus
  creatorId: string
  creatorName: string
  /** IANA zone the due date was read in (the creator's). */
  timezone: string
  assignees: Assignee[]
  dueAt?: Date
  /** The person gave a date without a time; dueAt is 17:00 local that day. */
  dueDateOnly: boolean
  conversationId?: string
  source?: TaskSource
  confirmationMessageId?: string
  version: number
  createdAt: Date
  updatedAt: Date
  closedAt?: Date
  closedBy?: string
}

/** What a new task is made of; the repository adds its number, status, version and times. */
export type NewTask = Pick<
  Task,
  'workspace' | 'title' | 'creatorId' | 'creatorName' | 'timezone' | 'assignees' | 'dueAt' | 'dueDateOnly' | 'conversationId' | 'source'
> & {
  /** The inbound event that asks for it: the same event processed again (a replay) gets the same task. */
  originKey?: string
}

/**
 * Runs inside the repository's write transaction with the task as written: the place to stage
 * follow-up jobs (JobQueue.stage), so they commit, or vanish, together with the change.
 */
export type InTransaction = (task: Task) => void

/** Fields an edit may change; absent = unchanged, `dueAt: null` = no due date any more. */
export interface TaskChanges {
  title?: string
  assignees?: Assignee[]
  dueAt?: Date | null
  dueDateOnly?: boolean
}

export interface TaskQuery {
  workspace: WorkspaceId
  status?: TaskStatus
  assignee?: string
  creator?: string
  /** Either the conversation it was created in or the one its source message is in. */
  conversationId?: string
  /** Involving this person as creator or assignee. */
  involving?: string
  dueBefore?: Date
  /** Made from this message (the create-task action), in the conversation it was made in. */
  sourceMessage?: { conversationId: string; messageId: string }
  limit: number
}

export interface TaskRepository {
  /**
   * Allocates the next short number of the workspace and inserts, in one transaction with
   * `inTransaction`. When a task with the same `originKey` exists in the workspace, returns it and
   * writes nothing (`inTransaction` does not run).
   */
  create(t: NewTask, at: Date, inTransaction?: InTransaction): Promise<Task>
  get(workspace: WorkspaceId, id: number): Promise<Task | undefined>
  getByNumber(workspace: WorkspaceId, number: number): Promise<Task | undefined>
  /**
   * Applies the changes only if the task is still open at `expectedVersion` (optimistic
   * concurrency: two people editing at once cannot silently overwrite each other).
   */
  update(
    workspace: WorkspaceId,
    id: number,
    expectedVersion: number,
    changes: TaskChanges,
    at: Date,
    inTransaction?: InTransaction,
  ): Promise<Task | undefined>
  /** open → done/cancelled; undefined when it was not open any more (a second click). */
  close(
    workspace: WorkspaceId,
    id: number,
    status: 'done' | 'cancelled',
    by: string,
    at: Date,
    inTransaction?: InTransaction,
  ): Promise<Task | undefined>
  /** Newest due first for open lists; `total` counts every match, `tasks` at most `limit`. */
  list(q: TaskQuery): Promise<{ tasks: Task[]; total: number }>
  /** Open tasks due before `now`, every workspace, oldest due first. */
  overdue(now: Date, limit: number): Promise<Task[]>
  setPermalink(id: number, permalink: string): Promise<void>
  setConfirmationMessage(id: number, messageId: string): Promise<void>
  /**
   * True for exactly one caller per (task, key): the right to send that notification. With a
   * `claimant` (the job id), the same job may claim again while its earlier claim was never marked
   * sent: its previous run died between claiming and sending.
   */
  claimNotification(id: number, key: string, at: Date, claimant?: string): Promise<boolean>
  /** The claimed notification went out. */
  markNotificationSent(id: number, key: string): Promise<void>
  /** Give a claim back after the send failed, so a retry can send it. */
  releaseNotification(id: number, key: string): Promise<void>
  /** True for exactly one caller per (person, local day): the right to send that day's overdue digest. */
  claimDigest(workspace: WorkspaceId, personId: string, localDay: string, at: Date): Promise<boolean>
  releaseDigest(workspace: WorkspaceId, personId: string, localDay: string): Promise<void>
  /** Forget every task of a workspace (app uninstalled). */
  removeWorkspace(workspace: WorkspaceId): Promise<number>
}
