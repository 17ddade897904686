/**
 * One person across an organisation's workspaces. Two accounts are the same person when both
 * platforms give the same verified email (Slack `users:read.email`; Teams roster email or UPN),
 * compared trimmed and case-insensitively, and only within one organisation. Anyone whose email a
 * platform does not give stays a separate person.
 *
 * Emails are asked of the platform (`workspaceStanding`) and cached briefly, like roles: a changed
 * email or a deactivated account stops matching within that time. An account found in the store is
 * re-verified before it grants anything; a platform that fails means "no match" (never guess yes).
 */
import type { Logger } from '../logger.ts'
import { silentLogger } from '../logger.ts'
import type { WorkspaceId } from '../model.ts'
import type { Clock, PlatformDirectory } from '../ports.ts'
import { systemClock } from '../ports.ts'
import { emailKey, type Account, type OrgRepository, type Organisation } from './types.ts'

export const EMAIL_CACHE_MS = 60_000
const MAX_ENTRIES = 10_000

/** The asker in each workspace of their organisation; `personId` absent where they have no matching account. */
export interface Reach {
  org?: Organisation
  accounts: { workspace: WorkspaceId; personId?: string }[]
}

export interface OrgIdentityDeps {
  orgs: OrgRepository
  platforms: PlatformDirectory
  clock?: Clock
  log?: Logger
  ttlMs?: number
}

export class OrgIdentity {
  private readonly emails = new Map<string, { email: string | undefined; until: number }>()
  private readonly clock: Clock
  private readonly log: Logger
  private readonly ttl: number

  constructor(private readonly d: OrgIdentityDeps) {
    this.clock = d.clock ?? systemClock
    this.log = d.log ?? silentLogger
    this.ttl = d.ttlMs ?? EMAIL_CACHE_MS
  }

  orgOf(workspace: WorkspaceId): Promise<Organisation | undefined> {
    return this.d.orgs.orgOf(workspace)
  }

  /** Own workspace first, then the organisation's others in linking order. */
  async reach(workspace: WorkspaceId, personId: string): Promise<Reach> {
    const org = await this.d.orgs.orgOf(workspace)
    if (!org || org.workspaces.length < 2) return { accounts: [{ workspace, personId }] }
    const others = org.workspaces.filter((w) => w !== workspace)
    const email = await this.emailOf(workspace, personId)
    if (!email)
      return {
        org,
        accounts: [{ workspace, personId }, ...others.map((w) => ({ workspace: w }))],
      }
    await this.d.orgs.rememberIdentity(org.id, { workspace, personId }, email, this.clock.now())
    const stored = await this.d.orgs.accountsByEmail(org.id, email)
    const accounts: Reach['accounts'] = [{ workspace, personId }]
    for (const w of others) {
      const id = await this.accountIn(org, w, email, stored)
      accounts.push(id ? { workspace: w, personId: id } : { workspace: w })
    }
    return { org, accounts }
  }

  /**
   * A key shared by one person's accounts across the organisation ("org:<id>:<email>"), else the
   * account itself ("<workspace>:<id>"): what kudos and adoption count people by.
   */
  async personKey(workspace: WorkspaceId, personId: string): Promise<string> {
    const org = await this.d.orgs.orgOf(workspace)
    const email = org && org.workspaces.length > 1 ? await this.emailOf(workspace, personId) : undefined
    if (!org || !email) return `${workspace}:${personId}`
    await this.d.orgs.rememberIdentity(org.id, { workspace, personId }, email, this.clock.now())
    return `org:${org.id}:${email}`
  }

  /**
   * The verified email key the platform gives now (cached briefly); undefined when none or on
   * failure — or, with `throwOnFailure`, the failure itself (for counting, where "no match" on a
   * failure would count one person twice).
   */
  async emailOf(workspace: WorkspaceId, personId: string, opts: { throwOnFailure?: boolean } = {}): Promise<string | undefined> {
    const key = `${workspace}\u0000${personId}`
    const now = this.clock.now().getTime()
    const hit = this.emails.get(key)
    if (hit && hit.until > now) return hit.email
    let email: string | undefined
    try {
      const standing = await this.d.platforms.forWorkspace(workspace).workspaceStanding?.(workspace, personId)
      email = emailKey(standing?.email)
    } catch (err) {
      if (opts.throwOnFailure) throw err
      this.log.warn({ err, workspace, personId }, 'could not read a person’s email; they match nobody for now')
      return undefined // not cached: ask again next time
    }
    if (this.emails.size >= MAX_ENTRIES) this.emails.delete(this.emails.keys().next().value as string)
    this.emails.set(key, { email, until: now + this.ttl })
    return email
  }

  /** A stored account re-verified, else one the platform finds by email; remembered either way. */
  private async accountIn(org: Organisation, workspace: WorkspaceId, email: string, stored: Account[]): Promise<string | undefined> {
    for (const a of stored.filter((s) => s.workspace === workspace)) {
      if ((await this.emailOf(workspace, a.personId)) === email) return a.personId
      await this.d.orgs.forgetIdentity(a) // their email changed (or they left): no longer this person
    }
    let found: string | undefined
    try {
      const platform = this.d.platforms.forWorkspace(workspace)
      found = platform.findPersonByEmail ? await platform.findPersonByEmail(workspace, email) : undefined
    } catch (err) {
      this.log.warn({ err, workspace }, 'could not look a person up by email; treating them as unmatched')
      return undefined
    }
    if (!found) return undefined
    await this.d.orgs.rememberIdentity(org.id, { workspace, personId: found }, email, this.clock.now())
    return found
  }
}
