/**
 * The core's Turn on Teams: where a reply goes and what an invoke answers. Teams has no ephemeral
 * messages, so `visibleTo` is honoured like this (see README):
 * - in an invoke (message action, card button), the first private reply becomes the invoke's own
 *   answer, which only the person who acted sees (dialog text, card toast);
 * - in a personal chat it is an ordinary reply (only that person is there);
 * - after a person's own command in a channel or group chat, a reply marked `publicFallback` (help,
 *   usage hints) goes in that thread, where they asked;
 * - anywhere else it is a DM: a private answer may carry knowledge from conversations the rest of
 *   the channel cannot see, so it never goes where others read it.
 */
import type { TurnContext } from 'botbuilder'
import type { PersonRef } from '../../src/core/model.ts'
import type { Card, Form, Outbound } from '../../src/core/outbound.ts'
import type { ChatPlatform, PostTarget, Turn } from '../../src/core/ports.ts'
import { ADAPTIVE_CARD_CONTENT_TYPE, renderAdaptiveCard, renderFormCard, renderMessage, type AdaptiveCard } from './render-adaptive-card.ts'
import type { Where } from './translate-activity.ts'

export type TurnKind = 'message' | 'fetchTask' | 'submitAction' | 'cardAction'

/** What an invoke answers, decided by the capability through the Turn. */
export type InvokeOutcome =
  | { kind: 'form'; form: Form; errors?: Record<string, string>; values?: Record<string, string> }
  | { kind: 'card'; card: AdaptiveCard; title?: string }
  | { kind: 'message'; text: string }

export interface TeamsTurnOptions {
  kind: TurnKind
  context: TurnContext
  where: Where
  person: PersonRef
  platform: ChatPlatform
  /** Where public replies go when they cannot ride on the live turn (invokes, late replies). */
  publicTarget: PostTarget
  /** The form being submitted (for rejectForm), when the event is a form submission. */
  submittedForm?: { form: Form; values: Record<string, string> }
}

export class TeamsTurn implements Turn {
  outcome: InvokeOutcome | undefined
  /** Set once the HTTP answer has gone: the TurnContext is revoked, so replies go proactively. */
  private detached = false
  private readonly o: TeamsTurnOptions
  openForm?: (form: Form) => Promise<void>
  replaceSource?: (m: Outbound) => Promise<void>
  rejectForm?: (errors: Record<string, string>) => Promise<void>

  constructor(o: TeamsTurnOptions) {
    this.o = o
    // Forms open in a dialog from a message action, inline (a card with inputs) everywhere else.
    this.openForm = async (form) => {
      if (this.canAnswer()) {
        this.outcome = { kind: 'form', form }
        return
      }
      if (this.o.kind === 'message' && !this.detached) {
        const content = renderFormCard(form, { surface: 'message' })
        await this.o.context.sendActivity({
          type: 'message',
          summary: form.title,
          attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content }],
        })
        return
      }
      // The moment to ask has passed (the answer already went back to Teams): say so rather than guess.
      await this.dm({ text: `“${form.title}” took too long to open. Please try again.` })
    }
    if (o.kind === 'cardAction') {
      this.replaceSource = async (m) => {
        if (this.canAnswer()) this.outcome = { kind: 'card', card: cardOf(m) }
        else await this.o.platform.post(this.o.publicTarget, m)
      }
    }
    if (o.submittedForm) {
      const submitted = o.submittedForm
      this.rejectForm = async (errors) => {
        if (this.canAnswer()) this.outcome = { kind: 'form', form: submitted.form, errors, values: submitted.values }
        else await this.dm({ text: Object.values(errors).join('\n') })
      }
    }
  }

  /** Called when the HTTP answer is sent; anything later is posted proactively. */
  detach(): void {
    this.detached = true
  }

  async reply(m: Outbound): Promise<void> {
    const privateTo = m.visibleTo
    if (privateTo !== undefined && privateTo !== this.o.person.id) return this.dm(m, { workspace: this.o.person.workspace, id: privateTo })
    if (privateTo !== undefined && this.canAnswer() && this.outcome === undefined) {
      this.outcome = m.card ? { kind: 'card', card: cardOf(m), ...(m.card.title ? { title: m.card.title } : {}) } : { kind: 'message', text: m.text }
      return
    }
    if (privateTo !== undefined && (this.o.kind !== 'message' || (this.o.where.kind !== 'personal' && !m.publicFallback))) return this.dm(m)
    await this.send(m)
  }

  private canAnswer(): boolean {
    return this.o.kind !== 'message' && !this.detached
  }

  /** A reply in the conversation (and thread) where the person acted. */
  private async send(m: Outbound): Promise<void> {
    const { visibleTo: _ignored, publicFallback: _fallback, ...rest } = m
    if (this.o.kind === 'message' && !this.detached) {
      // The live turn replies into the incoming activity's conversation, thread included.
      await this.o.context.sendActivity(renderMessage(rest))
      return
    }
    await this.o.platform.post(this.o.publicTarget, rest)
  }

  private async dm(m: Outbound, to: PersonRef = this.o.person): Promise<void> {
    const { visibleTo: _ignored, publicFallback: _fallback, ...rest } = m
    if (to.id === this.o.person.id && this.o.where.kind === 'personal' && this.o.kind === 'message' && !this.detached) {
      await this.o.context.sendActivity(renderMessage(rest))
      return
    }
    await this.o.platform.post({ dmTo: to }, rest)
  }
}

function cardOf(m: Outbound): AdaptiveCard {
  const card: Card = m.card ?? { blocks: [{ type: 'text', text: m.text }] }
  return renderAdaptiveCard(card)
}
