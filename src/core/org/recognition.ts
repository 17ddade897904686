/**
 * Kudos across an organisation: the board groups accounts by verified email (one row per person),
 * and a person's allowance and per-receiver cap count what they gave on every platform of the
 * organisation (read in the give's own transaction, under one lock per person: GiveWindow.person). People are
 * matched as Beacon meets them: `remember` records the giver and receivers of each kudos.
 */
import type { RecognitionOrg } from '../recognition/deps.ts'
import type { GivenKudos } from '../domain-events.ts'
import type { OrgIdentity } from './identity.ts'
import type { Account, OrgKudosRepository } from './types.ts'

export interface OrgRecognition extends RecognitionOrg {
  /** Record who the giver and receivers are across the organisation (after a kudos is given). */
  remember(kudos: readonly GivenKudos[]): Promise<void>
}

export function orgRecognition(identity: OrgIdentity, repo: OrgKudosRepository): OrgRecognition {
  /** The person's verified accounts in the organisation's other workspaces; undefined outside one. */
  const others = async (workspace: string, personId: string): Promise<Account[] | undefined> => {
    const { org, accounts } = await identity.reach(workspace, personId)
    if (!org) return undefined
    return accounts.flatMap((a) => (a.workspace !== workspace && a.personId ? [{ workspace: a.workspace, personId: a.personId }] : []))
  }
  return {
    async leaderboard(q) {
      const org = await identity.orgOf(q.workspace)
      if (!org || org.workspaces.length < 2) return undefined
      return repo.leaderboard(org, q)
    },
    async giverAcross(workspace, giverId, receiverIds) {
      const giver = await others(workspace, giverId)
      if (!giver) return undefined
      const receivers: Record<string, Account[]> = {}
      for (const id of receiverIds) receivers[id] = (await others(workspace, id)) ?? []
      return { lockKey: await identity.personKey(workspace, giverId), accounts: giver, receivers }
    },
    async totals(workspace, accounts, since) {
      const org = await identity.orgOf(workspace)
      return org ? repo.totals(org, accounts, since) : undefined
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
