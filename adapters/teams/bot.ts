/**
 * The TeamsActivityHandler: it routes, it does not translate. Each activity is remembered
 * (reference, people, conversation), turned into one core event by the pure translators
 * (translate-events.ts, translate-invokes.ts) and dispatched with a TeamsTurn; invoke answers are
 * built from what the capability did with that Turn (invoke-responses.ts). No feature logic here.
 */
import type { TurnContext, AdaptiveCardInvokeResponse, MessagingExtensionAction, MessagingExtensionActionResponse } from 'botbuilder'
import type { AdapterHost } from '../../src/core/adapter-host.ts'
import { finishedWithin } from '../../src/core/deadline.ts'
import type { InboundEvent } from '../../src/core/events.ts'
import { onceTurn } from '../../src/core/once-turn.ts'
import type { ChatPlatform, PostTarget } from '../../src/core/ports.ts'
import { TeamsActivityHandler } from './botbuilder.ts'
import { INBOX_TURN_KEY, type InboxTurn } from './intake.ts'
import { cardActionResponse, taskResponse } from './invoke-responses.ts'
import type { TeamsDirectory } from './references.ts'
import { withMentionTokens, type Roster } from './roster.ts'
import { activitySchema, personOf, plainText, tenantOf, whereOf, type TeamsActivity, type Where } from './translate-activity.ts'
import type { OnRemoved } from './tenant-removal.ts'
import {
  beaconRemoved,
  commandEvent,
  deletedEvent,
  editedEvent,
  installationEvent,
  joinedEvents,
  postedEvent,
  readMessage,
} from './translate-events.ts'
import { cardActionInvoke, messageActionInvoke, type InvokeTranslation, type MessageActionInvoke } from './translate-invokes.ts'
import { TeamsTurn, type TurnKind } from './turns.ts'

/** Teams gives invokes 5 s (network included); the answer leaves by 3.5 s, anything later is posted proactively. */
const INVOKE_BUDGET_MS = 3_500
const MESSAGE_BUDGET_MS = 10_000

export class BeaconTeamsBot extends TeamsActivityHandler {
  /** The inbox run each turn belongs to (set by the adapter in turnState). */
  private readonly inboxOf = new WeakMap<TeamsTurn, InboxTurn>()

  constructor(
    private readonly host: AdapterHost,
    private readonly platform: ChatPlatform,
    private readonly directory: TeamsDirectory,
    private readonly roster: Roster,
    /** After Beacon was removed from a team or chat (deletes the tenant's data when it was the last). */
    private readonly onRemoved?: OnRemoved,
  ) {
    super()
  }

  /** Parse and remember every activity before routing it; a malformed one is dropped, not thrown. */
  private async begin(context: TurnContext): Promise<{ a: TeamsActivity; where: Where } | undefined> {
    const parsed = activitySchema.safeParse(context.activity)
    if (!parsed.success) {
      this.host.log.warn({ type: context.activity.type, issues: parsed.error.issues.length }, 'teams activity ignored: unexpected shape')
      return undefined
    }
    const where = whereOf(parsed.data)
    await this.directory.remember(parsed.data, where)
    return { a: parsed.data, where }
  }

  private turn(
    kind: TurnKind,
    context: TurnContext,
    a: TeamsActivity,
    where: Where,
    publicTarget: PostTarget,
    submitted?: InvokeTranslation['submitted'],
  ): TeamsTurn {
    const turn = new TeamsTurn({
      kind,
      context,
      where,
      person: personOf(a, where),
      platform: this.platform,
      publicTarget,
      ...(submitted ? { submittedForm: submitted } : {}),
    })
    const inbox = context.turnState.get(INBOX_TURN_KEY) as InboxTurn | undefined
    if (inbox) this.inboxOf.set(turn, inbox)
    return turn
  }

  /** Dispatch within the budget; past it the turn detaches and the capability finishes on its own. */
  private async dispatch(event: InboundEvent, turn: TeamsTurn, budgetMs: number): Promise<void> {
    const inbox = this.inboxOf.get(turn)
    // A replay has no live request to answer: every reply goes out proactively, each at most once.
    if (inbox?.run.replay) turn.detach()
    const work = this.host.dispatcher
      .dispatch(event, inbox ? onceTurn(turn, inbox.run.ledger) : turn, inbox ? { claimed: true } : {})
      .catch((err: unknown) => {
        this.host.log.error({ err, eventId: event.eventId }, 'teams event dispatch failed')
      })
    inbox?.track(work)
    if (!(await finishedWithin(work, budgetMs))) {
      turn.detach()
      this.host.log.warn({ eventId: event.eventId, type: event.type, budgetMs }, 'teams turn over budget: answering now, finishing in the background')
    }
  }

  protected override async onMessageActivity(context: TurnContext): Promise<void> {
    const got = await this.begin(context)
    if (!got) return
    const { a, where } = got
    const m = readMessage(a, where)
    if (!m) return
    const turn = this.turn('message', context, a, where, { conversation: where.conversation, ...(m.inThread ? { threadId: m.inThread } : {}) })
    if (m.addressed)
      return this.dispatch(
        commandEvent(a, where, m, this.host.clock.now(), await this.withPeople(context, where, m.raw, m.text)),
        turn,
        MESSAGE_BUDGET_MS,
      )
    await this.dispatch(postedEvent(a, where, m, this.host.clock.now()), turn, MESSAGE_BUDGET_MS)
  }

