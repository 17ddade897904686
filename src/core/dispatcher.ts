import { randomUUID } from 'node:crypto'
import type { Capability, Handler } from './capability.ts'
import { isBeaconError } from './errors.ts'
import type { CommandInvoked, EventOf, EventType, InboundEvent } from './events.ts'
import { commandHelp, commandPrefix, overviewHelp } from './help.ts'
import type { Logger } from './logger.ts'
import type { WorkspaceId } from './model.ts'
import type { ProcessedEventRepository, Turn } from './ports.ts'

export type DispatchResult = 'handled' | 'duplicate' | 'unhandled' | 'failed'

export interface DispatchOptions {
  /**
   * The caller already holds the claim for this delivery (an inbox row written before the ack, unique
   * per platform delivery): no second claim is written, and a replay after a crash runs again.
   */
  claimed?: boolean
}

/**
 * Routes every inbound event to the capability that owns it, exactly once per platform event id,
 * and turns failures into a friendly reply instead of a crash.
 */
export class Dispatcher {
  constructor(
    private readonly capabilities: readonly Capability[],
    private readonly processed: ProcessedEventRepository,
    private readonly log: Logger,
    /** Appended to `/beacon help` for this person, e.g. the organisation link admins see (src/core/org/help-note.ts). */
    private readonly beaconHelpNote?: (workspace: WorkspaceId, personId: string) => Promise<string | undefined>,
  ) {}

  async dispatch(event: InboundEvent, turn: Turn, opts: DispatchOptions = {}): Promise<DispatchResult> {
    let first: boolean
    try {
      // An inbox row already is the claim (its key is unique): a second one would only cost a commit.
      first = opts.claimed === true || (await this.processed.claim(event.workspace, event.eventId, event.at))
    } catch (err) {
      // The database refused the claim (locked past its busy timeout, disk full): nothing was
      // written, and the person hears so instead of silence.
      await this.fail(event, turn, err)
      return 'failed'
    }
    if (!first) {
      this.log.info({ eventId: event.eventId, type: event.type }, 'duplicate event ignored')
      return 'duplicate'
    }
    try {
      return await this.route(event, turn)
    } catch (err) {
      await this.fail(event, turn, err)
      return 'failed'
    }
  }

  private async route(event: InboundEvent, turn: Turn): Promise<DispatchResult> {
    switch (event.type) {
      case 'command':
        return this.command(event, turn)
      case 'message.action': {
        const cap = this.capabilities.find((c) => c.messageActions?.[event.action])
        if (!cap) return this.notYet(turn, event.person.id, 'That action')
        await cap.messageActions![event.action]!(event, turn)
        return 'handled'
      }
      case 'button':
      case 'form.submitted': {
        const id = event.type === 'button' ? event.actionId : event.formId
        const cap = this.owner(id)
        const handler = event.type === 'button' ? cap?.onButton : cap?.onForm
        if (!handler) {
          this.log.warn({ id }, 'no capability owns this button or form')
          return 'unhandled'
        }
        await (handler as Handler<typeof event>)(event, turn)
        return 'handled'
      }
      default:
        return this.broadcast(event, turn)
    }
  }

  private async command(event: CommandInvoked, turn: Turn): Promise<DispatchResult> {
    const [first = ''] = event.text.split(/\s+/, 1)
    const wantsHelp = first.toLowerCase() === 'help'
    // `/beacon` alone asks about `/beacon` itself, like `/beacon help`: its own subcommands.
    const beaconAlone = event.command === 'beacon' && event.text === ''
    if (event.command !== 'help' && (wantsHelp || beaconAlone)) {
      const help = commandHelp(this.capabilities, event.command, event.platform)
      if (help) {
        const note = event.command === 'beacon' ? await this.beaconHelpNote?.(event.workspace, event.person.id).catch(() => undefined) : undefined
        const shown = note
          ? {
              ...help,
              text: `${help.text}\n\n${note}`,
              ...(help.card ? { card: { ...help.card, blocks: [...help.card.blocks, { type: 'text' as const, text: note }] } } : {}),
            }
          : help
        await turn.reply({ ...shown, visibleTo: event.person.id, publicFallback: true })
        return 'handled'
      }
    }
    if (event.command === 'help' || (event.command === 'beacon' && (beaconAlone || wantsHelp))) {
      await turn.reply({ ...overviewHelp(this.capabilities, event.platform), visibleTo: event.person.id, publicFallback: true })
      return 'handled'
    }
    const cap = this.capabilities.find((c) => c.commands?.[event.command as Exclude<typeof event.command, 'help'>])
    const cmd = cap?.commands?.[event.command as Exclude<typeof event.command, 'help'>]
    if (!cmd) return this.notYet(turn, event.person.id, `\`${commandPrefix(event.platform)}${event.command}\``)
    await cmd.run(event, turn)
    return 'handled'
  }

  /** Plain events go to every capability that listens; one failing does not stop the others. */
  private async broadcast(event: InboundEvent, turn: Turn): Promise<DispatchResult> {
    let handled = false
    for (const cap of this.capabilities) {
      const h = cap.on?.[event.type] as Handler<EventOf<EventType>> | undefined
      if (!h) continue
      handled = true
      try {
        await h(event, turn)
      } catch (err) {
        this.log.error({ err, capability: cap.name, type: event.type, eventId: event.eventId }, 'event handler failed')
      }
    }
    return handled ? 'handled' : 'unhandled'
  }

  private owner(id: string): Capability | undefined {
    const prefix = id.split(':', 1)[0]
    return this.capabilities.find((c) => c.prefix === prefix)
  }

  private async notYet(turn: Turn, personId: string, what: string): Promise<DispatchResult> {
    await turn.reply({ text: `${what} isn’t available in this Beacon yet. Try \`help\` to see what is.`, visibleTo: personId, publicFallback: true })
    return 'unhandled'
  }

  private async fail(event: InboundEvent, turn: Turn, err: unknown): Promise<void> {
    const person = 'person' in event ? event.person.id : undefined
    if (isBeaconError(err) && err.userMessage) {
      this.log.info({ code: err.code, eventId: event.eventId }, err.message)
      await turn.reply({ text: err.userMessage, ...(person ? { visibleTo: person } : {}) }).catch(() => undefined)
      return
    }
    const ref = randomUUID().slice(0, 8)
    this.log.error({ err, ref, eventId: event.eventId, type: event.type }, 'event failed')
    if (person) {
      await turn
        .reply({ text: `Sorry, something went wrong on Beacon’s side and nothing was changed. (ref ${ref})`, visibleTo: person })
        .catch(() => undefined)
    }
  }
}
