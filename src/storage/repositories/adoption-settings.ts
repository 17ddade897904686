import { asc, eq, inArray, or } from 'drizzle-orm'
import type { AdoptionSettingsRepository, NudgePrefs, NudgeRecord, NudgeSnapshot, Objective, Team } from '../../core/adoption/types.ts'
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
import {
  awaitingEffect,
  departmentMap,
  departmentRow,
  memberOf,
  newTeamRow,
  nudgeClaim,
  nudgePrefsRow,
  nudgeRow,
  nudgesOf,
  objectiveRow,
  personIn,
  teamNamed,
  teamWithId,
  toNudge,
  toNudgePrefs,
  toObjective,
  toTeams,
  type DepartmentRow,
} from './adoption-settings-rows.ts'

type TeamRow = typeof adoptionTeams.$inferSelect

/**
 * Teams, departments, opt-outs, objectives and nudge bookkeeping: small tables, plain drizzle
 * (PostgreSQL twin: pg/repositories/adoption-settings.ts).
 */
export class SqliteAdoptionSettingsRepository implements AdoptionSettingsRepository {
  constructor(private readonly db: Db) {}

  private hydrate(rows: TeamRow[]): Team[] {
    if (rows.length === 0) return []
    const ids = rows.map((r) => r.id)
    const channels = this.db.select().from(adoptionTeamChannels).where(inArray(adoptionTeamChannels.teamId, ids)).all()
    const managers = this.db.select().from(adoptionTeamManagers).where(inArray(adoptionTeamManagers.teamId, ids)).all()
    return toTeams(rows, channels, managers)
  }

  async createTeam(workspace: WorkspaceId, name: string, at: Date): Promise<Team> {
    return this.hydrate([
      this.db
        .insert(adoptionTeams)
        .values(newTeamRow(workspace, name, at))
        .returning()
        .get(),
    ])[0]!
  }

  async syncTeam(workspace: WorkspaceId, name: string, channels: string[], managers: string[], at: Date): Promise<Team> {
    const id = this.db.transaction((tx) => {
      const existing = tx
        .select()
        .from(adoptionTeams)
        .where(teamNamed(adoptionTeams, workspace, name))
        .get()
      const teamId =
        existing?.id ??
        tx
          .insert(adoptionTeams)
          .values(newTeamRow(workspace, name, at))
          .returning()
          .get().id
      tx.delete(adoptionTeamChannels).where(eq(adoptionTeamChannels.teamId, teamId)).run()
      tx.delete(adoptionTeamManagers).where(eq(adoptionTeamManagers.teamId, teamId)).run()
      for (const c of new Set(channels)) tx.insert(adoptionTeamChannels).values({ teamId, conversationId: c }).run()
      for (const m of new Set(managers)) tx.insert(adoptionTeamManagers).values({ teamId, personId: m }).run()
      return teamId
    })
    return (await this.team(workspace, id))!
  }

  async teamByName(workspace: WorkspaceId, name: string): Promise<Team | undefined> {
    return this.hydrate(
      this.db
        .select()
        .from(adoptionTeams)
        .where(teamNamed(adoptionTeams, workspace, name))
        .all(),
    )[0]
  }

  async team(workspace: WorkspaceId, id: number): Promise<Team | undefined> {
    return this.hydrate(
      this.db
        .select()
        .from(adoptionTeams)
        .where(teamWithId(adoptionTeams, workspace, id))
        .all(),
    )[0]
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
      .where(memberOf(adoptionTeamChannels, teamId, adoptionTeamChannels.conversationId, conversationId))
      .run()
  }

  async addManager(teamId: number, personId: string): Promise<void> {
    this.db.insert(adoptionTeamManagers).values({ teamId, personId }).onConflictDoNothing().run()
  }

  async removeManager(teamId: number, personId: string): Promise<void> {
    this.db
      .delete(adoptionTeamManagers)
      .where(memberOf(adoptionTeamManagers, teamId, adoptionTeamManagers.personId, personId))
      .run()
  }

  async deleteTeam(teamId: number): Promise<void> {
    this.db.delete(adoptionTeams).where(eq(adoptionTeams.id, teamId)).run()
  }

  async replaceDepartments(rows: DepartmentRow[]): Promise<void> {
    this.db.delete(adoptionDepartments).run()
    await this.addDepartments(rows)
  }

  async addDepartments(rows: DepartmentRow[]): Promise<void> {
    this.db.transaction((tx) => {
      for (const r of rows) {
        tx.insert(adoptionDepartments)
          .values(departmentRow(r))
          .onConflictDoUpdate({ target: [adoptionDepartments.workspaceId, adoptionDepartments.personId], set: { department: r.department } })
          .run()
      }
    })
  }

