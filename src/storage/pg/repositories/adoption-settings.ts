import { and, asc, eq, inArray, isNull, lte, or } from 'drizzle-orm'
import type {
  AdoptionSettingsRepository,
  NudgePrefs,
  NudgeRecord,
  NudgeSnapshot,
  Objective,
  ObjectiveMetric,
  Team,
} from '../../../core/adoption/types.ts'
import type { WorkspaceId } from '../../../core/model.ts'
import type { PgDb } from '../db.ts'
import type { PgExecutor } from '../executor.ts'
import {
  adoptionDepartments,
  adoptionNudgeClaims,
  adoptionNudgePrefs,
  adoptionNudges,
  adoptionObjectives,
  adoptionOptouts,
  adoptionTeamChannels,
  adoptionTeamManagers,
  adoptionTeams,
} from '../schema/adoption.ts'

type TeamRow = typeof adoptionTeams.$inferSelect
type NudgeRow = typeof adoptionNudges.$inferSelect

/**
 * Teams, departments, opt-outs, objectives and nudge bookkeeping on PostgreSQL: small tables, plain
 * drizzle, the same statements as the SQLite twin (adoption-settings.ts). Claims are inserts on a
 * primary key, so one process wins.
 */
export class PgAdoptionSettingsRepository implements AdoptionSettingsRepository {
  constructor(private readonly db: PgDb) {}

  private async hydrate(rows: TeamRow[]): Promise<Team[]> {
    if (rows.length === 0) return []
    const ids = rows.map((r) => r.id)
    const channels = await this.db.select().from(adoptionTeamChannels).where(inArray(adoptionTeamChannels.teamId, ids))
    const managers = await this.db.select().from(adoptionTeamManagers).where(inArray(adoptionTeamManagers.teamId, ids))
    return rows.map((r) => ({
      id: r.id,
      workspace: r.workspaceId,
      name: r.name,
      channels: channels
        .filter((c) => c.teamId === r.id)
        .map((c) => c.conversationId)
        .sort(),
      managers: managers
        .filter((m) => m.teamId === r.id)
        .map((m) => m.personId)
        .sort(),
    }))
  }

  async createTeam(workspace: WorkspaceId, name: string, at: Date): Promise<Team> {
    const [row] = await this.db.insert(adoptionTeams).values({ workspaceId: workspace, name, nameKey: name.toLowerCase(), createdAt: at }).returning()
    return (await this.hydrate([row!]))[0]!
  }

  async syncTeam(workspace: WorkspaceId, name: string, channels: string[], managers: string[], at: Date): Promise<Team> {
    const id = await this.db.transaction(async (tx) => {
      // Insert-or-keep in one statement: two processes syncing the same team agree on its row.
      await tx.insert(adoptionTeams).values({ workspaceId: workspace, name, nameKey: name.toLowerCase(), createdAt: at }).onConflictDoNothing()
      const [team] = await tx
        .select()
        .from(adoptionTeams)
        .where(and(eq(adoptionTeams.workspaceId, workspace), eq(adoptionTeams.nameKey, name.toLowerCase())))
        .for('update')
      const teamId = team!.id
      await tx.delete(adoptionTeamChannels).where(eq(adoptionTeamChannels.teamId, teamId))
      await tx.delete(adoptionTeamManagers).where(eq(adoptionTeamManagers.teamId, teamId))
      const cs = [...new Set(channels)]
      const ms = [...new Set(managers)]
      if (cs.length > 0) await tx.insert(adoptionTeamChannels).values(cs.map((c) => ({ teamId, conversationId: c })))
      if (ms.length > 0) await tx.insert(adoptionTeamManagers).values(ms.map((m) => ({ teamId, personId: m })))
      return teamId
    })
    return (await this.team(workspace, id))!
  }

  async teamByName(workspace: WorkspaceId, name: string): Promise<Team | undefined> {
    const rows = await this.db
      .select()
      .from(adoptionTeams)
      .where(and(eq(adoptionTeams.workspaceId, workspace), eq(adoptionTeams.nameKey, name.toLowerCase())))
    return (await this.hydrate(rows))[0]
  }

