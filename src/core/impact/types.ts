/**
 * The impact model and its storage ports (src/storage/repositories/impact.ts on SQLite,
 * src/storage/pg/repositories/impact.ts on PostgreSQL). Like adoption, an event says what kind of
 * useful thing happened where and when — never what was written, and never shown per person.
 */
import type { WorkspaceId } from '../model.ts'

export const IMPACT_KINDS = [
  /** A saved item was suggested under a question. */
  'suggestion_shown',
  /** Someone opened a saved item from a search result or a suggestion. */
  'item_opened',
  /** 👍 / 👎 on "Did this answer it?" (flag: helpful); itemId says which item. */
  'feedback',
  /** A question asked in a channel (counted in the week it was asked). */
  'question_asked',
  /** Its first answer by someone else (week of the question; minutes; flag: within a working day). */
  'question_answered',
  /** A task made from a conversation (flag: from a message, not typed alone). */
  'task_created',
  /** A task with a due date closed (flag: on or before its due date). */
  'task_due_closed',
  /** Kudos given (flag: giver and receiver in different known departments; null: unknown). */
  'kudos',
] as const
export type ImpactKind = (typeof IMPACT_KINDS)[number]

export interface ImpactEvent {
  workspace: WorkspaceId
  conversationId: string
  kind: ImpactKind
  at: Date
  /** Monday of the week it counts for; default: the week of `at`. */
  week?: string
  itemId?: number
  minutes?: number
  flag?: boolean
  /** Recorded once however often it is reported ("task:42:created"). */
  sourceKey: string
}

export interface ImpactRow {
  kind: ImpactKind
  itemId: number | null
  minutes: number | null
  flag: boolean | null
}

export interface OpenQuestion {
  workspace: WorkspaceId
  conversationId: string
  threadId: string
  askerId: string
  askedAt: Date
}

export interface ImpactRepository {
  /** False when the source key was recorded before. */
  record(e: ImpactEvent): Promise<boolean>
  /** The events of these conversations counted for the week starting on `monday`. */
  weekEvents(workspace: WorkspaceId, conversationIds: string[], monday: string): Promise<ImpactRow[]>
  openQuestion(q: OpenQuestion): Promise<void>
  /** Marks the thread's question answered when it is open and `answererId` is not its asker; returns it then. */
  answerQuestion(workspace: WorkspaceId, threadId: string, answererId: string, at: Date): Promise<OpenQuestion | undefined>
  /** Questions asked before the cutoff, and answered ones (their answer is an event already), are forgotten. */
  purgeQuestionsBefore(cutoff: Date): Promise<number>
  /** Whether the week's links were folded into the pairs already. */
  pairWeekDone(workspace: WorkspaceId, monday: string): Promise<boolean>
  /** Folds one week's link pairs (a reply or kudos between two people) in and marks the week done, in one transaction. */
  addPairs(workspace: WorkspaceId, monday: string, pairs: { a: string; b: string; conversationId: string }[]): Promise<void>
  /**
   * Pairs connected outside the links (people working on one task), folded in at once: the earliest
   * week still wins, and the week is not marked done, so its replies and kudos are folded in later.
   */
  connect(workspace: WorkspaceId, monday: string, pairs: { a: string; b: string; conversationId: string }[]): Promise<void>
  /** Pairs first connected in the week starting on `monday`, in these conversations. */
  newPairs(workspace: WorkspaceId, conversationIds: string[], monday: string): Promise<{ a: string; b: string }[]>
  /** The week each of these pairs (either order) was first connected in, by `pairKey`; pairs never connected are absent. */
  firstWeeks(workspace: WorkspaceId, pairs: { a: string; b: string }[]): Promise<Map<string, string>>
  /** Opt-out: the person's open questions and pairs go. */
  forgetPerson(workspace: WorkspaceId, personId: string): Promise<void>
}

export interface Sponsor {
  workspace: WorkspaceId
  personId: string
  addedBy: string
  addedAt: Date
}

export interface SponsorRepository {
  /** False when already a sponsor. */
  add(s: Sponsor): Promise<boolean>
  remove(workspace: WorkspaceId, personId: string): Promise<boolean>
  list(workspace: WorkspaceId): Promise<Sponsor[]>
  workspaces(): Promise<WorkspaceId[]>
  /** True for exactly one caller per (sponsor, month "YYYY-MM"): the right to send that month's digest. */
  claimDigest(workspace: WorkspaceId, personId: string, month: string, at: Date): Promise<boolean>
  releaseDigest(workspace: WorkspaceId, personId: string, month: string): Promise<void>
}

/** One key for a pair of people, whichever order they come in. */
export function pairKey(a: string, b: string): string {
  return a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`
}