  async departments(workspace: WorkspaceId): Promise<Map<string, string>> {
    return departmentMap(
      this.db
        .select()
        .from(adoptionDepartments)
        .where(or(eq(adoptionDepartments.workspaceId, workspace), eq(adoptionDepartments.workspaceId, '*')))
        .all(),
    )
  }

  async optOut(workspace: WorkspaceId, personId: string, at: Date): Promise<void> {
    this.db.insert(adoptionOptouts).values({ workspaceId: workspace, personId, at }).onConflictDoNothing().run()
  }

  async optIn(workspace: WorkspaceId, personId: string): Promise<void> {
    this.db
      .delete(adoptionOptouts)
      .where(personIn(adoptionOptouts, workspace, personId))
      .run()
  }

  async isOptedOut(workspace: WorkspaceId, personId: string): Promise<boolean> {
    return (
      this.db
        .select()
        .from(adoptionOptouts)
        .where(personIn(adoptionOptouts, workspace, personId))
        .get() !== undefined
    )
  }

  async setObjective(o: Objective): Promise<void> {
    const values = objectiveRow(o)
    this.db
      .insert(adoptionObjectives)
      .values(values)
      .onConflictDoUpdate({ target: [adoptionObjectives.teamId, adoptionObjectives.metric], set: values })
      .run()
  }

  async objectives(teamId: number): Promise<Objective[]> {
    return this.db.select().from(adoptionObjectives).where(eq(adoptionObjectives.teamId, teamId)).all().map(toObjective)
  }

  async claimNudge(workspace: WorkspaceId, managerId: string, week: string, at: Date): Promise<boolean> {
    return this.db.insert(adoptionNudgeClaims).values({ workspaceId: workspace, managerId, week, at }).onConflictDoNothing().run().changes === 1
  }

  async releaseNudge(workspace: WorkspaceId, managerId: string, week: string): Promise<void> {
    this.db
      .delete(adoptionNudgeClaims)
      .where(nudgeClaim(adoptionNudgeClaims, workspace, managerId, week))
      .run()
  }

  async saveNudge(n: Omit<NudgeRecord, 'id' | 'after'>): Promise<void> {
    const row = nudgeRow(n)
    this.db
      .insert(adoptionNudges)
      .values({ ...row, diagnoses: JSON.stringify(row.diagnoses), before: JSON.stringify(row.before) })
      .onConflictDoNothing()
      .run()
  }

  async nudges(workspace: WorkspaceId, teamId?: number): Promise<NudgeRecord[]> {
    return this.db
      .select()
      .from(adoptionNudges)
      .where(nudgesOf(adoptionNudges, workspace, teamId))
      .orderBy(asc(adoptionNudges.week))
      .all()
      .map(fromText)
  }

  async nudgesAwaitingEffect(workspace: WorkspaceId, week: string): Promise<NudgeRecord[]> {
    return this.db
      .select()
      .from(adoptionNudges)
      .where(awaitingEffect(adoptionNudges, workspace, week))
      .all()
      .map(fromText)
  }

  async setNudgeAfter(id: number, after: NudgeSnapshot): Promise<void> {
    this.db
      .update(adoptionNudges)
      .set({ after: JSON.stringify(after) })
      .where(eq(adoptionNudges.id, id))
      .run()
  }

  async nudgePrefs(workspace: WorkspaceId, personId: string): Promise<NudgePrefs> {
    return toNudgePrefs(
      this.db
        .select()
        .from(adoptionNudgePrefs)
        .where(personIn(adoptionNudgePrefs, workspace, personId))
        .get(),
    )
  }

  async setNudgePrefs(workspace: WorkspaceId, personId: string, p: NudgePrefs): Promise<void> {
    const values = nudgePrefsRow(workspace, personId, p)
    this.db
      .insert(adoptionNudgePrefs)
      .values(values)
      .onConflictDoUpdate({ target: [adoptionNudgePrefs.workspaceId, adoptionNudgePrefs.personId], set: values })
      .run()
  }
}

/** SQLite keeps a nudge's JSON columns as text. */
function fromText(r: typeof adoptionNudges.$inferSelect): NudgeRecord {
  return toNudge({
    ...r,
    diagnoses: JSON.parse(r.diagnoses) as string[],
    before: JSON.parse(r.before) as NudgeSnapshot,
    after: r.after ? (JSON.parse(r.after) as NudgeSnapshot) : null,
  })
}
