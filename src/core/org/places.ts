/** How Beacon names where an item lives when results span an organisation: "Slack · Acme". */
import type { Workspace, WorkspaceId } from '../model.ts'
import type { WorkspaceRepository } from '../ports.ts'

const PLATFORM = { slack: 'Slack', teams: 'Teams', shell: 'Shell' } as const

export function placeName(w: Workspace): string {
  return `${PLATFORM[w.platform]} · ${w.name}`
}

/** For knowledge results: the workspace's place, or its platform alone when the row is gone. */
export function placeOf(workspaces: WorkspaceRepository): (id: WorkspaceId) => Promise<string> {
  return async (id) => {
    const w = await workspaces.get(id)
    if (w) return placeName(w)
    const p = id.slice(0, id.indexOf(':'))
    return p in PLATFORM ? PLATFORM[p as keyof typeof PLATFORM] : id
  }
}