  protected override async onMessageUpdateActivity(context: TurnContext): Promise<void> {
    const got = await this.begin(context)
    const id = got?.a.id
    if (!got || !id) return
    const { a, where } = got
    await this.dispatch(
      editedEvent({ ...a, id }, where, this.host.clock.now()),
      this.turn('message', context, a, where, { conversation: where.conversation }),
      MESSAGE_BUDGET_MS,
    )
  }

  protected override async onMessageDeleteActivity(context: TurnContext): Promise<void> {
    const got = await this.begin(context)
    const id = got?.a.id
    if (!got || !id) return
    const { a, where } = got
    await this.dispatch(
      deletedEvent({ ...a, id }, where, this.host.clock.now()),
      this.turn('message', context, a, where, { conversation: where.conversation }),
      MESSAGE_BUDGET_MS,
    )
  }

  protected override async onConversationUpdateActivity(context: TurnContext): Promise<void> {
    const got = await this.begin(context)
    if (!got) return
    const { a, where } = got
    if (beaconRemoved(a)) {
      await this.removed(context, a, where)
      return
    }
    for (const { member: m, event } of joinedEvents(a, where, this.host.clock.now())) {
      if (m.aadObjectId) await this.directory.repo.rememberUser(where.workspace, m.aadObjectId, m.id)
      await this.dispatch(event, this.turn('message', context, a, where, { conversation: where.conversation }), MESSAGE_BUDGET_MS)
    }
  }

  /** Beacon left a team or chat: forget its references; the tenant's last team or group chat takes the tenant's data with it. */
  private async removed(context: TurnContext, a: TeamsActivity, where: Where): Promise<void> {
    await this.directory.forget(where, where.kind === 'channel')
    if (where.kind === 'personal') return
    const inbox = context.turnState.get(INBOX_TURN_KEY) as InboxTurn | undefined
    await this.onRemoved?.(where, tenantOf(a), inbox?.run.id)
  }

  protected override async onInstallationUpdateActivity(context: TurnContext): Promise<void> {
    const got = await this.begin(context)
    if (!got) return
    const { a, where } = got
    const event = installationEvent(a, where, this.host.clock.now())
    if (event === 'removed') {
      await this.removed(context, a, where)
      return
    }
    if (!event) return
    await this.dispatch(event, this.turn('message', context, a, where, { conversation: where.conversation }), MESSAGE_BUDGET_MS)
  }

  protected override async handleTeamsMessagingExtensionFetchTask(context: TurnContext): Promise<MessagingExtensionActionResponse> {
    return this.messageAction(context, 'fetchTask')
  }

  /** botbuilder reads `value.botMessagePreviewAction` unguarded: an invoke without a value would be a 500, not a 400. */
  protected override async handleTeamsMessagingExtensionSubmitActionDispatch(
    context: TurnContext,
    action: MessagingExtensionAction,
  ): Promise<MessagingExtensionActionResponse> {
    if (!action || typeof action !== 'object') throw new Error('BadRequest') // TeamsActivityHandler answers 400
    return super.handleTeamsMessagingExtensionSubmitActionDispatch(context, action)
  }

  protected override async handleTeamsMessagingExtensionSubmitAction(context: TurnContext): Promise<MessagingExtensionActionResponse> {
    return this.messageAction(context, 'submitAction')
  }

  /** Both message-extension invokes: the action is read from the activity's value (translate-invokes.ts). */
  private async messageAction(context: TurnContext, kind: MessageActionInvoke): Promise<MessagingExtensionActionResponse> {
    const got = await this.begin(context)
    const read = got && messageActionInvoke(got.a, got.where, kind, this.host.clock.now())
    if (!got || !read) throw new Error('BadRequest') // TeamsActivityHandler answers 400
    if (!read.event) return { task: { type: 'message', value: 'Beacon doesn’t know that action.' } }
    const turn = this.turn(kind, context, got.a, got.where, read.publicTarget, read.submitted)
    await this.dispatch(read.event, turn, INVOKE_BUDGET_MS)
    return taskResponse(turn.outcome, kind === 'submitAction')
  }

  protected override async onAdaptiveCardInvoke(context: TurnContext): Promise<AdaptiveCardInvokeResponse> {
    const got = await this.begin(context)
    const read = got && cardActionInvoke(got.a, got.where, this.host.clock.now())
    if (!got || !read?.event) {
      return {
        statusCode: 400,
        type: 'application/vnd.microsoft.error',
        value: { code: 'BadRequest', message: 'not an Action.Execute Beacon understands' },
      }
    }
    const turn = this.turn('cardAction', context, got.a, got.where, read.publicTarget, read.submitted)
    await this.dispatch(read.event, turn, INVOKE_BUDGET_MS)
    return cardActionResponse(turn.outcome)
  }

  /**
   * People named in a command: @mentions become the core's `<@id|Name>` tokens once the roster
   * confirms them (see roster.ts); a typed "@Name" in a personal chat refreshes the team rosters so
   * a colleague who never talked to Beacon is known by name.
   */
  private async withPeople(context: TurnContext, where: Where, raw: string, text: string): Promise<string> {
    const confirmed = await this.roster.confirmMentions(context, where)
    if (where.kind === 'personal' && confirmed.length === 0 && /(^|\s)@\S/.test(text)) await this.roster.refreshRosters(where.workspace)
    return confirmed.length ? withMentionTokens(raw, confirmed, plainText) : text
  }
}
