import { and, asc, eq, inArray, isNull, lte, or } from 'drizzle-orm'
import type {
  AdoptionSettingsRepository,
  NudgePrefs,
  NudgeRecord,
  NudgeSnapshot,
  Objective,
  ObjectiveMetric,
  Team,
} from '../../core/adoption/types.ts'
import type { WorkspaceId } from '../../core/model.ts'
import type { Db } from '../db.ts'
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

/** Teams, departments, opt-outs, objectives and nudge bookkeeping: small tables, plain drizzle. */
export class SqliteAdoptionSettingsRepository implements AdoptionSettingsRepository {
  constructor(private readonly db: Db) {}

  private hydrate(rows: TeamRow[]): Team[] {
    if (rows.length === 0) return []
    const ids = rows.map((r) => r.id)
    const channels = this.db.select().from(adoptionTeamChannels).where(inArray(adoptionTeamChannels.teamId, ids)).all()
    const managers = this.db.select().from(adoptionTeamManagers).where(inArray(adoptionTeamManagers.teamId, ids)).all()
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
    const row = this.db.insert(adoptionTeams).values({ workspaceId: workspace, name, nameKey: name.toLowerCase(), createdAt: at }).returning().get()
    return this.hydrate([row])[0]!
  }

  async syncTeam(workspace: WorkspaceId, name: string, channels: string[], managers: string[], at: Date): Promise<Team> {
    const id = this.db.transaction((tx) => {
      const existing = tx
        .select()
        .from(adoptionTeams)
        .where(and(eq(adoptionTeams.workspaceId, workspace), eq(adoptionTeams.nameKey, name.toLowerCase())))
        .get()
      const teamId =
        existing?.id ??
        tx.insert(adoptionTeams).values({ workspaceId: workspace, name, nameKey: name.toLowerCase(), createdAt: at }).returning().get().id
      tx.delete(adoptionTeamChannels).where(eq(adoptionTeamChannels.teamId, teamId)).run()
      tx.delete(adoptionTeamManagers).where(eq(adoptionTeamManagers.teamId, teamId)).run()
      for (const c of new Set(channels)) tx.insert(adoptionTeamChannels).values({ teamId, conversationId: c }).run()
      for (const m of new Set(managers)) tx.insert(adoptionTeamManagers).values({ teamId, personId: m }).run()
      return teamId
    })
    return (await this.team(workspace, id))!
  }

  async teamByName(workspace: WorkspaceId, name: string): Promise<Team | undefined> {
    const row = this.db
      .select()
      .from(adoptionTeams)
      .where(and(eq(adoptionTeams.workspaceId, workspace), eq(adoptionTeams.nameKey, name.toLowerCase())))
      .get()
    return row && this.hydrate([row])[0]
  }

  async team(workspace: WorkspaceId, id: number): Promise<Team | undefined> {
    const row = this.db
      .select()
      .from(adoptionTeams)
      .where(and(eq(adoptionTeams.workspaceId, workspace), eq(adoptionTeams.id, id)))
      .get()
    return row && this.hydrate([row])[0]
  }

  async teams(workspace: WorkspaceId): Promise<Team[]> {
    return this.hydrate(
      this.db.select().from(adoptionTeams).where(eq(adoptionTeams.workspaceId, workspace)).orderBy(asc(adoptionTeams.nameKey)).all(),
    )
  }

  async teamWorkspaces(): Promise<WorkspaceId[]> {
    return this.db
      .selectDistinct({ w: adoptionTeams.workspaceId })
      .from(adoptionTeams)
      .all()
      .map((r) => r.w)
  }

  async addChannel(teamId: number, conversationId: string): Promise<void> {
    this.db.insert(adoptionTeamChannels).values({ teamId, conversationId }).onConflictDoNothing().run()
  }

  async removeChannel(teamId: number, conversationId: string): Promise<void> {
    this.db
      .delete(adoptionTeamChannels)
      .where(and(eq(adoptionTeamChannels.teamId, teamId), eq(adoptionTeamChannels.conversationId, conversationId)))
      .run()
  }

  async addManager(teamId: number, personId: string): Promise<void> {
    this.db.insert(adoptionTeamManagers).values({ teamId, personId }).onConflictDoNothing().run()
  }

  async removeManager(teamId: number, personId: string): Promise<void> {
    this.db
      .delete(adoptionTeamManagers)
      .where(and(eq(adoptionTeamManagers.teamId, teamId), eq(adoptionTeamManagers.personId, personId)))
      .run()
  }

  async deleteTeam(teamId: number): Promise<void> {
    this.db.delete(adoptionTeams).where(eq(adoptionTeams.id, teamId)).run()
  }

  async replaceDepartments(rows: { workspace: WorkspaceId | '*'; personId: string; department: string }[]): Promise<void> {
    this.db.delete(adoptionDepartments).run()
    await this.addDepartments(rows)
  }

  async addDepartments(rows: { workspace: WorkspaceId | '*'; personId: string; department: string }[]): Promise<void> {
    this.db.transaction((tx) => {
      for (const r of rows) {
        tx.insert(adoptionDepartments)
          .values({ workspaceId: r.workspace, personId: r.personId, department: r.department })
          .onConflictDoUpdate({ target: [adoptionDepartments.workspaceId, adoptionDepartments.personId], set: { department: r.department } })
          .run()
      }
    })
  }

