/**
 * What Beacon remembers from each activity: the ConversationReference (proactive messages need
 * one), the tenant as a workspace, the person and the conversation. Writes are skipped when the same
 * facts were stored minutes ago, so a busy channel does not turn into a write per message.
 */
import { TurnContext, type ConversationReference } from 'botbuilder'
import { z } from 'zod'
import type { BeaconContext } from '../../src/app/context.ts'
import type { WorkspaceId } from '../../src/core/model.ts'
import { SqliteTeamsReferenceRepository, type StoredTeamsReference } from '../../src/storage/repositories/teams-references.ts'
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
  readonly repo: SqliteTeamsReferenceRepository
  private readonly seen = new Map<string, number>()

  constructor(private readonly ctx: BeaconContext) {
    this.repo = new SqliteTeamsReferenceRepository(ctx.db)
  }

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
      this.repo.upsert({
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
      this.repo.rememberTeam(where.workspace, where.teamId, where.groupId, where.teamName)
    }
    if (!this.fresh(`ws ${where.workspace}`)) {
      const existing = await this.ctx.repos.workspaces.get(where.workspace)
      await this.ctx.repos.workspaces.upsert({ id: where.workspace, platform: 'teams', name: where.teamName ?? existing?.name ?? `Teams tenant ${where.tenantId}` })
    }
    if (!this.fresh(`conv ${where.workspace} ${where.conversation.id} ${where.conversation.name}`)) {
      await this.ctx.repos.conversations.upsert({ workspace: where.workspace, id: where.conversation.id, name: where.conversation.name, privacy: where.conversation.privacy })
    }
    const person = personOf(a, where)
    const tz = timezoneOf(a)
    if (a.from.name && !this.fresh(`person ${where.workspace} ${person.id} ${a.from.name} ${tz ?? ''}`)) {
      const existing = await this.ctx.repos.people.get(where.workspace, person.id)
      await this.ctx.repos.people.upsert({
        workspace: where.workspace,
        id: person.id,
        displayName: a.from.name,
        timezone: tz ?? existing?.timezone ?? 'UTC',
        isBot: false,
      })
      if (person.id !== a.from.id) this.repo.rememberUser(where.workspace, person.id, a.from.id)
    }
  }

  /**
   * Teams refused for good to deliver here: remember why, and let the next activity from this
   * conversation rewrite the reference (which clears the mark) instead of being skipped as fresh.
   */
  markUnreachable(workspace: WorkspaceId, conversationId: string, reason: string, at: Date): void {
    this.repo.markUnreachable(workspace, conversationId, reason, at)
    for (const key of this.seen.keys()) if (key.startsWith(`ref ${workspace} ${conversationId} `)) this.seen.delete(key)
  }

  /** The app left a conversation or a team: proactive messages there would fail, so forget them. */
  forget(where: Where, wholeTeam: boolean): void {
    if (wholeTeam && where.teamId) this.repo.removeTeam(where.workspace, where.teamId)
    this.repo.remove(where.workspace, where.conversation.id)
    this.seen.clear()
  }

  reference(workspace: WorkspaceId, conversationId: string): { stored: StoredTeamsReference; ref: Reference } | undefined {
    const stored = this.repo.get(workspace, conversationId)
    const ref = stored && parseReference(stored.reference)
    return stored && ref ? { stored, ref } : undefined
  }

  personal(workspace: WorkspaceId, personId: string): Reference | undefined {
    const stored = this.repo.personal(workspace, personId)
    return stored && parseReference(stored.reference)
  }
}
