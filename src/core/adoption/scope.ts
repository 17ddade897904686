/**
 * Who sees and changes which teams (the README's "Who sees what" table):
 * - workspace admins (src/core/people/roles.ts) see and edit every team, and create teams;
 * - a team's managers see and edit that team;
 * - everyone else sees no team, only their own privacy settings.
 * Every surface (chat stats, the dashboard, its CSV, nudges) asks `viewerOf` at the moment it
 * shows something, so a manager removed since gets nothing more.
 */
import { BeaconError } from '../errors.ts'
import type { WorkspaceId } from '../model.ts'
import type { AdoptionContext } from './deps.ts'
import type { Team } from './types.ts'

export interface Viewer {
  workspace: WorkspaceId
  personId: string
  admin: boolean
  /** The teams this person may see figures of. */
  teams: Team[]
}

export async function viewerOf(ctx: AdoptionContext, workspace: WorkspaceId, personId: string): Promise<Viewer> {
  const [all, admin] = await Promise.all([ctx.settings.teams(workspace), ctx.roles.isAdmin(workspace, personId)])
  return { workspace, personId, admin, teams: admin ? all : all.filter((t) => t.managers.includes(personId)) }
}

/** A test for `workspaceReports`' `visible` argument: privacy is applied across exactly these teams. */
export function sees(v: Viewer): (t: Team) => boolean {
  const ids = new Set(v.teams.map((t) => t.id))
  return (t) => ids.has(t.id)
}

export function forbidden(message: string): BeaconError {
  return new BeaconError('forbidden', message, { userMessage: message })
}

/** Managers and admins change a team; a team without managers is the admins' alone. */
export async function assertCanManage(ctx: AdoptionContext, team: Team, personId: string): Promise<void> {
  if (team.managers.includes(personId)) return
  if (await ctx.roles.isAdmin(team.workspace, personId)) return
  throw forbidden(`Only the managers of ${team.name} or a workspace admin can change it.`)
}

/** The friendly answer for someone who sees no team: what they can see instead. */
export function noTeamsText(prefix: string): string {
  return [
    'Adoption numbers are for team managers and workspace admins, and you don’t manage a team yet.',
    `What Beacon counts about you, and how to leave: \`${prefix}beacon privacy\`.`,
  ].join('\n')
}
