/**
 * Where a team's value events live. Impact's own stores (events, first-connection pairs) are kept
 * per workspace, like adoption's rollups; a team's channels in a linked workspace ("<workspace>/<channel>",
 * adoption/channels.ts) are read there, and their accounts are matched to people the way the report's
 * activity view matches them (adoption/people-view.ts), so a pair of people is one pair on both sides.
 */
import { PeopleView } from '../adoption/people-view.ts'
import type { ActivityReads } from '../adoption/types.ts'
import type { WorkspaceId } from '../model.ts'

export interface Places {
  /** The channels' conversation ids per workspace: the team's own and linked ones (unlinked ones count nothing). */
  of(channels: string[]): [WorkspaceId, string[]][]
  /** The person an account of `workspace` is. */
  person(workspace: WorkspaceId, personId: string): Promise<string>
}

/** `activity`: the report's view of the rollups (adoption's `activityFor`): a people view when `home` is linked. */
export function placesOf(home: WorkspaceId, activity: ActivityReads): Places {
  if (activity instanceof PeopleView) return { of: (channels) => activity.places(home, channels), person: (w, p) => activity.key(w, p) }
  return { of: (channels) => [[home, channels]], person: async (_w, p) => p }
}
