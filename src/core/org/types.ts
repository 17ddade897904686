/**
 * Organisations: Slack workspaces and Teams tenants an operator linked (`beacon org link`), so
 * knowledge, kudos and adoption span them. The storage ports are implemented in
 * src/storage/repositories/ (SQLite) and src/storage/pg/repositories/ (PostgreSQL); the core never sees SQL.
 */
import type { WorkspaceId } from '../model.ts'
import type { LeaderQuery, LeaderRow, PersonTotals } from '../recognition/types.ts'

export type OrgId = string

export interface Organisation {
  id: OrgId
  /** Linking order: the first workspace first. */
  workspaces: WorkspaceId[]
  createdAt: Date
}

/** One account of a person in one workspace. */
export interface Account {
  workspace: WorkspaceId
  personId: string
}

export type LinkOutcome =
  | { kind: 'created'; org: Organisation }
  | { kind: 'extended'; org: Organisation; added: WorkspaceId[] }
  | { kind: 'unchanged'; org: Organisation }
  /** Two of the workspaces are already in different organisations: nothing was changed. */
  | { kind: 'conflict'; orgs: Organisation[] }

export interface OrgRepository {
  /**
   * In one transaction: put every workspace into one organisation — a new one when none is in
   * any, else the one organisation they are in. Refuses (changing nothing) when they are in two.
   */
  link(workspaces: WorkspaceId[], newId: OrgId, at: Date): Promise<LinkOutcome>
  /**
   * Take the workspace out of its organisation, with its identities; an organisation left with
   * fewer than two workspaces is dissolved. Returns the organisation as it was, or undefined.
   */
  unlink(workspace: WorkspaceId): Promise<Organisation | undefined>
  list(): Promise<Organisation[]>
  orgOf(workspace: WorkspaceId): Promise<Organisation | undefined>
  /** Record (or move) an account's verified email within its workspace's organisation. */
  rememberIdentity(org: OrgId, account: Account, emailKey: string, at: Date): Promise<void>
  /** Forget an account's identity (its platform no longer gives a matching email). */
  forgetIdentity(account: Account): Promise<void>
  /** The email key last recorded for this account in this organisation, if any (no platform call). */
  storedEmail(org: OrgId, account: Account): Promise<string | undefined>
  /** Accounts of the organisation with this email, any workspace. */
  accountsByEmail(org: OrgId, emailKey: string): Promise<Account[]>
}

/** "  Alice@Example.COM " → "alice@example.com"; undefined when it is not an email. */
export function emailKey(email: string | undefined): string | undefined {
  const k = email?.trim().toLowerCase()
  return k && /^[^\s@]+@[^\s@]+$/.test(k) ? k : undefined
}

/**
 * Kudos counted per person across an organisation: accounts sharing a verified email
 * (organisation_identities) are one giver and one receiver.
 */
export interface OrgKudosRepository {
  /** The organisation's board, in the order of KudosRepository.leaderboard; `q.workspace` is where it is shown. */
  leaderboard(org: Organisation, q: LeaderQuery): Promise<LeaderRow[]>
  /** One person's totals over these accounts (all theirs in the organisation), since `since`. */
  totals(org: Organisation, accounts: Account[], since?: Date): Promise<PersonTotals>
}