  async departments(workspace: WorkspaceId): Promise<Map<string, string>> {
    const rows = this.db
      .select()
      .from(adoptionDepartments)
      .where(or(eq(adoptionDepartments.workspaceId, workspace), eq(adoptionDepartments.workspaceId, '*')))
      .all()
    const out = new Map<string, string>()
    // Workspace-specific rows win over "*" rows for the same person id.
    for (const r of rows) if (r.workspaceId === '*') out.set(r.personId, r.department)
    for (const r of rows) if (r.workspaceId !== '*') out.set(r.personId, r.department)
    return out
  }

  async optOut(workspace: WorkspaceId, personId: string, at: Date): Promise<void> {
    this.db.insert(adoptionOptouts).values({ workspaceId: workspace, personId, at }).onConflictDoNothing().run()
  }

  async optIn(workspace: WorkspaceId, personId: string): Promise<void> {
    this.db
      .delete(adoptionOptouts)
      .where(and(eq(adoptionOptouts.workspaceId, workspace), eq(adoptionOptouts.personId, personId)))
      .run()
  }

  async isOptedOut(workspace: WorkspaceId, personId: string): Promise<boolean> {
    return (
      this.db
        .select()
        .from(adoptionOptouts)
        .where(and(eq(adoptionOptouts.workspaceId, workspace), eq(adoptionOptouts.personId, personId)))
        .get() !== undefined
    )
  }

  async setObjective(o: Objective): Promise<void> {
    const values = { teamId: o.teamId, metric: o.metric, target: o.target, setBy: o.setBy, setAt: o.setAt }
    this.db
      .insert(adoptionObjectives)
      .values(values)
      .onConflictDoUpdate({ target: [adoptionObjectives.teamId, adoptionObjectives.metric], set: values })
      .run()
  }

  async objectives(teamId: number): Promise<Objective[]> {
    return this.db
      .select()
      .from(adoptionObjectives)
      .where(eq(adoptionObjectives.teamId, teamId))
      .all()
      .map((r) => ({ teamId: r.teamId, metric: r.metric as ObjectiveMetric, target: r.target, setBy: r.setBy, setAt: r.setAt }))
  }

  async claimNudge(workspace: WorkspaceId, managerId: string, week: string, at: Date): Promise<boolean> {
    return this.db.insert(adoptionNudgeClaims).values({ workspaceId: workspace, managerId, week, at }).onConflictDoNothing().run().changes === 1
  }

  async releaseNudge(workspace: WorkspaceId, managerId: string, week: string): Promise<void> {
    this.db
      .delete(adoptionNudgeClaims)
      .where(and(eq(adoptionNudgeClaims.workspaceId, workspace), eq(adoptionNudgeClaims.managerId, managerId), eq(adoptionNudgeClaims.week, week)))
      .run()
  }

  async saveNudge(n: Omit<NudgeRecord, 'id' | 'after'>): Promise<void> {
    this.db
      .insert(adoptionNudges)
      .values({
        workspaceId: n.workspace,
        teamId: n.teamId,
        managerId: n.managerId,
        week: n.week,
        diagnoses: JSON.stringify(n.diagnoses),
        before: JSON.stringify(n.before),
        sentAt: n.sentAt,
      })
      .onConflictDoNothing()
      .run()
  }

  async nudges(workspace: WorkspaceId, teamId?: number): Promise<NudgeRecord[]> {
    const where =
      teamId === undefined
        ? eq(adoptionNudges.workspaceId, workspace)
        : and(eq(adoptionNudges.workspaceId, workspace), eq(adoptionNudges.teamId, teamId))
    return this.db.select().from(adoptionNudges).where(where).orderBy(asc(adoptionNudges.week)).all().map(toNudge)
  }

  async nudgesAwaitingEffect(workspace: WorkspaceId, week: string): Promise<NudgeRecord[]> {
    return this.db
      .select()
      .from(adoptionNudges)
      .where(and(eq(adoptionNudges.workspaceId, workspace), isNull(adoptionNudges.after), lte(adoptionNudges.week, week)))
      .all()
      .map(toNudge)
  }

  async setNudgeAfter(id: number, after: NudgeSnapshot): Promise<void> {
    this.db
      .update(adoptionNudges)
      .set({ after: JSON.stringify(after) })
      .where(eq(adoptionNudges.id, id))
      .run()
  }

  async nudgePrefs(workspace: WorkspaceId, personId: string): Promise<NudgePrefs> {
    const r = this.db
      .select()
      .from(adoptionNudgePrefs)
      .where(and(eq(adoptionNudgePrefs.workspaceId, workspace), eq(adoptionNudgePrefs.personId, personId)))
      .get()
    return { muted: r?.muted ?? false, ...(r?.snoozedUntil ? { snoozedUntil: r.snoozedUntil } : {}) }
  }

  async setNudgePrefs(workspace: WorkspaceId, personId: string, p: NudgePrefs): Promise<void> {
    const values = { workspaceId: workspace, personId, muted: p.muted, snoozedUntil: p.snoozedUntil ?? null }
    this.db
      .insert(adoptionNudgePrefs)
      .values(values)
      .onConflictDoUpdate({ target: [adoptionNudgePrefs.workspaceId, adoptionNudgePrefs.personId], set: values })
      .run()
  }
}

function toNudge(r: NudgeRow): NudgeRecord {
  return {
    id: r.id,
    workspace: r.workspaceId,
    teamId: r.teamId,
    managerId: r.managerId,
    week: r.week,
    diagnoses: JSON.parse(r.diagnoses) as string[],
    before: JSON.parse(r.before) as NudgeSnapshot,
    ...(r.after ? { after: JSON.parse(r.after) as NudgeSnapshot } : {}),
    sentAt: r.sentAt,
  }
}