  async team(workspace: WorkspaceId, id: number): Promise<Team | undefined> {
    const rows = await this.db
      .select()
      .from(adoptionTeams)
      .where(and(eq(adoptionTeams.workspaceId, workspace), eq(adoptionTeams.id, id)))
    return (await this.hydrate(rows))[0]
  }

  async teams(workspace: WorkspaceId): Promise<Team[]> {
    return this.hydrate(
      await this.db.select().from(adoptionTeams).where(eq(adoptionTeams.workspaceId, workspace)).orderBy(asc(adoptionTeams.nameKey)),
    )
  }

  async teamWorkspaces(): Promise<WorkspaceId[]> {
    return (await this.db.selectDistinct({ w: adoptionTeams.workspaceId }).from(adoptionTeams)).map((r) => r.w)
  }

  async addChannel(teamId: number, conversationId: string): Promise<void> {
    await this.db.insert(adoptionTeamChannels).values({ teamId, conversationId }).onConflictDoNothing()
  }

  async removeChannel(teamId: number, conversationId: string): Promise<void> {
    await this.db
      .delete(adoptionTeamChannels)
      .where(and(eq(adoptionTeamChannels.teamId, teamId), eq(adoptionTeamChannels.conversationId, conversationId)))
  }

  async addManager(teamId: number, personId: string): Promise<void> {
    await this.db.insert(adoptionTeamManagers).values({ teamId, personId }).onConflictDoNothing()
  }

  async removeManager(teamId: number, personId: string): Promise<void> {
    await this.db.delete(adoptionTeamManagers).where(and(eq(adoptionTeamManagers.teamId, teamId), eq(adoptionTeamManagers.personId, personId)))
  }

  async deleteTeam(teamId: number): Promise<void> {
    await this.db.delete(adoptionTeams).where(eq(adoptionTeams.id, teamId))
  }

