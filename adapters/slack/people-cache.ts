/**
 * Who people are and what conversations are, with expiry: memory first (fast, per process), then
 * Slack, written through to the people/conversations tables. The tables are the fallback when
 * Slack is unreachable or rate-limited, and what other parts of Beacon read (e.g. "@name" lookups,
 * and adoption's departments when SLACK_DEPARTMENT_FIELD names a profile field).
 */
import { z } from 'zod'
import { workspaceId, type Conversation, type Person, type Privacy } from '../../src/core/model.ts'
import type { Clock, ConversationRepository, PeopleRepository, WorkspaceStanding } from '../../src/core/ports.ts'
import type { Logger } from '../../src/core/logger.ts'
import { departmentFrom, isFieldId, profileFields, resolveFieldId } from './department-field.ts'
import type { SlackClients, WebClient } from './slack-clients.ts'
import type { NameResolver } from './translate-text.ts'

const userInfo = z.object({
  user: z.object({
    id: z.string(),
    name: z.string().optional(),
    real_name: z.string().optional(),
    tz: z.string().optional(),
    is_bot: z.boolean().optional(),
    profile: z
      .object({
        display_name: z.string().optional(),
        display_name_normalized: z.string().optional(),
        real_name: z.string().optional(),
        real_name_normalized: z.string().optional(),
      })
      .optional(),
  }),
})

const conversationInfo = z.object({
  channel: z.object({
    id: z.string(),
    name: z.string().optional(),
    user: z.string().optional(),
    is_private: z.boolean().optional(),
    is_group: z.boolean().optional(),
    is_im: z.boolean().optional(),
    is_mpim: z.boolean().optional(),
  }),
})

/** users.info flags that make someone a workspace admin for Beacon; email only with users:read.email. */
const userStanding = z.object({
  user: z.object({
    is_admin: z.boolean().optional(),
    is_owner: z.boolean().optional(),
    is_primary_owner: z.boolean().optional(),
    deleted: z.boolean().optional(),
    profile: z.object({ email: z.string().optional() }).optional(),
  }),
})

const membersPage = z.object({ members: z.array(z.string()).default([]) })

/** A small TTL map; the oldest entries go first once it is full, so memory stays bounded. */
class Expiring<V> {
  private readonly map = new Map<string, { value: V; expires: number }>()
  constructor(
    private readonly ttlMs: number,
    private readonly max = 10_000,
  ) {}
  get(key: string, now: number): V | undefined {
    const e = this.map.get(key)
    if (!e) return undefined
    if (e.expires <= now) {
      this.map.delete(key)
      return undefined
    }
    return e.value
  }
  set(key: string, value: V, now: number): void {
    this.map.delete(key)
    if (this.map.size >= this.max) this.map.delete(this.map.keys().next().value!)
    this.map.set(key, { value, expires: now + this.ttlMs })
  }
  delete(key: string): void {
    this.map.delete(key)
  }
}

export interface DirectoryTtl {
  peopleMs: number
  conversationsMs: number
  /** Membership changes matter for permissions, so it is trusted only briefly. */
  membershipMs: number
}

/** A conversation's privacy decides who finds its knowledge, so it is trusted no longer than membership. */
export const DEFAULT_TTL: DirectoryTtl = { peopleMs: 60 * 60_000, conversationsMs: 60_000, membershipMs: 60_000 }

function displayName(u: z.infer<typeof userInfo>['user']): string {
  const p = u.profile ?? {}
  return [p.display_name_normalized, p.display_name, p.real_name_normalized, p.real_name, u.real_name, u.name, u.id].find(
    (s): s is string => typeof s === 'string' && s.trim() !== '',
  )!
}

function privacyOf(c: z.infer<typeof conversationInfo>['channel']): Privacy {
  if (c.is_im || c.is_mpim) return 'direct'
  return c.is_private || c.is_group ? 'private' : 'public'
}

export class SlackDirectory {
  private readonly people: Expiring<Person>
  private readonly conversations: Expiring<Conversation>
  private readonly members: Expiring<Set<string>>
  /** team → the id of the department field (null: no field has that label), with the people expiry. */
  private readonly departmentFieldIds: Expiring<string | null>

  constructor(
    private readonly clients: SlackClients,
    private readonly repos: { people: PeopleRepository; conversations: ConversationRepository },
    private readonly clock: Clock,
    private readonly log: Logger,
    ttl: DirectoryTtl = DEFAULT_TTL,
    /** SLACK_DEPARTMENT_FIELD: a custom profile field id or label; people get its value as department. */
    private readonly departmentField?: string,
  ) {
    this.people = new Expiring(ttl.peopleMs)
    this.conversations = new Expiring(ttl.conversationsMs)
    this.members = new Expiring(ttl.membershipMs)
    this.departmentFieldIds = new Expiring(ttl.peopleMs)
  }

  private now(): number {
    return this.clock.now().getTime()
  }

