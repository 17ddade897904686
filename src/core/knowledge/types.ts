/**
 * The knowledge model and the storage port it needs. Implemented by
 * src/storage/repositories/knowledge.ts (SQLite + FTS5); the core never sees SQL.
 */
import { z } from 'zod'
import type { Privacy, WorkspaceId } from '../model.ts'
import type { ThreadId } from '../thread-id.ts'

export type SaveVia = 'reaction' | 'action'
export type ItemStatus = 'active' | 'archived'

export interface Contributor {
  personId: string
  displayName: string
}

export interface Saver {
  personId: string
  via: SaveVia
  savedAt: Date
}

export interface KnowledgeItem {
  id: number
  workspace: WorkspaceId
  threadId: ThreadId
  conversation: { id: string; name: string; privacy: Privacy }
  rootMessageId: string
  title: string
  titleEdited: boolean
  /** Readable markdown in Beacon's subset. */
  body: string
  tags: string[]
  contributors: Contributor[]
  /** First saver first. */
  savers: Saver[]
  permalink?: string
  messageCount: number
  status: ItemStatus
  confirmationMessageId?: string
  createdAt: Date
  updatedAt: Date
  syncedAt: Date
  confirmedAt?: Date
  lastViewedAt?: Date
  staleAskedAt?: Date
}

/** What a capture or refresh derives from a thread; the repository stores it as one upsert. */
export interface ItemContent {
  workspace: WorkspaceId
  threadId: ThreadId
  conversation: { id: string; name: string; privacy: Privacy }
  rootMessageId: string
  title: string
  body: string
  /** Plain-text version of the body: what full-text search indexes and snippets are cut from. */
  searchText: string
  tags: string[]
  contributors: Contributor[]
  permalink?: string
  messageCount: number
}

export interface SearchFilters {
  /** Conversation names (lower case, without "#") or ids. */
  in?: string[]
  /** Contributor ids or display names (lower case). */
  from?: string[]
  /** Tags, lower case, without "#". */
  tag?: string[]
}

export interface RepoSearch {
  workspace: WorkspaceId
  /** An FTS5 MATCH expression built by search-query.ts; undefined = filters only, newest first. */
  match?: string
  /**
   * The broadened expression (any word), searched instead only when `match` finds nothing under the
   * same scope, filters and exclusions; its hits come back with `broadened: true`. Lets a backend
   * answer "nothing has every word" in the same statement instead of a second round trip.
   */
  fallback?: string
  filters: SearchFilters
  /** Leave out conversations the person was just found not to be in, and items already seen. */
  exclude?: { conversationIds?: string[]; itemIds?: number[] }
  limit: number
  offset: number
}

export interface SearchHit {
  item: KnowledgeItem
  /** bm25 (lower is better; negative). 0 when there was no MATCH. */
  score: number
  /** Body excerpt with hits between SNIPPET_OPEN and SNIPPET_CLOSE. */
  snippet: string
  /** Found by RepoSearch.fallback: the item has some of the words, not all. */
  broadened?: boolean
}

/** Control characters that never occur in stored text (it is sanitised), so they can mark hits safely. */
export const SNIPPET_OPEN = '\u0002'
export const SNIPPET_CLOSE = '\u0003'

export interface TermStats {
  /** Active items in the workspace. */
  total: number
  /** Per term: how many active items of the workspace contain it. */
  docFreq: Map<string, number>
  /** Per candidate item id: the terms it contains. */
  matched: Map<number, Set<string>>
}

export interface KnowledgeRepository {
  /**
   * Insert or update the item of (workspace, thread) in one transaction, never creating a second
   * one. Keeps a person-edited title. Reactivates an archived item only when `reactivate`.
   * Adds the saver when given (a person saves once; saving again keeps the first time).
   */
  upsert(content: ItemContent, opts: { now: Date; saver?: { personId: string; via: SaveVia }; reactivate: boolean }): Promise<KnowledgeItem>
  addSaver(itemId: number, saver: { personId: string; via: SaveVia }, at: Date): Promise<void>
  get(workspace: WorkspaceId, id: number): Promise<KnowledgeItem | undefined>
  getByThread(workspace: WorkspaceId, threadId: ThreadId): Promise<KnowledgeItem | undefined>
  /** Cheap existence check for event handlers on every message. */
  isSavedThread(workspace: WorkspaceId, threadId: ThreadId): Promise<boolean>
  /** Atomically claims the single confirmation; true for exactly one caller. */
  claimConfirmation(itemId: number, at: Date): Promise<boolean>
  /** Undo a claim whose message could not be posted, so a retry can post it. */
  releaseConfirmation(itemId: number): Promise<void>
  setConfirmationMessage(itemId: number, messageId: string): Promise<void>
  setStatus(workspace: WorkspaceId, id: number, status: ItemStatus, at: Date): Promise<boolean>
  archiveThread(workspace: WorkspaceId, threadId: ThreadId, at: Date): Promise<boolean>
  /** The conversation became private: its public items become members-only. Returns how many changed. */
  restrictConversation(workspace: WorkspaceId, conversationId: string): Promise<number>
  rename(workspace: WorkspaceId, id: number, title: string, at: Date): Promise<boolean>
  markViewed(ids: number[], at: Date): Promise<void>
  search(q: RepoSearch): Promise<SearchHit[]>
  recent(workspace: WorkspaceId, opts: { limit: number; savedBy?: string }): Promise<KnowledgeItem[]>
  /** Active items neither updated nor viewed since `cutoff`, and not asked about since then. */
  findStale(cutoff: Date, limit: number): Promise<KnowledgeItem[]>
  /** Claim the stale question for an item (once per period even with racing jobs). */
  claimStaleAsk(itemId: number, cutoff: Date, at: Date): Promise<boolean>
  /** "Keep": counts as a view, so the question comes back only after another quiet period. */
  keep(workspace: WorkspaceId, id: number, at: Date): Promise<boolean>
  /** Document frequencies and per-item matches of single terms, each given as its own MATCH expression. */
  termStats(workspace: WorkspaceId, terms: { key: string; match: string }[], itemIds: number[]): Promise<TermStats>
  setSuggest(workspace: WorkspaceId, conversationId: string, on: boolean, by: string, at: Date): Promise<void>
  suggestEnabled(workspace: WorkspaceId, conversationId: string): Promise<boolean>
  /** Forget every item of a workspace (app uninstalled). */
  removeWorkspace(workspace: WorkspaceId): Promise<number>
}

/** Stored JSON never appears in these tables; ids carried in buttons are validated with this. */
export const itemIdSchema = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER)
