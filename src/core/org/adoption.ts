/**
 * The organisation as adoption sees it (src/core/adoption/deps.ts `AdoptionOrg`): counting is
 * about people, so an account of another workspace is mapped to the same person's account in the
 * team's workspace. Counting grants nothing, so a recorded identity is used as it is (no re-check
 * with the platform); only accounts never seen before are asked about, once, and then remembered.
 * A platform that cannot answer fails the count (the report says to try again): guessing "another
 * person" would count one person twice, and could show a group under the privacy minimum.
 */
import type { AdoptionOrg } from '../adoption/deps.ts'
import type { Clock, PlatformDirectory } from '../ports.ts'
import type { OrgIdentity } from './identity.ts'
import type { OrgRepository } from './types.ts'

export interface OrgAdoptionDeps {
  identity: OrgIdentity
  orgs: OrgRepository
  platforms: PlatformDirectory
  clock: Clock
}

export function orgAdoption({ identity, orgs, platforms, clock }: OrgAdoptionDeps): AdoptionOrg {
  return {
    async linkedWith(workspace) {
      const org = await orgs.orgOf(workspace)
      return org ? org.workspaces.filter((w) => w !== workspace) : []
    },
    async counterpart(workspace, personId, home) {
      const org = await orgs.orgOf(workspace)
      if (!org?.workspaces.includes(home)) return {}
      const account = { workspace, personId }
      let email = await orgs.storedEmail(org.id, account)
      if (!email) {
        email = await identity.emailOf(workspace, personId, { throwOnFailure: true })
        if (!email) return {}
        await orgs.rememberIdentity(org.id, account, email, clock.now())
      }
      const there = (await orgs.accountsByEmail(org.id, email)).find((a) => a.workspace === home)
      if (there) return { personId: there.personId, email }
      const platform = platforms.forWorkspace(home)
      const found = platform.findPersonByEmail ? await platform.findPersonByEmail(home, email) : undefined
      if (!found) return { email }
      await orgs.rememberIdentity(org.id, { workspace: home, personId: found }, email, clock.now())
      return { personId: found, email }
    },
    async accountIn(workspace, personId, other) {
      const { accounts } = await identity.reach(workspace, personId)
      return accounts.find((a) => a.workspace === other)?.personId
    },
  }
}
