/**
 * Team → Microsoft 365 group id, which Graph calls the team id. Teams puts
 * `channelData.team.aadGroupId` only on installation events (of the channel they happen in), so the
 * id is kept per team, and a team whose install Beacon missed (it was down, or the app was added
 * before this version) is asked once from the Bot Connector's team details (GET v3/teams/{id}).
 */
import { type CloudAdapter, TeamsInfo } from './botbuilder.ts'
import type { TeamsReferenceRepository } from '../../src/core/adapter-stores.ts'
import type { Logger } from '../../src/core/logger.ts'
import type { WorkspaceId } from '../../src/core/model.ts'
import { runProactive } from './proactive.ts'
import type { Reference } from './references.ts'

export class TeamGroups {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
    private readonly repo: TeamsReferenceRepository,
    private readonly log: Logger,
  ) {}

  /** The group id of `teamId`: stored, else looked up through `ref` (any conversation of that team) and stored. */
  async groupIdOf(workspace: WorkspaceId, teamId: string, ref: Reference): Promise<string | undefined> {
    const known = await this.repo.groupIdOfTeam(workspace, teamId)
    if (known) return known
    let details: { aadGroupId?: string; name?: string } | undefined
    try {
      await runProactive(this.adapter, this.appId, ref, async (tc) => {
        details = await TeamsInfo.getTeamDetails(tc, teamId)
      })
    } catch (err) {
      // Refused or unknown (Beacon is not in that team any more): no group id, so no Graph read.
      // Anything else (network, 5xx) is worth the job's retry.
      const status = (err as { statusCode?: unknown }).statusCode
      if (status !== 403 && status !== 404) throw err
      this.log.warn({ teamId, status }, 'the Bot Connector refused the team details')
      return undefined
    }
    if (!details?.aadGroupId) {
      this.log.warn({ teamId }, 'the Bot Connector gave no Microsoft 365 group id for a team')
      return undefined
    }
    await this.repo.rememberTeam(workspace, teamId, details.aadGroupId, details.name)
    this.log.info({ teamId }, 'learnt a team’s Microsoft 365 group id from the Bot Connector')
    return details.aadGroupId
  }
}