  async person(teamId: string, userId: string): Promise<Person | undefined> {
    const key = `${teamId}:${userId}`
    const hit = this.people.get(key, this.now())
    if (hit) return hit
    const ws = workspaceId('slack', teamId)
    try {
      const { client } = await this.clients.forTeam(teamId)
      const { user } = userInfo.parse(await client.users.info({ user: userId }))
      const isBot = user.is_bot === true || userId === 'USLACKBOT'
      const department = isBot ? undefined : await this.department(client, teamId, userId)
      const p: Person = {
        workspace: ws,
        id: userId,
        displayName: displayName(user),
        timezone: user.tz || 'UTC',
        isBot,
        ...(department ? { department } : {}),
      }
      this.people.set(key, p, this.now())
      await this.repos.people.upsert(p)
      return p
    } catch (err) {
      this.log.warn({ err, teamId, userId }, 'users.info failed; using the stored copy')
      return this.repos.people.get(ws, userId)
    }
  }

  /** The id of the configured department field in a team; a label is looked up once per expiry. */
  private async departmentFieldId(client: WebClient, teamId: string, wanted: string): Promise<string | undefined> {
    if (isFieldId(wanted)) return wanted
    const hit = this.departmentFieldIds.get(teamId, this.now())
    if (hit !== undefined) return hit ?? undefined
    const fields = profileFields(await client.team.profile.get())
    const id = resolveFieldId(wanted, fields) ?? null
    if (!id)
      this.log.warn(
        { teamId, wanted, labels: fields.map((f) => f.label) },
        'SLACK_DEPARTMENT_FIELD: no profile field has this label; departments stay unknown',
      )
    this.departmentFieldIds.set(teamId, id, this.now())
    return id ?? undefined
  }

  /** The person's department from SLACK_DEPARTMENT_FIELD; if Slack fails (a missing scope, a blip), the stored one is kept. */
  private async department(client: WebClient, teamId: string, userId: string): Promise<string | undefined> {
    if (!this.departmentField) return undefined
    try {
      const fieldId = await this.departmentFieldId(client, teamId, this.departmentField)
      return fieldId ? departmentFrom(await client.users.profile.get({ user: userId }), fieldId) : undefined
    } catch (err) {
      this.log.warn({ err, teamId, userId }, 'reading the department profile field failed; keeping the stored department')
      return (await this.repos.people.get(workspaceId('slack', teamId), userId))?.department
    }
  }

  async conversation(teamId: string, channelId: string): Promise<Conversation | undefined> {
    const key = `${teamId}:${channelId}`
    const hit = this.conversations.get(key, this.now())
    if (hit) return hit
    const ws = workspaceId('slack', teamId)
    try {
      const { client } = await this.clients.forTeam(teamId)
      const { channel } = conversationInfo.parse(await client.conversations.info({ channel: channelId }))
      const privacy = privacyOf(channel)
      let name = channel.name ?? channelId
      if (channel.is_im && channel.user) name = `DM with ${(await this.person(teamId, channel.user))?.displayName ?? channel.user}`
      const c: Conversation = { workspace: ws, id: channelId, name, privacy }
      this.conversations.set(key, c, this.now())
      await this.repos.conversations.upsert(c)
      return c
    } catch (err) {
      this.log.warn({ err, teamId, channelId }, 'conversations.info failed; using the stored copy')
      return this.repos.conversations.get(ws, channelId)
    }
  }

  /** Every page of conversations.members; a failure is an error (never guess "yes" for a permission). */
  async isMember(teamId: string, userId: string, channelId: string): Promise<boolean> {
    const key = `${teamId}:${channelId}`
    let set = this.members.get(key, this.now())
    if (!set) {
      const { client } = await this.clients.forTeam(teamId)
      set = new Set<string>()
      for await (const page of client.paginate('conversations.members', { channel: channelId, limit: 1000 })) {
        for (const m of membersPage.parse(page).members) set.add(m)
      }
      this.members.set(key, set, this.now())
    }
    return set.has(userId)
  }

  /** The channel was converted (private ↔ public): its privacy and members are asked of Slack again. */
  forgetConversation(teamId: string, channelId: string): void {
    this.conversations.delete(`${teamId}:${channelId}`)
    this.forgetMembers(teamId, channelId)
  }

  /** Someone joined or left: the next check asks Slack again. */
  forgetMembers(teamId: string, channelId: string): void {
    this.members.delete(`${teamId}:${channelId}`)
  }

  /**
   * Admin/owner flags straight from users.info (the role resolver in the core caches them briefly);
   * a deactivated account administers nothing. Errors propagate: a permission is never guessed.
   */
  async standing(teamId: string, userId: string): Promise<WorkspaceStanding> {
    const { client } = await this.clients.forTeam(teamId)
    const { user } = userStanding.parse(await client.users.info({ user: userId }))
    const admin = !user.deleted && Boolean(user.is_admin || user.is_owner || user.is_primary_owner)
    return { admin, ...(user.profile?.email ? { email: user.profile.email } : {}) }
  }

  names(teamId: string): NameResolver {
    return {
      personName: async (id) => (await this.person(teamId, id))?.displayName,
      conversationName: async (id) => (await this.conversation(teamId, id))?.name,
    }
  }
}
