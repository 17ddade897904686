/**
 * Who administers Beacon in a workspace. One resolver for every feature (adoption stats, the
 * dashboard, team definitions, the kudos digest), so a role means the same thing everywhere:
 *
 * - **admin**: the platform says the person administers or owns the workspace
 *   (`ChatPlatform.workspaceStanding`: Slack `users.info` `is_admin`/`is_owner`), or the operator
 *   named them in `BEACON_ADMINS` (an email, matched against the platform profile, or a platform id);
 * - **manager** of a team: listed among the team's managers (adoption settings; see
 *   src/core/adoption/scope.ts);
 * - everyone else.
 *
 * Answers are cached briefly (a minute by default), so a demoted admin loses access within that
 * time, and a platform that fails answers "not an admin" (never guess yes for a permission).
 */
import type { Logger } from '../logger.ts'
import type { WorkspaceId } from '../model.ts'
import type { Clock, PlatformDirectory } from '../ports.ts'

export interface RoleResolver {
  isAdmin(workspace: WorkspaceId, personId: string): Promise<boolean>
}

export interface RoleResolverDeps {
  platforms: PlatformDirectory
  /** BEACON_ADMINS: emails (lower case) or platform ids. */
  admins: readonly string[]
  clock: Clock
  log: Logger
  ttlMs?: number
}

export const ROLE_CACHE_MS = 60_000

export function createRoleResolver(d: RoleResolverDeps): RoleResolver {
  const ids = new Set(d.admins.filter((a) => !a.includes('@')))
  const emails = new Set(d.admins.filter((a) => a.includes('@')).map((a) => a.toLowerCase()))
  const ttl = d.ttlMs ?? ROLE_CACHE_MS
  const cache = new Map<string, { admin: boolean; until: number }>()

  async function ask(workspace: WorkspaceId, personId: string): Promise<boolean> {
    if (ids.has(personId) || ids.has(`${workspace}:${personId}`)) return true
    let platform
    try {
      platform = d.platforms.forWorkspace(workspace)
    } catch {
      return false // no connection to that platform in this process: nobody is its admin here
    }
    if (!platform.workspaceStanding) return false
    const standing = await platform.workspaceStanding(workspace, personId)
    if (!standing) return false
    return standing.admin || (standing.email !== undefined && emails.has(standing.email.toLowerCase()))
  }

  return {
    async isAdmin(workspace, personId) {
      const key = `${workspace}\u0000${personId}`
      const now = d.clock.now().getTime()
      const hit = cache.get(key)
      if (hit && hit.until > now) return hit.admin
      let admin: boolean
      try {
        admin = await ask(workspace, personId)
      } catch (err) {
        d.log.warn({ err, workspace, personId }, 'could not read the person’s workspace role; treating them as not an admin')
        return false // not cached: the next question asks again
      }
      if (cache.size >= 10_000) cache.delete(cache.keys().next().value!)
      cache.set(key, { admin, until: now + ttl })
      return admin
    },
  }
}