  async replaceDepartments(rows: { workspace: WorkspaceId | '*'; personId: string; department: string }[]): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.delete(adoptionDepartments)
      await upsertDepartments(tx, rows)
    })
  }

  async addDepartments(rows: { workspace: WorkspaceId | '*'; personId: string; department: string }[]): Promise<void> {
    await this.db.transaction((tx) => upsertDepartments(tx, rows))
  }

  async departments(workspace: WorkspaceId): Promise<Map<string, string>> {
    const rows = await this.db
      .select()
      .from(adoptionDepartments)
      .where(or(eq(adoptionDepartments.workspaceId, workspace), eq(adoptionDepartments.workspaceId, '*')))
    const out = new Map<string, string>()
    // Workspace-specific rows win over "*" rows for the same person id.
    for (const r of rows) if (r.workspaceId === '*') out.set(r.personId, r.department)
    for (const r of rows) if (r.workspaceId !== '*') out.set(r.personId, r.department)
    return out
  }

  async optOut(workspace: WorkspaceId, personId: string, at: Date): Promise<void> {
    await this.db.insert(adoptionOptouts).values({ workspaceId: workspace, personId, at }).onConflictDoNothing()
  }

  async optIn(workspace: WorkspaceId, personId: string): Promise<void> {
    await this.db.delete(adoptionOptouts).where(and(eq(adoptionOptouts.workspaceId, workspace), eq(adoptionOptouts.personId, personId)))
  }

  async isOptedOut(workspace: WorkspaceId, personId: string): Promise<boolean> {
    return (
      (
        await this.db
          .select()
          .from(adoptionOptouts)
          .where(and(eq(adoptionOptouts.workspaceId, workspace), eq(adoptionOptouts.personId, personId)))
      ).length > 0
    )
  }

  async setObjective(o: Objective): Promise<void> {
    const values = { teamId: o.teamId, metric: o.metric, target: o.target, setBy: o.setBy, setAt: o.setAt }
    await this.db
      .insert(adoptionObjectives)
      .values(values)
      .onConflictDoUpdate({ target: [adoptionObjectives.teamId, adoptionObjectives.metric], set: values })
  }

  async objectives(teamId: number): Promise<Objective[]> {
    return (await this.db.select().from(adoptionObjectives).where(eq(adoptionObjectives.teamId, teamId))).map((r) => ({
      teamId: r.teamId,
      metric: r.metric as ObjectiveMetric,
      target: r.target,
      setBy: r.setBy,
      setAt: r.setAt,
    }))
  }

  async claimNudge(workspace: WorkspaceId, managerId: string, week: string, at: Date): Promise<boolean> {
    return (await this.db.insert(adoptionNudgeClaims).values({ workspaceId: workspace, managerId, week, at }).onConflictDoNothing()).rowCount === 1
  }

  async releaseNudge(workspace: WorkspaceId, managerId: string, week: string): Promise<void> {
    await this.db
      .delete(adoptionNudgeClaims)
      .where(and(eq(adoptionNudgeClaims.workspaceId, workspace), eq(adoptionNudgeClaims.managerId, managerId), eq(adoptionNudgeClaims.week, week)))
  }

  async saveNudge(n: Omit<NudgeRecord, 'id' | 'after'>): Promise<void> {
    await this.db
      .insert(adoptionNudges)
      .values({
        workspaceId: n.workspace,
        teamId: n.teamId,
        managerId: n.managerId,
        week: n.week,
        diagnoses: n.diagnoses,
        before: n.before,
        sentAt: n.sentAt,
      })
      .onConflictDoNothing()
  }

  async nudges(workspace: WorkspaceId, teamId?: number): Promise<NudgeRecord[]> {
    const where =
      teamId === undefined
        ? eq(adoptionNudges.workspaceId, workspace)
        : and(eq(adoptionNudges.workspaceId, workspace), eq(adoptionNudges.teamId, teamId))
    return (await this.db.select().from(adoptionNudges).where(where).orderBy(asc(adoptionNudges.week))).map(toNudge)
  }

  async nudgesAwaitingEffect(workspace: WorkspaceId, week: string): Promise<NudgeRecord[]> {
    return (
      await this.db
        .select()
        .from(adoptionNudges)
        .where(and(eq(adoptionNudges.workspaceId, workspace), isNull(adoptionNudges.after), lte(adoptionNudges.week, week)))
    ).map(toNudge)
  }

  async setNudgeAfter(id: number, after: NudgeSnapshot): Promise<void> {
    await this.db.update(adoptionNudges).set({ after }).where(eq(adoptionNudges.id, id))
  }

  async nudgePrefs(workspace: WorkspaceId, personId: string): Promise<NudgePrefs> {
    const [r] = await this.db
      .select()
      .from(adoptionNudgePrefs)
      .where(and(eq(adoptionNudgePrefs.workspaceId, workspace), eq(adoptionNudgePrefs.personId, personId)))
    return { muted: r?.muted ?? false, ...(r?.snoozedUntil ? { snoozedUntil: r.snoozedUntil } : {}) }
  }

  async setNudgePrefs(workspace: WorkspaceId, personId: string, p: NudgePrefs): Promise<void> {
    const values = { workspaceId: workspace, personId, muted: p.muted, snoozedUntil: p.snoozedUntil ?? null }
    await this.db
      .insert(adoptionNudgePrefs)
      .values(values)
      .onConflictDoUpdate({ target: [adoptionNudgePrefs.workspaceId, adoptionNudgePrefs.personId], set: values })
  }
}

async function upsertDepartments(tx: PgExecutor, rows: { workspace: WorkspaceId | '*'; personId: string; department: string }[]): Promise<void> {
  for (const r of rows) {
    await tx
      .insert(adoptionDepartments)
      .values({ workspaceId: r.workspace, personId: r.personId, department: r.department })
      .onConflictDoUpdate({ target: [adoptionDepartments.workspaceId, adoptionDepartments.personId], set: { department: r.department } })
  }
}

function toNudge(r: NudgeRow): NudgeRecord {
  return {
    id: r.id,
    workspace: r.workspaceId,
    teamId: r.teamId,
    managerId: r.managerId,
    week: r.week,
    diagnoses: r.diagnoses,
    before: r.before,
    ...(r.after ? { after: r.after } : {}),
    sentAt: r.sentAt,
  }
}
