import { and, asc, eq, inArray } from 'drizzle-orm'
import type { WorkspaceId } from '../../core/model.ts'
import type { Account, LinkOutcome, OrgId, OrgRepository, Organisation } from '../../core/org/types.ts'
import type { Db } from '../db.ts'
import { organisationIdentities, organisations, organisationWorkspaces } from '../schema/index.ts'

export class SqliteOrgRepository implements OrgRepository {
  constructor(private readonly db: Db) {}

  async link(workspaces: WorkspaceId[], newId: OrgId, at: Date): Promise<LinkOutcome> {
    return this.db.transaction((tx) => {
      const rows = tx.select().from(organisationWorkspaces).where(inArray(organisationWorkspaces.workspaceId, workspaces)).all()
      const plan = planLink(workspaces, rows, newId)
      if (plan.kind === 'conflict') return { kind: 'conflict', orgs: plan.orgIds.map((id) => this.read(tx, id)!) }
      if (plan.create) tx.insert(organisations).values({ id: plan.orgId, createdAt: at }).run()
      for (const row of membershipRows(plan, at)) tx.insert(organisationWorkspaces).values(row).run()
      return linkOutcome(plan, this.read(tx, plan.orgId)!)
    })
  }

  async unlink(workspace: WorkspaceId): Promise<Organisation | undefined> {
    return this.db.transaction((tx) => {
      const row = tx.select().from(organisationWorkspaces).where(eq(organisationWorkspaces.workspaceId, workspace)).get()
      if (!row) return undefined
      const before = this.read(tx, row.orgId)!
      tx.delete(organisationIdentities)
        .where(and(eq(organisationIdentities.orgId, row.orgId), eq(organisationIdentities.workspaceId, workspace)))
        .run()
      tx.delete(organisationWorkspaces).where(eq(organisationWorkspaces.workspaceId, workspace)).run()
      // One workspace alone is no organisation: dissolve it (its identities go with it, by cascade).
      if (before.workspaces.length <= 2) tx.delete(organisations).where(eq(organisations.id, row.orgId)).run()
      return before
    })
  }

  async list(): Promise<Organisation[]> {
    const ids = this.db.select({ id: organisations.id }).from(organisations).orderBy(asc(organisations.createdAt), asc(organisations.id)).all()
    return ids.map((r) => this.read(this.db, r.id)!)
  }

  async orgOf(workspace: WorkspaceId): Promise<Organisation | undefined> {
    const row = this.db
      .select({ orgId: organisationWorkspaces.orgId })
      .from(organisationWorkspaces)
      .where(eq(organisationWorkspaces.workspaceId, workspace))
      .get()
    return row && this.read(this.db, row.orgId)
  }

  async rememberIdentity(org: OrgId, account: Account, emailKey: string, at: Date): Promise<void> {
    // Only while the workspace is in that organisation (an unlink may have raced this).
    const member = this.db
      .select({ w: organisationWorkspaces.workspaceId })
      .from(organisationWorkspaces)
      .where(and(eq(organisationWorkspaces.workspaceId, account.workspace), eq(organisationWorkspaces.orgId, org)))
      .get()
    if (!member) return
    const values = {
      orgId: org,
      workspaceId: account.workspace,
      personId: account.personId,
      emailKey,
      seenAt: at,
    }
    this.db
      .insert(organisationIdentities)
      .values(values)
      .onConflictDoUpdate({
        target: [organisationIdentities.workspaceId, organisationIdentities.personId],
        set: values,
      })
      .run()
  }

  async forgetIdentity(account: Account): Promise<void> {
    this.db
      .delete(organisationIdentities)
      .where(and(eq(organisationIdentities.workspaceId, account.workspace), eq(organisationIdentities.personId, account.personId)))
      .run()
  }

  async storedEmail(org: OrgId, account: Account): Promise<string | undefined> {
    return this.db.select({ e: organisationIdentities.emailKey }).from(organisationIdentities).where(identityOf(org, account)).get()?.e
  }

  async accountsByEmail(org: OrgId, emailKey: string): Promise<Account[]> {
    return this.db
      .select({
        workspace: organisationIdentities.workspaceId,
        personId: organisationIdentities.personId,
      })
      .from(organisationIdentities)
      .where(and(eq(organisationIdentities.orgId, org), eq(organisationIdentities.emailKey, emailKey)))
      .all()
  }

  private read(db: Pick<Db, 'select'>, id: OrgId): Organisation | undefined {
    const org = db.select().from(organisations).where(eq(organisations.id, id)).get()
    if (!org) return undefined
    const ws = db
      .select({ w: organisationWorkspaces.workspaceId })
      .from(organisationWorkspaces)
      .where(eq(organisationWorkspaces.orgId, id))
      .orderBy(asc(organisationWorkspaces.linkedAt), asc(organisationWorkspaces.workspaceId))
      .all()
    return toOrganisation(org, ws)
  }
}

/** One account's identity row within one organisation. */
export function identityOf(org: OrgId, account: Account) {
  return and(
    eq(organisationIdentities.orgId, org),
    eq(organisationIdentities.workspaceId, account.workspace),
    eq(organisationIdentities.personId, account.personId),
  )
}

// ------------------------------------------------ shared with the PostgreSQL twin (pg/repositories/organisations.ts)

export type LinkPlan = { kind: 'conflict'; orgIds: OrgId[] } | { kind: 'link'; orgId: OrgId; create: boolean; added: WorkspaceId[] }

/** What `link` does, given the memberships the workspaces already have. */
export function planLink(workspaces: WorkspaceId[], rows: { workspaceId: string; orgId: string }[], newId: OrgId): LinkPlan {
  const orgIds = [...new Set(rows.map((r) => r.orgId))]
  if (orgIds.length > 1) return { kind: 'conflict', orgIds }
  const linked = new Set(rows.map((r) => r.workspaceId))
  return { kind: 'link', orgId: orgIds[0] ?? newId, create: orgIds.length === 0, added: [...new Set(workspaces)].filter((w) => !linked.has(w)) }
}

/** The membership rows a plan adds; one millisecond apart, so "linking order" is a stable sort. */
export function membershipRows(plan: Extract<LinkPlan, { kind: 'link' }>, at: Date): { workspaceId: WorkspaceId; orgId: OrgId; linkedAt: Date }[] {
  return plan.added.map((w, i) => ({ workspaceId: w, orgId: plan.orgId, linkedAt: new Date(at.getTime() + i) }))
}

export function linkOutcome(plan: Extract<LinkPlan, { kind: 'link' }>, org: Organisation): LinkOutcome {
  if (plan.create) return { kind: 'created', org }
  return plan.added.length ? { kind: 'extended', org, added: plan.added } : { kind: 'unchanged', org }
}

/** An organisation row and its workspaces, already in linking order. */
export function toOrganisation(org: { id: OrgId; createdAt: Date }, workspaces: { w: WorkspaceId }[]): Organisation {
  return { id: org.id, workspaces: workspaces.map((r) => r.w), createdAt: org.createdAt }
}
