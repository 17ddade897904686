/**
 * Kudos across an organisation: the board groups accounts by verified email (one row per person),
 * and a person's allowance counts what they gave on every platform of the organisation. People are
 * matched as Beacon meets them: `remember` records the giver and receivers of each kudos.
 */
import type { RecognitionOrg } from '../recognition/deps.ts'
import type { GivenKudos } from '../domain-events.ts'
import type { OrgIdentity } from './identity.ts'
import type { OrgKudosRepository } from './types.ts'

export interface OrgRecognition extends RecognitionOrg {
  /** Record who the giver and receivers are across the organisation (after a kudos is given). */
  remember(kudos: readonly GivenKudos[]): Promise<void>
}

export function orgRecognition(identity: OrgIdentity, repo: OrgKudosRepository): OrgRecognition {
  return {
    async leaderboard(q) {
      const org = await identity.orgOf(q.workspace)
      if (!org || org.workspaces.length < 2) return undefined
      return repo.leaderboard(org, q)
    },
    async givenElsewhere(workspace, giverId, since) {
      const { accounts } = await identity.reach(workspace, giverId)
      const others = accounts.flatMap((a) => (a.workspace !== workspace && a.personId ? [{ workspace: a.workspace, personId: a.personId }] : []))
      return repo.givenSince(others, since)
    },
    async remember(kudos) {
      const seen = new Set<string>()
      for (const k of kudos) {
        for (const id of k.giverId ? [k.giverId, k.receiverId] : [k.receiverId]) {
          if (seen.has(`${k.workspace}:${id}`)) continue
          seen.add(`${k.workspace}:${id}`)
          await identity.personKey(k.workspace, id)
        }
      }
    },
  }
}
