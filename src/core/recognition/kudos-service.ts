/**
 * What can happen to kudos, with its rules: a person gives (command, reaction, a task's "Send
 * kudos" button) within their allowance and the per-receiver weekly cap; Beacon credits
 * automatically (a saved answer, a finished task) outside anyone's allowance. Every row carries the
 * natural key of its cause, so a retried event or job never counts twice. Nothing here calls a
 * chat platform.
 */
import type { Person, Privacy, WorkspaceId } from '../model.ts'
import { escapeMarkdown } from '../outbound.ts'
import type { RecognitionContext } from './deps.ts'
import { windowsFor } from './periods.ts'
import { checkGive, refusalText, type Limits } from './rules.ts'
import type { Kudos, KudosSource, LeaderRow, NewKudos } from './types.ts'

export type GiveResult =
  | { kind: 'given'; kudos: Kudos[] }
  /** Every row already existed: a retry of something already recorded. */
  | { kind: 'duplicate'; kudos: Kudos[] }
  | { kind: 'refused'; text: string }

export interface GiveInput {
  workspace: WorkspaceId
  giver: Person
  receivers: Person[]
  /** Beacon markdown; person-typed parts already escaped. */
  reason: string
  value?: string
  source: Extract<KudosSource, 'command' | 'reaction' | 'task'>
  conversationId?: string
  /** The conversation's privacy when the event said; otherwise the platform is asked. */
  privacy?: Privacy
  /** The cause's natural key; each receiver's id is appended. */
  keyBase: string
}

export interface CreditInput {
  workspace: WorkspaceId
  people: { id: string; name: string }[]
  reason: string
  source: Extract<KudosSource, 'knowledge' | 'task-done'>
  /** The knowledge item id or task id. */
  refId: string | number
  /** Where it happened: decides who may see it counted (see NewKudos.isPublic). */
  conversationId?: string
  privacy?: Privacy
}

export class KudosService {
  constructor(private readonly ctx: RecognitionContext) {}

  get limits(): Limits {
    return { dailyAllowance: this.ctx.dailyAllowance, weeklyPerReceiver: this.ctx.weeklyPerReceiver }
  }

  async give(input: GiveInput): Promise<GiveResult> {
    const { giver } = input
    const receivers = dedupe(input.receivers)
    if (receivers.length === 0) return { kind: 'refused', text: 'Mention the person you’re thanking. Nothing was recorded.' }
    if (receivers.some((p) => p.id === giver.id)) {
      return { kind: 'refused', text: 'Kudos are for thanking someone else — you can’t give them to yourself. Nothing was recorded.' }
    }
    const bot = receivers.find((p) => p.isBot)
    if (bot) return { kind: 'refused', text: `**${escapeMarkdown(bot.displayName)}** is a bot — kudos are for people. Nothing was recorded.` }
    if (giver.isBot) return { kind: 'refused', text: 'Bots can’t give kudos.' }

    const now = this.ctx.clock.now()
    const w = windowsFor(now, giver.timezone)
    const isPublic = await this.isPublic(input.workspace, input.conversationId, input.privacy)
    const rows: NewKudos[] = receivers.map((p) => ({
      workspace: input.workspace,
      kind: 'given',
      source: input.source,
      giverId: giver.id,
      giverName: giver.displayName,
      receiverId: p.id,
      receiverName: p.displayName,
      reason: input.reason,
      ...(input.value ? { value: input.value } : {}),
      ...(input.conversationId ? { conversationId: input.conversationId } : {}),
      isPublic,
      key: `${input.keyBase}:${p.id}`,
    }))
    const limits = this.limits
    // One allowance and one per-receiver cap per person across an organisation: the repository
    // reads what their other accounts gave inside the same transaction as the insert.
    const person = await this.ctx.org?.giverAcross(
      input.workspace,
      giver.id,
      receivers.map((p) => p.id),
    )
    const out = await this.ctx.repo.giveChecked(
      rows,
      { workspace: input.workspace, giverId: giver.id, dayStart: w.dayStart, weekStart: w.weekStart, ...(person ? { person } : {}) },
      (usage, fresh) => checkGive(usage, fresh, limits),
      now,
    )
    if (!out.ok) {
      this.ctx.log.info({ giver: giver.id, refusal: out.refusal.kind }, 'kudos refused')
      return { kind: 'refused', text: refusalText(out.refusal, limits, w, now, giver.timezone) }
    }
    if (out.inserted.length === 0) return { kind: 'duplicate', kudos: out.duplicates }
    await this.ctx.events
      .publish('kudos.given', { kudos: out.inserted })
      .catch((err: unknown) => this.ctx.log.warn({ err }, 'kudos-given hook failed'))
    return { kind: 'given', kudos: out.inserted }
  }

  /**
   * Public only when the conversation is known to be a public channel (from the event, else the
   * platform). No conversation, a failure to ask, a private channel or a DM: counted only where it
   * happened, so a wrong guess hides a kudos instead of exposing it.
   */
  async isPublic(workspace: WorkspaceId, conversationId: string | undefined, known?: Privacy): Promise<boolean> {
    if (!conversationId) return false
    if (known) return known === 'public'
    try {
      return (await this.ctx.platforms.forWorkspace(workspace).getConversation(workspace, conversationId))?.privacy === 'public'
    } catch (err) {
      this.ctx.log.warn({ err, conversationId }, 'could not read a conversation’s privacy; the kudos counts only there')
      return false
    }
  }

  /** Leaderboard rows with today's display names where the people cache knows them (renames). */
  async withCurrentNames(workspace: WorkspaceId, rows: LeaderRow[]): Promise<LeaderRow[]> {
    return Promise.all(
      rows.map(async (r) => {
        const p = await this.ctx.people.get(workspace, r.receiverId).catch(() => undefined)
        return p ? { ...r, receiverName: p.displayName } : r
      }),
    )
  }

  /** Automatic credit: idempotent on (source, refId, person); bots are never credited. */
  async credit(input: CreditInput): Promise<Kudos[]> {
    const isPublic = await this.isPublic(input.workspace, input.conversationId, input.privacy)
    const rows: NewKudos[] = dedupeBy(input.people, (p) => p.id).map((p) => ({
      workspace: input.workspace,
      kind: 'auto',
      source: input.source,
      receiverId: p.id,
      receiverName: p.name,
      reason: input.reason,
      ...(input.conversationId ? { conversationId: input.conversationId } : {}),
      isPublic,
      key: `${input.source}:${input.refId}:${p.id}`,
    }))
    return this.ctx.repo.credit(rows, this.ctx.clock.now())
  }
}

function dedupe(people: Person[]): Person[] {
  return dedupeBy(people, (p) => p.id)
}

function dedupeBy<T>(list: T[], key: (t: T) => string): T[] {
  const seen = new Set<string>()
  return list.filter((x) => {
    if (seen.has(key(x))) return false
    seen.add(key(x))
    return true
  })
}
