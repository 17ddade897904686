import { BeaconError } from './errors.ts'
import type { Platform, WorkspaceId } from './model.ts'

/**
 * A thread id is opaque to the core and encoded by the adapter:
 * "slack:T1:C1:1712.3", "teams:<tenant>:<conversation>:<root message id>".
 * Each part is percent-encoded so Teams ids (which contain ":" and ";") survive the round trip.
 */
export type ThreadId = string

export interface ThreadParts {
  platform: Platform
  /** Workspace's external id, without the platform prefix. */
  workspaceExternalId: string
  conversationId: string
  rootId: string
}

export function encodeThreadId(p: ThreadParts): ThreadId {
  return [p.platform, p.workspaceExternalId, p.conversationId, p.rootId].map((s, i) => (i === 0 ? s : encodeURIComponent(s))).join(':')
}

export function decodeThreadId(id: ThreadId): ThreadParts {
  const parts = id.split(':')
  const [platform, ws, conv, root] = parts
  if (parts.length !== 4 || !ws || !conv || !root || (platform !== 'slack' && platform !== 'teams' && platform !== 'shell')) {
    throw new BeaconError('bad_thread_id', `not a thread id: ${id}`)
  }
  return {
    platform,
    workspaceExternalId: decodeURIComponent(ws),
    conversationId: decodeURIComponent(conv),
    rootId: decodeURIComponent(root),
  }
}

export function threadWorkspace(id: ThreadId): WorkspaceId {
  const p = decodeThreadId(id)
  return `${p.platform}:${p.workspaceExternalId}`
}
