/**
 * A tenant removing Beacon. Teams never says "uninstalled from the tenant": it says, per team or
 * chat, installationUpdate "remove", conversationUpdate with the bot in membersRemoved, or
 * teamDeleted. When that leaves Beacon in no team channel and no group chat of the tenant, the
 * tenant is gone, and everything of its workspace is deleted as for a Slack app_uninstalled: every
 * table scoped by the workspace (knowledge and its search index, tasks, kudos, adoption, people,
 * conversation references), its jobs (SQLite, outbox, Redis) and its stored deliveries. Personal
 * chats do not keep a tenant: Beacon opens them itself to DM people.
 */
import type { AdapterHost, DeliveryInbox } from '../../src/core/adapter-host.ts'
import type { TeamsDirectory } from './references.ts'
import { activitySchema, tenantOf, type Where } from './translate-activity.ts'

export type OnRemoved = (where: Where, tenantId: string, inboxRunId: number | undefined) => Promise<void>

export function tenantRemoval(host: AdapterHost, directory: TeamsDirectory, inbox: () => DeliveryInbox): OnRemoved {
  return async (where, tenantId, inboxRunId) => {
    if ((await directory.repo.placesLeft(where.workspace)) > 0) return
    await host.repos.workspaces.remove(where.workspace)
    const jobs = await host.queue.purgeWorkspace(where.workspace)
    const deliveries = await inbox().forget(
      tenantId,
      (body) => {
        const a = activitySchema.safeParse(body)
        return a.success && tenantOf(a.data) === tenantId
      },
      inboxRunId,
    )
    host.log.info(
      { workspace: where.workspace, jobs, deliveries },
      'teams: Beacon is in no team or group chat of the tenant any more; tenant data removed',
    )
  }
}
