import { and, asc, eq, inArray, sql } from 'drizzle-orm'
import type { WorkspaceId } from '../../../core/model.ts'
import type { Account, LinkOutcome, OrgId, OrgRepository, Organisation } from '../../../core/org/types.ts'
import { linkOutcome, membershipRows, planLink, toOrganisation } from '../../repositories/organisations.ts'
import type { PgDb } from '../db.ts'
import type { PgExecutor, PgTx } from '../executor.ts'
import { organisationIdentities, organisations, organisationWorkspaces } from '../schema/organisations.ts'

/**
 * Organisations on PostgreSQL. What SQLite gets from its single writer, membership changes get
 * here from one transaction-scoped advisory lock: `link` and `unlink` (rare operator commands) take
 * it exclusively, so two links of overlapping workspaces on two processes take turns and the second
 * sees the first's organisation; `rememberIdentity` takes it shared, so an identity is never
 * written for a workspace an unlink running at the same time is taking out.
 */
const MEMBERSHIP_LOCK = sql`hashtextextended('beacon:organisation-membership', 0)`

export class PgOrgRepository implements OrgRepository {
  constructor(private readonly db: PgDb) {}

  async link(workspaces: WorkspaceId[], newId: OrgId, at: Date): Promise<LinkOutcome> {
    return this.db.transaction(async (tx) => {
      await membershipLock(tx, 'exclusive')
      const rows = await tx.select().from(organisationWorkspaces).where(inArray(organisationWorkspaces.workspaceId, workspaces))
      const plan = planLink(workspaces, rows, newId)
      if (plan.kind === 'conflict')
        return { kind: 'conflict' as const, orgs: await Promise.all(plan.orgIds.map(async (id) => (await read(tx, id))!)) }
      if (plan.create) await tx.insert(organisations).values({ id: plan.orgId, createdAt: at })
      const added = membershipRows(plan, at)
      if (added.length) await tx.insert(organisationWorkspaces).values(added)
      return linkOutcome(plan, (await read(tx, plan.orgId))!)
    })
  }

  async unlink(workspace: WorkspaceId): Promise<Organisation | undefined> {
    return this.db.transaction(async (tx) => {
      await membershipLock(tx, 'exclusive')
      const [row] = await tx.select().from(organisationWorkspaces).where(eq(organisationWorkspaces.workspaceId, workspace))
      if (!row) return undefined
      const before = (await read(tx, row.orgId))!
      await tx
        .delete(organisationIdentities)
        .where(and(eq(organisationIdentities.orgId, row.orgId), eq(organisationIdentities.workspaceId, workspace)))
      await tx.delete(organisationWorkspaces).where(eq(organisationWorkspaces.workspaceId, workspace))
      // One workspace alone is no organisation: dissolve it (its identities go with it, by cascade).
      if (before.workspaces.length <= 2) await tx.delete(organisations).where(eq(organisations.id, row.orgId))
      return before
    })
  }

  async list(): Promise<Organisation[]> {
    const ids = await this.db.select({ id: organisations.id }).from(organisations).orderBy(asc(organisations.createdAt), asc(organisations.id))
    const orgs = await Promise.all(ids.map((r) => read(this.db, r.id)))
    return orgs.filter((o): o is Organisation => o !== undefined)
  }

  async orgOf(workspace: WorkspaceId): Promise<Organisation | undefined> {
    const [row] = await this.db
      .select({ orgId: organisationWorkspaces.orgId })
      .from(organisationWorkspaces)
      .where(eq(organisationWorkspaces.workspaceId, workspace))
    return row && read(this.db, row.orgId)
  }

  async rememberIdentity(org: OrgId, account: Account, emailKey: string, at: Date): Promise<void> {
    await this.db.transaction(async (tx) => {
      await membershipLock(tx, 'shared')
      // Only while the workspace is in that organisation (an unlink may have come first).
      const [member] = await tx
        .select({ w: organisationWorkspaces.workspaceId })
        .from(organisationWorkspaces)
        .where(and(eq(organisationWorkspaces.workspaceId, account.workspace), eq(organisationWorkspaces.orgId, org)))
      if (!member) return
      const values = { orgId: org, workspaceId: account.workspace, personId: account.personId, emailKey, seenAt: at }
      await tx
        .insert(organisationIdentities)
        .values(values)
        .onConflictDoUpdate({ target: [organisationIdentities.workspaceId, organisationIdentities.personId], set: values })
    })
  }

  async forgetIdentity(account: Account): Promise<void> {
    await this.db
      .delete(organisationIdentities)
      .where(and(eq(organisationIdentities.workspaceId, account.workspace), eq(organisationIdentities.personId, account.personId)))
  }

  async storedEmail(org: OrgId, account: Account): Promise<string | undefined> {
    const [row] = await this.db
      .select({ e: organisationIdentities.emailKey })
      .from(organisationIdentities)
      .where(
        and(
          eq(organisationIdentities.orgId, org),
          eq(organisationIdentities.workspaceId, account.workspace),
          eq(organisationIdentities.personId, account.personId),
        ),
      )
    return row?.e
  }

  async accountsByEmail(org: OrgId, emailKey: string): Promise<Account[]> {
    return this.db
      .select({ workspace: organisationIdentities.workspaceId, personId: organisationIdentities.personId })
      .from(organisationIdentities)
      .where(and(eq(organisationIdentities.orgId, org), eq(organisationIdentities.emailKey, emailKey)))
  }
}

async function membershipLock(tx: PgTx, mode: 'exclusive' | 'shared'): Promise<void> {
  await tx.execute(
    mode === 'exclusive' ? sql`SELECT pg_advisory_xact_lock(${MEMBERSHIP_LOCK})` : sql`SELECT pg_advisory_xact_lock_shared(${MEMBERSHIP_LOCK})`,
  )
}

async function read(db: PgExecutor, id: OrgId): Promise<Organisation | undefined> {
  const [org] = await db.select().from(organisations).where(eq(organisations.id, id))
  if (!org) return undefined
  const ws = await db
    .select({ w: organisationWorkspaces.workspaceId })
    .from(organisationWorkspaces)
    .where(eq(organisationWorkspaces.orgId, id))
    .orderBy(asc(organisationWorkspaces.linkedAt), sql`${organisationWorkspaces.workspaceId} COLLATE "C"`)
  return toOrganisation(org, ws)
}
