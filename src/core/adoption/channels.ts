/**
 * Where a team's channels live. A team belongs to one workspace; its channels there are bare ids
 * ("C123"), and a channel in another workspace of the same organisation is written with that
 * workspace in front: "teams:<tenant>/19:abc@thread.tacv2". Workspace ids never contain "/", so
 * the first "/" splits the two. A channel whose workspace has left the organisation counts nothing.
 */
import type { WorkspaceId } from '../model.ts'

export interface ChannelPlace {
  workspace: WorkspaceId
  conversationId: string
}

const QUALIFIED = /^((?:slack|teams|shell):[^/\s]+)\/(.+)$/

/** The form a team of `home` stores a channel of `workspace` in. */
export function teamChannel(home: WorkspaceId, workspace: WorkspaceId, conversationId: string): string {
  return workspace === home ? conversationId : `${workspace}/${conversationId}`
}

export function channelPlace(home: WorkspaceId, channel: string): ChannelPlace {
  const m = QUALIFIED.exec(channel)
  return m ? { workspace: m[1]!, conversationId: m[2]! } : { workspace: home, conversationId: channel }
}

/** The channels grouped by workspace, each keeping the form the team stores it in. */
export function byWorkspace(home: WorkspaceId, channels: readonly string[]): Map<WorkspaceId, { conversationId: string; channel: string }[]> {
  const out = new Map<WorkspaceId, { conversationId: string; channel: string }[]>()
  for (const channel of channels) {
    const p = channelPlace(home, channel)
    out.set(p.workspace, [...(out.get(p.workspace) ?? []), { conversationId: p.conversationId, channel }])
  }
  return out
}

/** Whether any of these channels lives outside `home`. */
export function spansWorkspaces(home: WorkspaceId, channels: readonly string[]): boolean {
  return channels.some((c) => channelPlace(home, c).workspace !== home)
}
