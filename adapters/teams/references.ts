/**
 * What Beacon remembers from each activity: the ConversationReference (proactive messages need
 * one), the tenant as a workspace, the person and the conversation. Writes are skipped when the same
 * facts were stored minutes ago, so a busy channel does not turn into a write per message.
 */
import type { ConversationReference } from 'botbuilder'
import { TurnContext } from './botbuilder.ts'
import { z } from 'zod'
import type { AdapterHost } from '../../src/core/adapter-host.ts'
import type { StoredTeamsReference, TeamsReferenceRepository } from '../../src/core/adapter-stores.ts'
import type { WorkspaceId } from '../../src/core/model.ts'
import { personOf, timezoneOf, type TeamsActivity, type Where } from './translate-activity.ts'

const storedReference = z.looseObject({
  serviceUrl: z.string().min(1),
  channelId: z.string().min(1),
  bot: z.looseObject({ id: z.string().min(1) }),
  conversation: z.looseObject({ id: z.string().min(1) }),
})

export type Reference = Partial<ConversationReference> & z.infer<typeof storedReference>

export function parseReference(raw: unknown): Reference | undefined {
  const r = storedReference.safeParse(raw)
  return r.success ? (r.data as Reference) : undefined
}

const REFRESH_MS = 10 * 60_000

export class TeamsDirectory {
  private readonly seen = new Map<string, number>()

  constructor(
    private readonly host: AdapterHost,
    readonly repo: TeamsReferenceRepository,
  ) {}

  private fresh(key: string): boolean {
    const now = Date.now()
    const at = this.seen.get(key)
    if (at !== undefined && now - at < REFRESH_MS) return true
    if (this.seen.size > 10_000) this.seen.clear()
    this.seen.set(key, now)
    return false
  }

  /** Store the reference, workspace, person and conversation of an inbound activity. */
  async remember(a: TeamsActivity, where: Where): Promise<void> {
    // `a` is the activity itself, parsed loosely (every field kept), so botbuilder can read it back.
    const ref = TurnContext.getConversationReference(a as unknown as Parameters<typeof TurnContext.getConversationReference>[0])
    // Proactive posts start new threads from the channel itself, so the stored id has no ";messageid=".
    const reference = { ...ref, activityId: undefined, conversation: { ...ref.conversation, id: where.conversation.id } }
    if (!this.fresh(`ref ${where.workspace} ${where.conversation.id} ${a.serviceUrl}`)) {
      await this.repo.upsert({
        workspace: where.workspace,
        conversationId: where.conversation.id,
        kind: where.kind,
        ...(where.kind === 'personal' ? { personId: personOf(a, where).id } : {}),
        ...(where.teamId ? { teamId: where.teamId } : {}),
        ...(where.groupId ? { groupId: where.groupId } : {}),
        ...(where.membershipType ? { membershipType: where.membershipType } : {}),
        reference: JSON.parse(JSON.stringify(reference)) as unknown,
      })
    }
    // Installation events carry the team's group id: keep it per team, for every channel of it.
    if (where.teamId && where.groupId && !this.fresh(`team ${where.workspace} ${where.teamId} ${where.groupId}`)) {
      await this.repo.rememberTeam(where.workspace, where.teamId, where.groupId, where.teamName)
    }
    if (!this.fresh(`ws ${where.workspace}`)) {
      const existing = await this.host.repos.workspaces.get(where.workspace)
      await this.host.repos.workspaces.upsert({
        id: where.workspace,
        platform: 'teams',
        name: where.teamName ?? existing?.name ?? `Teams tenant ${where.tenantId}`,
      })
    }
    if (!this.fresh(`conv ${where.workspace} ${where.conversation.id} ${where.conversation.name}`)) {
      await this.host.repos.conversations.upsert({
        workspace: where.workspace,
        id: where.conversation.id,
        name: where.conversation.name,
        privacy: where.conversation.privacy,
      })
    }
    const person = personOf(a, where)
    const tz = timezoneOf(a)
    if (a.from.name && !this.fresh(`person ${where.workspace} ${person.id} ${a.from.name} ${tz ?? ''}`)) {
      const existing = await this.host.repos.people.get(where.workspace, person.id)
      await this.host.repos.people.upsert({
        workspace: where.workspace,
        id: person.id,
        displayName: a.from.name,
        timezone: tz ?? existing?.timezone ?? 'UTC',
        isBot: false,
      })
      if (person.id !== a.from.id) await this.repo.rememberUser(where.workspace, person.id, a.from.id)
    }
  }

  /**
   * Teams refused for good to deliver here: remember why, and let the next activity from this
   * conversation rewrite the reference (which clears the mark) instead of being skipped as fresh.
   */
  async markUnreachable(workspace: WorkspaceId, conversationId: string, reason: string, at: Date): Promise<void> {
    await this.repo.markUnreachable(workspace, conversationId, reason, at)
    for (const key of this.seen.keys()) if (key.startsWith(`ref ${workspace} ${conversationId} `)) this.seen.delete(key)
  }

  /** The app left a conversation or a team: proactive messages there would fail, so forget them. */
  async forget(where: Where, wholeTeam: boolean): Promise<void> {
    if (wholeTeam && where.teamId) await this.repo.removeTeam(where.workspace, where.teamId)
    await this.repo.remove(where.workspace, where.conversation.id)
    this.seen.clear()
  }

  async reference(workspace: WorkspaceId, conversationId: string): Promise<{ stored: StoredTeamsReference; ref: Reference } | undefined> {
    const stored = await this.repo.get(workspace, conversationId)
    const ref = stored && parseReference(stored.reference)
    return stored && ref ? { stored, ref } : undefined
  }

  async personal(workspace: WorkspaceId, personId: string): Promise<Reference | undefined> {
    const stored = await this.repo.personal(workspace, personId)
    return stored && parseReference(stored.reference)
  }
}
