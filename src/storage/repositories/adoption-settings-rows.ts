/**
 * What the SQLite and PostgreSQL adoption-settings repositories share: the conditions that pick a
 * row (written against whichever dialect's columns are passed in, so both build the same SQL), the
 * rows they write and how rows become teams, objectives, nudges and nudge preferences. Only how
 * each dialect runs a statement, and how it stores JSON, stays in the repositories.
 */
import { and, eq, isNull, lte, type Column, type SQL } from 'drizzle-orm'
import type { NudgePrefs, NudgeRecord, NudgeSnapshot, Objective, ObjectiveMetric, Team } from '../../core/adoption/types.ts'
import type { WorkspaceId } from '../../core/model.ts'

type Columns<K extends string> = Record<K, Column>
type TeamRow = { id: number; workspaceId: string; name: string }
export type DepartmentRow = { workspace: WorkspaceId | '*'; personId: string; department: string }

/** Team names are unique in a workspace whatever their case. */
export function newTeamRow(workspace: WorkspaceId, name: string, at: Date) {
  return { workspaceId: workspace, name, nameKey: name.toLowerCase(), createdAt: at }
}

export function teamNamed(t: Columns<'workspaceId' | 'nameKey'>, workspace: WorkspaceId, name: string): SQL {
  return and(eq(t.workspaceId, workspace), eq(t.nameKey, name.toLowerCase()))!
}

export function teamWithId(t: Columns<'workspaceId' | 'id'>, workspace: WorkspaceId, id: number): SQL {
  return and(eq(t.workspaceId, workspace), eq(t.id, id))!
}

/** A team's channel or manager row. */
export function memberOf(t: Columns<'teamId'>, teamId: number, column: Column, value: string): SQL {
  return and(eq(t.teamId, teamId), eq(column, value))!
}

/** A person's row in a per-person table (opt-outs, nudge preferences). */
export function personIn(t: Columns<'workspaceId' | 'personId'>, workspace: WorkspaceId, personId: string): SQL {
  return and(eq(t.workspaceId, workspace), eq(t.personId, personId))!
}

export function nudgeClaim(t: Columns<'workspaceId' | 'managerId' | 'week'>, workspace: WorkspaceId, managerId: string, week: string): SQL {
  return and(eq(t.workspaceId, workspace), eq(t.managerId, managerId), eq(t.week, week))!
}

export function nudgesOf(t: Columns<'workspaceId' | 'teamId'>, workspace: WorkspaceId, teamId: number | undefined): SQL {
  return teamId === undefined ? eq(t.workspaceId, workspace) : and(eq(t.workspaceId, workspace), eq(t.teamId, teamId))!
}

/** Nudges sent in or before `week` whose effect has not been measured yet. */
export function awaitingEffect(t: Columns<'workspaceId' | 'after' | 'week'>, workspace: WorkspaceId, week: string): SQL {
  return and(eq(t.workspaceId, workspace), isNull(t.after), lte(t.week, week))!
}

export function toTeams(
  rows: TeamRow[],
  channels: { teamId: number; conversationId: string }[],
  managers: { teamId: number; personId: string }[],
): Team[] {
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

export function departmentRow(r: DepartmentRow) {
  return { workspaceId: r.workspace, personId: r.personId, department: r.department }
}

/** Workspace-specific rows win over "*" rows for the same person id. */
export function departmentMap(rows: { workspaceId: string; personId: string; department: string }[]): Map<string, string> {
  const out = new Map<string, string>()
  for (const r of rows) if (r.workspaceId === '*') out.set(r.personId, r.department)
  for (const r of rows) if (r.workspaceId !== '*') out.set(r.personId, r.department)
  return out
}

export function objectiveRow(o: Objective) {
  return { teamId: o.teamId, metric: o.metric, target: o.target, setBy: o.setBy, setAt: o.setAt }
}

export function toObjective(r: { teamId: number; metric: string; target: number; setBy: string; setAt: Date }): Objective {
  return { teamId: r.teamId, metric: r.metric as ObjectiveMetric, target: r.target, setBy: r.setBy, setAt: r.setAt }
}

/** A nudge's row with its JSON columns as values (PostgreSQL stores them as jsonb, SQLite as JSON text). */
export function nudgeRow(n: Omit<NudgeRecord, 'id' | 'after'>) {
  return {
    workspaceId: n.workspace,
    teamId: n.teamId,
    managerId: n.managerId,
    week: n.week,
    diagnoses: n.diagnoses,
    before: n.before,
    sentAt: n.sentAt,
  }
}

type NudgeRow = {
  id: number
  workspaceId: string
  teamId: number
  managerId: string
  week: string
  diagnoses: string[]
  before: NudgeSnapshot
  after: NudgeSnapshot | null
  sentAt: Date
}

export function toNudge(r: NudgeRow): NudgeRecord {
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

export function nudgePrefsRow(workspace: WorkspaceId, personId: string, p: NudgePrefs) {
  return { workspaceId: workspace, personId, muted: p.muted, snoozedUntil: p.snoozedUntil ?? null }
}

export function toNudgePrefs(r: { muted: boolean; snoozedUntil: Date | null } | undefined): NudgePrefs {
  return { muted: r?.muted ?? false, ...(r?.snoozedUntil ? { snoozedUntil: r.snoozedUntil } : {}) }
}
