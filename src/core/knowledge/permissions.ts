/**
 * Who may see a saved item. Permission travels with the data: an item from a private channel or a
 * DM is shown only to people who are members *now*, asked of the platform at search time. The
 * channel's privacy is asked of the platform too (a public channel may have been made private since
 * the item was saved), and the stricter of the two wins. Answers are cached briefly because one
 * search can touch many items of the same channel.
 */
import type { Logger } from '../logger.ts'
import { silentLogger } from '../logger.ts'
import type { Privacy, WorkspaceId } from '../model.ts'
import type { Clock, PlatformDirectory } from '../ports.ts'
import { systemClock } from '../ports.ts'
import type { KnowledgeItem } from './types.ts'

export const DEFAULT_MEMBER_TTL_MS = 60_000
const MAX_ENTRIES = 10_000

export class KnowledgeAccess {
  private readonly cache = new Map<string, { allowed: boolean; expires: number }>()
  private readonly privacy = new Map<string, { privacy: Privacy | undefined; expires: number }>()

  constructor(
    private readonly platforms: PlatformDirectory,
    private readonly clock: Clock = systemClock,
    private readonly ttlMs = DEFAULT_MEMBER_TTL_MS,
    private readonly log: Logger = silentLogger,
  ) {}

  /**
   * `personId` is the person's account in the item's workspace; undefined when they have none there
   * (another workspace of their organisation where no account shares their verified email): then
   * only public items are visible.
   */
  async canSee(workspace: WorkspaceId, personId: string | undefined, item: Pick<KnowledgeItem, 'workspace' | 'conversation'>): Promise<boolean> {
    // Tenants never see each other's data, whatever the repository returned.
    if (item.workspace !== workspace) return false
    if (item.conversation.privacy === 'public' && (await this.currentPrivacy(workspace, item.conversation.id)) !== 'private') return true
    return personId !== undefined && this.isMember(workspace, personId, item.conversation.id)
  }

  /** A conversion event arrived: ask the platform again on the next search. */
  forgetConversation(workspace: WorkspaceId, conversationId: string): void {
    this.privacy.delete(`${workspace}\u0000${conversationId}`)
  }

  /**
   * The conversation's privacy as the platform says now (the platform caches it at most about a
   * minute); 'private' when asking fails, so a failure hides an item rather than leaking it, and
   * undefined when the platform knows nothing of it (the item's own privacy then stands).
   */
  private async currentPrivacy(workspace: WorkspaceId, conversationId: string): Promise<Privacy | undefined> {
    const key = `${workspace}\u0000${conversationId}`
    const now = this.clock.now().getTime()
    const hit = this.privacy.get(key)
    if (hit && hit.expires > now) return hit.privacy
    let privacy: Privacy | undefined
    try {
      privacy = (await this.platforms.forWorkspace(workspace).getConversation(workspace, conversationId))?.privacy
    } catch (err) {
      this.log.warn({ err, workspace, conversationId }, 'conversation lookup failed; treating it as private')
      return 'private'
    }
    if (this.privacy.size >= MAX_ENTRIES) this.privacy.delete(this.privacy.keys().next().value as string)
    this.privacy.set(key, { privacy, expires: now + this.ttlMs })
    return privacy
  }

  /** Keeps the order; asks about each private conversation at most once per call (and per TTL). */
  async filter<T>(workspace: WorkspaceId, personId: string | undefined, list: T[], itemOf: (t: T) => KnowledgeItem): Promise<T[]> {
    const out: T[] = []
    for (const t of list) if (await this.canSee(workspace, personId, itemOf(t))) out.push(t)
    return out
  }

  private async isMember(workspace: WorkspaceId, personId: string, conversationId: string): Promise<boolean> {
    const key = `${workspace}\u0000${personId}\u0000${conversationId}`
    const now = this.clock.now().getTime()
    const hit = this.cache.get(key)
    if (hit && hit.expires > now) return hit.allowed
    let allowed: boolean
    try {
      allowed = await this.platforms.forWorkspace(workspace).isMember(workspace, personId, conversationId)
    } catch (err) {
      // Fail closed and do not cache: a platform hiccup must not leak a private item, nor hide it for a minute.
      this.log.warn({ err, workspace, conversationId }, 'membership check failed; hiding private item')
      return false
    }
    if (this.cache.size >= MAX_ENTRIES) this.cache.delete(this.cache.keys().next().value as string)
    this.cache.delete(key)
    this.cache.set(key, { allowed, expires: now + this.ttlMs })
    return allowed
  }
}
