import type { DeliveryInbox, InboxRun } from '../../src/core/adapter-host.ts'
import type { InboundEvent } from '../../src/core/events.ts'
import type { Turn } from '../../src/core/ports.ts'
import type { SlackHost } from './host.ts'
import type { SealedInstallationStore } from './installation-store.ts'
import type { SlackDirectory } from './people-cache.ts'
import type { SlackClients } from './slack-clients.ts'
import type { SlackPlatform } from './slack-platform.ts'
import type { TurnBase } from './turns.ts'
import type { WorkspaceRegistry } from './workspaces.ts'

/** What the Bolt listeners need; built once by createSlackAdapter. */
export interface SlackDeps {
  host: SlackHost
  platform: SlackPlatform
  clients: SlackClients
  directory: SlackDirectory
  workspaces: WorkspaceRegistry
  installations?: SealedInstallationStore
  /** Where deliveries wait to be processed; an uninstall deletes the workspace's. */
  inbox?: DeliveryInbox
  /**
   * Register the team, then hand the event to the core; tracked so stop() can wait for it. With the
   * inbox run of the delivery, the row is the claim and each reply is made once across replays.
   */
  dispatch(teamId: string, event: InboundEvent, turn: Turn, run: InboxRun | undefined): Promise<void>
}

export async function turnBase(d: SlackDeps, teamId: string): Promise<TurnBase> {
  const { client } = await d.clients.forTeam(teamId)
  return { platform: d.platform, client, teamId }
}
