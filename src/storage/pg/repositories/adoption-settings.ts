import { asc, eq, inArray, or } from 'drizzle-orm'
import type { AdoptionSettingsRepository, NudgePrefs, NudgeRecord, NudgeSnapshot, Objective, Team } from '../../../core/adoption/types.ts'
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
} from '../../repositories/adoption-settings-rows.ts'

type TeamRow = typeof adoptionTeams.$inferSelect

/**
 * Teams, departments, opt-outs, objectives and nudge bookkeeping on PostgreSQL: small tables, plain
 * drizzle, the same conditions, rows and mappings as the SQLite twin (repositories/adoption-settings-rows.ts).
 * Claims are inserts on a primary key, so one process wins.
 */
export class PgAdoptionSettingsRepository implements AdoptionSettingsRepository {
  constructor(private readonly db: PgDb) {}

  private async hydrate(rows: TeamRow[]): Promise<Team[]> {
    if (rows.length === 0) return []
    const ids = rows.map((r) => r.id)
    const channels = await this.db.select().from(adoptionTeamChannels).where(inArray(adoptionTeamChannels.teamId, ids))
    const managers = await this.db.select().from(adoptionTeamManagers).where(inArray(adoptionTeamManagers.teamId, ids))
    return toTeams(rows, channels, managers)
  }

  async createTeam(workspace: WorkspaceId, name: string, at: Date): Promise<Team> {
    const [row] = await this.db
      .insert(adoptionTeams)
      .values(newTeamRow(workspace, name, at))
      .returning()
    return (await this.hydrate([row!]))[0]!
  }

  async syncTeam(workspace: WorkspaceId, name: string, channels: string[], managers: string[], at: Date): Promise<Team> {
    const id = await this.db.transaction(async (tx) => {
      // Insert-or-keep in one statement: two processes syncing the same team agree on its row.
      await tx
        .insert(adoptionTeams)
        .values(newTeamRow(workspace, name, at))
        .onConflictDoNothing()
      const [team] = await tx
        .select()
        .from(adoptionTeams)
        .where(teamNamed(adoptionTeams, workspace, name))
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
    return (
      await this.hydrate(
        await this.db
          .select()
          .from(adoptionTeams)
          .where(teamNamed(adoptionTeams, workspace, name)),
      )
    )[0]
  }

  async team(workspace: WorkspaceId, id: number): Promise<Team | undefined> {
    return (
      await this.hydrate(
        await this.db
          .select()
          .from(adoptionTeams)
          .where(teamWithId(adoptionTeams, workspace, id)),
      )
    )[0]
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
    await this.db.delete(adoptionTeamChannels).where(memberOf(adoptionTeamChannels, teamId, adoptionTeamChannels.conversationId, conversationId))
  }

  async addManager(teamId: number, personId: string): Promise<void> {
    await this.db.insert(adoptionTeamManagers).values({ teamId, personId }).onConflictDoNothing()
  }

  async removeManager(teamId: number, personId: string): Promise<void> {
    await this.db.delete(adoptionTeamManagers).where(memberOf(adoptionTeamManagers, teamId, adoptionTeamManagers.personId, personId))
  }

  async deleteTeam(teamId: number): Promise<void> {
    await this.db.delete(adoptionTeams).where(eq(adoptionTeams.id, teamId))
  }

  async replaceDepartments(rows: DepartmentRow[]): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.delete(adoptionDepartments)
      await upsertDepartments(tx, rows)
    })
  }

  async addDepartments(rows: DepartmentRow[]): Promise<void> {
    await this.db.transaction((tx) => upsertDepartments(tx, rows))
  }

  async departments(workspace: WorkspaceId): Promise<Map<string, string>> {
    return departmentMap(
      await this.db
        .select()
        .from(adoptionDepartments)
        .where(or(eq(adoptionDepartments.workspaceId, workspace), eq(adoptionDepartments.workspaceId, '*'))),
    )
  }

  async optOut(workspace: WorkspaceId, personId: string, at: Date): Promise<void> {
    await this.db.insert(adoptionOptouts).values({ workspaceId: workspace, personId, at }).onConflictDoNothing()
  }

  async optIn(workspace: WorkspaceId, personId: string): Promise<void> {
    await this.db.delete(adoptionOptouts).where(personIn(adoptionOptouts, workspace, personId))
  }

  async isOptedOut(workspace: WorkspaceId, personId: string): Promise<boolean> {
    return (
      (
        await this.db
          .select()
          .from(adoptionOptouts)
          .where(personIn(adoptionOptouts, workspace, personId))
      ).length > 0
    )
  }

  async setObjective(o: Objective): Promise<void> {
    const values = objectiveRow(o)
    await this.db
      .insert(adoptionObjectives)
      .values(values)
      .onConflictDoUpdate({ target: [adoptionObjectives.teamId, adoptionObjectives.metric], set: values })
  }

  async objectives(teamId: number): Promise<Objective[]> {
    return (await this.db.select().from(adoptionObjectives).where(eq(adoptionObjectives.teamId, teamId))).map(toObjective)
  }

  async claimNudge(workspace: WorkspaceId, managerId: string, week: string, at: Date): Promise<boolean> {
    return (await this.db.insert(adoptionNudgeClaims).values({ workspaceId: workspace, managerId, week, at }).onConflictDoNothing()).rowCount === 1
  }

  async releaseNudge(workspace: WorkspaceId, managerId: string, week: string): Promise<void> {
    await this.db.delete(adoptionNudgeClaims).where(nudgeClaim(adoptionNudgeClaims, workspace, managerId, week))
  }

  async saveNudge(n: Omit<NudgeRecord, 'id' | 'after'>): Promise<void> {
    await this.db.insert(adoptionNudges).values(nudgeRow(n)).onConflictDoNothing()
  }

  async nudges(workspace: WorkspaceId, teamId?: number): Promise<NudgeRecord[]> {
    return (
      await this.db
        .select()
        .from(adoptionNudges)
        .where(nudgesOf(adoptionNudges, workspace, teamId))
        .orderBy(asc(adoptionNudges.week))
    ).map(toNudge)
  }

  async nudgesAwaitingEffect(workspace: WorkspaceId, week: string): Promise<NudgeRecord[]> {
    return (
      await this.db
        .select()
        .from(adoptionNudges)
        .where(awaitingEffect(adoptionNudges, workspace, week))
    ).map(toNudge)
  }

  async setNudgeAfter(id: number, after: NudgeSnapshot): Promise<void> {
    await this.db.update(adoptionNudges).set({ after }).where(eq(adoptionNudges.id, id))
  }

  async nudgePrefs(workspace: WorkspaceId, personId: string): Promise<NudgePrefs> {
    const [r] = await this.db
      .select()
      .from(adoptionNudgePrefs)
      .where(personIn(adoptionNudgePrefs, workspace, personId))
    return toNudgePrefs(r)
  }

  async setNudgePrefs(workspace: WorkspaceId, personId: string, p: NudgePrefs): Promise<void> {
    const values = nudgePrefsRow(workspace, personId, p)
    await this.db
      .insert(adoptionNudgePrefs)
      .values(values)
      .onConflictDoUpdate({ target: [adoptionNudgePrefs.workspaceId, adoptionNudgePrefs.personId], set: values })
  }
}

async function upsertDepartments(tx: PgExecutor, rows: DepartmentRow[]): Promise<void> {
  for (const r of rows) {
    await tx
      .insert(adoptionDepartments)
      .values(departmentRow(r))
      .onConflictDoUpdate({ target: [adoptionDepartments.workspaceId, adoptionDepartments.personId], set: { department: r.department } })
  }
}
