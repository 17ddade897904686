import type { Logger } from '../../src/core/logger.ts'
import { workspaceId } from '../../src/core/model.ts'
import type { WorkspaceRepository } from '../../src/core/ports.ts'
import type { SlackClients } from './slack-clients.ts'

/**
 * Makes sure a workspaces row exists before the core sees a team's first event. Checked once per
 * team per process; the name comes from the installation or auth.test, never from another call.
 */
export class WorkspaceRegistry {
  private readonly known = new Set<string>()

  constructor(
    private readonly repo: WorkspaceRepository,
    private readonly clients: SlackClients,
    private readonly log: Logger,
  ) {}

  async ensure(teamId: string, name?: string): Promise<void> {
    if (this.known.has(teamId)) return
    const id = workspaceId('slack', teamId)
    const existing = await this.repo.get(id)
    if (!existing || (name && existing.name !== name)) {
      const resolved =
        name ??
        (await this.clients
          .auth(teamId)
          .then((a) => a.teamName)
          .catch(() => undefined)) ??
        teamId
      await this.repo.upsert({ id, platform: 'slack', name: resolved })
      this.log.info({ workspace: id }, 'slack workspace registered')
    }
    this.known.add(teamId)
  }

  /** After app_uninstalled: the row is gone, so a reinstall registers it again. */
  forget(teamId: string): void {
    this.known.delete(teamId)
  }
}
