/**
 * The recognition model and the storage port it needs. Implemented by
 * src/storage/repositories/recognition.ts (SQLite); the core never sees SQL.
 */
import type { WorkspaceId } from '../model.ts'

/** Given by a person (counts against their allowance), or credited automatically (no giver). */
export type KudosKind = 'given' | 'auto'
export type KudosSource = 'command' | 'reaction' | 'task' | 'knowledge' | 'task-done'

export interface NewKudos {
  workspace: WorkspaceId
  kind: KudosKind
  source: KudosSource
  giverId?: string
  giverName?: string
  receiverId: string
  receiverName: string
  /** Beacon markdown, already escaped where it came from a person. */
  reason: string
  value?: string
  conversationId?: string
  /** Given in a public channel: anyone in the workspace could see it. Otherwise only its conversation's audience counts it. */
  isPublic?: boolean
  /** Natural key of the cause, unique per workspace: inserting it twice does nothing. */
  key: string
}

export interface Kudos extends NewKudos {
  id: number
  createdAt: Date
}

/** What a giver already used, read inside the same transaction that inserts. */
export interface GiverUsage {
  /** Kudos given since the start of the giver's local day. */
  today: number
  /** Per receiver id: kudos given to them since the start of the giver's local week. */
  thisWeek: Map<string, number>
}

export interface GiveWindow {
  workspace: WorkspaceId
  giverId: string
  dayStart: Date
  weekStart: Date
  /**
   * The giver as one person of an organisation: their and each receiver's accounts in its other
   * workspaces, counted into the same usage in the same transaction, under one lock per person.
   */
  person?: GiverAcrossOrg
}

export interface GiverAcrossOrg {
  /** Shared by all the giver's accounts ("org:<id>:<email>"): their gives are serialised on it. */
  lockKey: string
  /** The giver's accounts in the organisation's other workspaces. */
  accounts: { workspace: WorkspaceId; personId: string }[]
  /** Per receiver id (in `GiveWindow.workspace`): their accounts in the other workspaces. */
  receivers: Record<string, { workspace: WorkspaceId; personId: string }[]>
}

export type GiveOutcome<R> = { ok: true; inserted: Kudos[]; duplicates: Kudos[] } | { ok: false; refusal: R }

export interface LeaderRow {
  receiverId: string
  receiverName: string
  /** Distinct people who gave (the ranking's first key). */
  givers: number
  count: number
}

export interface LeaderQuery {
  workspace: WorkspaceId
  /** Inclusive; absent = all time. */
  since?: Date
  /** Exclusive; absent = now. */
  until?: Date
  value?: string
  limit: number
  /**
   * Where the board is shown: it counts public kudos, plus those given in this conversation (its
   * audience saw them). Without it, public kudos only.
   */
  shownIn?: string
}

export interface PersonTotals {
  received: number
  receivedFrom: number
  auto: number
  given: number
}

export interface WeekSummary {
  total: number
  givers: number
  top: LeaderRow[]
  values: { value: string; count: number }[]
  /** Automatic credits by source: how many credits, to how many people. */
  auto: { source: KudosSource; count: number; people: number }[]
}

export interface DigestChannel {
  workspace: WorkspaceId
  conversationId: string
  conversationName?: string
  lastWeek?: string
}

export interface KudosRepository {
  /**
   * In one transaction: skip rows whose key exists (a retry), read the giver's usage, ask `check`
   * about the fresh rows, and insert them only when it returns undefined. Concurrent gives by one
   * person can therefore never both slip under the allowance.
   */
  giveChecked<R>(
    rows: NewKudos[],
    window: GiveWindow,
    check: (usage: GiverUsage, fresh: NewKudos[]) => R | undefined,
    at: Date,
  ): Promise<GiveOutcome<R>>
  /** Automatic credits: rows whose key exists are skipped; returns the ones inserted. */
  credit(rows: NewKudos[], at: Date): Promise<Kudos[]>
  usage(window: GiveWindow): Promise<GiverUsage>
  /** People-given kudos only, ranked by distinct givers, then count, then name. */
  leaderboard(q: LeaderQuery): Promise<LeaderRow[]>
  totals(workspace: WorkspaceId, personId: string, since?: Date): Promise<PersonTotals>
  recent(workspace: WorkspaceId, personId: string, role: 'received' | 'given', limit: number): Promise<Kudos[]>
  /** The week as it may be shown in `shownIn`: public kudos plus that conversation's own (see LeaderQuery). */
  weekSummary(workspace: WorkspaceId, since: Date, until: Date, top: number, shownIn?: string): Promise<WeekSummary>
  /** True for exactly one caller per kudos key: the right to announce it publicly. */
  claimAnnouncement(workspace: WorkspaceId, key: string, at: Date): Promise<boolean>
  releaseAnnouncement(workspace: WorkspaceId, key: string): Promise<void>
  setDigest(workspace: WorkspaceId, conversationId: string, conversationName: string | undefined, on: boolean, by: string, at: Date): Promise<void>
  digestEnabled(workspace: WorkspaceId, conversationId: string): Promise<boolean>
  digestChannels(): Promise<DigestChannel[]>
  /** True for exactly one caller per (channel, week). */
  claimDigestWeek(workspace: WorkspaceId, conversationId: string, week: string): Promise<boolean>
  /** Give the week back after posting failed, restoring the previous one. */
  releaseDigestWeek(workspace: WorkspaceId, conversationId: string, week: string, previous: string | undefined): Promise<void>
  removeWorkspace(workspace: WorkspaceId): Promise<number>
}
