/**
 * Teams people by verified email, before they ever talk to Beacon. The roster of each team Beacon
 * is in (Bot Connector paged members, through the same rate-limited transport as every call) gives
 * each member's AAD object id — Beacon's person id — with their email or userPrincipalName. The
 * organisation matching (src/core/org/identity.ts) asks `findPersonByEmail` and, for someone never
 * seen in a conversation Beacon can ask, `workspaceStanding` falls back to this roster.
 * One read of a tenant's rosters serves every question for a few minutes (one read at a time).
 */
import { type CloudAdapter, TeamsInfo } from './botbuilder.ts'
import type { AdapterHost } from '../../src/core/adapter-host.ts'
import type { WorkspaceId } from '../../src/core/model.ts'
import { runProactive } from './proactive.ts'
import type { TeamsDirectory } from './references.ts'

const REFRESH_MS = 10 * 60_000
const MAX_TEAMS = 20
const PAGE_SIZE = 500
const MAX_PAGES = 50

interface RosterMember {
  aadObjectId?: string
  email?: string
  userPrincipalName?: string
}

/** AAD object id → email as the roster gives it (trimmed, lower case), per tenant. */
export class RosterEmails {
  private readonly cache = new Map<WorkspaceId, { at: number; emails: Promise<Map<string, string>> }>()

  constructor(
    private readonly host: AdapterHost,
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
    private readonly directory: TeamsDirectory,
  ) {}

  async emailOf(workspace: WorkspaceId, personId: string): Promise<string | undefined> {
    return (await this.of(workspace)).get(personId)
  }

  async personWith(workspace: WorkspaceId, email: string): Promise<string | undefined> {
    const wanted = email.trim().toLowerCase()
    for (const [id, e] of await this.of(workspace)) if (e === wanted) return id
    return undefined
  }

  private of(workspace: WorkspaceId): Promise<Map<string, string>> {
    const now = Date.now()
    const hit = this.cache.get(workspace)
    if (hit && now - hit.at < REFRESH_MS) return hit.emails
    const emails = this.read(workspace)
    this.cache.set(workspace, { at: now, emails })
    // A failed read is not remembered: the next question asks again.
    emails.catch(() => this.cache.get(workspace)?.emails === emails && this.cache.delete(workspace))
    return emails
  }

  private async read(workspace: WorkspaceId): Promise<Map<string, string>> {
    const out = new Map<string, string>()
    for (const team of (await this.directory.repo.teamsOf(workspace)).slice(0, MAX_TEAMS)) {
      const ref = (await this.directory.reference(workspace, team.conversationId))?.ref
      if (!ref) continue
      let token: string | undefined
      for (let page = 0; page < MAX_PAGES; page++) {
        let members: RosterMember[] = []
        await runProactive(this.adapter, this.appId, ref, async (tc) => {
          const r = await TeamsInfo.getPagedTeamMembers(tc, team.teamId, PAGE_SIZE, token)
          members = r.members
          token = r.continuationToken
        })
        for (const m of members) {
          const email = (m.email ?? m.userPrincipalName)?.trim().toLowerCase()
          if (m.aadObjectId && email) out.set(m.aadObjectId, email)
        }
        if (!token) break
      }
    }
    this.host.log.debug({ workspace, people: out.size }, 'read the teams rosters for email matching')
    return out
  }
}
