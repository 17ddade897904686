import { randomUUID } from 'node:crypto'
import type { AdapterHost } from '../../src/core/adapter-host.ts'
import { isBeaconError } from '../../src/core/errors.ts'
import type { InboundEvent } from '../../src/core/events.ts'
import type { ChatMessage, ConversationRef, PersonRef } from '../../src/core/model.ts'
import type { CardButton, Outbound } from '../../src/core/outbound.ts'
import type { Turn } from '../../src/core/ports.ts'
import { indent, renderForTerminal } from './render-terminal.ts'
import { parseShellLine, SHELL_HELP, type ShellInput } from './shell-commands.ts'
import { SHELL_PEOPLE, SHELL_WORKSPACE, type ShellDelivery, type ShellWorld } from './shell-world.ts'

interface Pressable {
  button: CardButton
  source?: { conversation: ConversationRef; messageId: string; threadId: string }
}

/** One person at the terminal: who they are, where they are, and what they can click. */
export class ShellSession {
  me = 'alice'
  here = 'general'
  private pressable: Pressable[] = []

  constructor(
    private readonly ctx: AdapterHost,
    private readonly world: ShellWorld,
    private readonly out: (line: string) => void,
  ) {}

  prompt(): string {
    return `${this.me} in #${this.here}> `
  }

  /** Prints something Beacon said outside a turn (job results, DMs). */
  show(d: ShellDelivery): void {
    const { text, buttons } = renderForTerminal(d.message)
    const tag = d.updated ? ' (updated)' : ''
    const who = d.only === undefined ? ` #${d.ref.id}` : ` (only ${d.only === this.me ? 'you' : d.only})`
    this.out(`[${d.where}] Beacon${who}${tag}:\n${indent(text)}`)
    if (buttons.length)
      this.pressable = buttons.map((button) => ({
        button,
        source: { conversation: d.ref.conversation, messageId: d.ref.id, threadId: d.ref.threadId },
      }))
  }

  async handle(line: string): Promise<'quit' | undefined> {
    try {
      return await this.run(parseShellLine(line))
    } catch (err) {
      this.out(isBeaconError(err) && err.userMessage ? `! ${err.userMessage}` : `! ${(err as Error).message}`)
      return undefined
    }
  }

  private async run(input: ShellInput): Promise<'quit' | undefined> {
    const w = this.world
    switch (input.kind) {
      case 'nothing':
        return undefined
      case 'quit':
        return 'quit'
      case 'error':
        this.out(`! ${input.message}`)
        return undefined
      case 'shellhelp':
        this.out(SHELL_HELP)
        return undefined
      case 'who':
        this.out(SHELL_PEOPLE.map((p) => `${p.id === this.me ? '*' : ' '} ${p.id} (${p.displayName}, ${p.timezone})`).join('\n'))
        return undefined
      case 'channels':
        this.out(
          [...w.channels.values()]
            .filter((c) => c.privacy !== 'direct')
            .map((c) => `${c.id === this.here ? '*' : ' '} #${c.id} (${c.privacy}${c.members.has(this.me) ? '' : ', not a member'})`)
            .join('\n'),
        )
        return undefined
      case 'as': {
        const p = w.person(input.person)
        if (!p || p.isBot) return this.say(`! No such person: ${input.person}. Try /who.`)
        this.me = p.id
        if (!w.canRead(p.id, this.here)) {
          // Whoever was typing before may have been somewhere this person is not.
          this.here = 'general'
          return this.say(`You are now ${p.displayName} (not a member of the channel you were in; now in #general).`)
        }
        return this.say(`You are now ${p.displayName}.`)
      }
      case 'join': {
        const c = w.channel(input.channel)
        if (!w.canRead(this.me, c.id)) return this.say(`! #${c.id} is private and ${this.me} is not a member.`)
        this.here = c.id
        return this.say(`Now in #${c.id}.`)
      }
      case 'say':
        if (!w.canRead(this.me, this.here)) return this.say(`! #${this.here} is private and ${this.me} is not a member.`)
        return this.post(w.add(this.here, this.me, input.text))
      case 'reply':
        return this.post(w.add(w.messageFor(this.me, input.to).conversation.id, this.me, input.text, input.to))
      case 'edit': {
        if (w.messageFor(this.me, input.id).author.id !== this.me) return this.say('! You can only edit your own messages.')
        const m = w.edit(input.id, input.text)
        this.out(`(#${m.id} edited)`)
        return this.dispatch({ ...this.base(), type: 'message.edited', message: m })
      }
      case 'delete': {
        if (w.messageFor(this.me, input.id).author.id !== this.me) return this.say('! You can only delete your own messages.')
        const m = w.remove(input.id)
        this.out(`(#${m.id} deleted)`)
        return this.dispatch({ ...this.base(), type: 'message.deleted', conversation: m.conversation, messageId: m.id, threadId: m.threadId })
      }
      case 'thread': {
        const m = w.messageFor(this.me, input.id)
        for (const x of w.thread(m.threadId)) this.printMessage(x)
        return undefined
      }
      case 'react':
      case 'unreact': {
        const m = w.messageFor(this.me, input.to)
        this.out(`(${this.me} ${input.kind === 'react' ? 'reacted' : 'removed'} :${input.reaction}: on #${m.id})`)
        return this.dispatch({
          ...this.base(),
          type: input.kind === 'react' ? 'reaction.added' : 'reaction.removed',
          reaction: input.reaction,
          person: this.person(),
          conversation: m.conversation,
          messageId: m.id,
          messageAuthor: m.author,
        })
      }
      case 'save':
      case 'totask':
        return this.dispatch({
          ...this.base(),
          type: 'message.action',
          action: input.kind === 'save' ? 'save_to_knowledge' : 'create_task',
          person: this.person(),
          message: w.messageFor(this.me, input.id),
        })
      case 'click': {
        const p = this.pressable[input.button - 1]
        if (!p) return this.say('! No such button on the last card.')
        return this.dispatch({
          ...this.base(),
          type: 'button',
          actionId: p.button.actionId,
          ...(p.button.value !== undefined ? { value: p.button.value } : {}),
          person: this.person(),
          ...(p.source ? { source: p.source, conversation: p.source.conversation } : {}),
        })
      }
      case 'wait':
        await new Promise((r) => setTimeout(r, input.ms))
        return undefined
      case 'command':
        return this.dispatch({
          ...this.base(),
          type: 'command',
          command: input.command,
          text: input.text,
          person: this.person(),
          conversation: this.conversation(),
        })
    }
  }

  private async post(m: ChatMessage): Promise<undefined> {
    this.printMessage(m)
    return this.dispatch({ ...this.base(), type: 'message.posted', message: m })
  }

  private printMessage(m: ChatMessage): void {
    const thread = m.threadId.endsWith(`:${m.id}`) ? '' : ` ↳ thread #${m.threadId.split(':').pop()}`
    this.out(`[#${m.conversation.id}${thread}] ${m.author.displayName} #${m.id}: ${m.text}`)
  }

  private async dispatch(event: InboundEvent): Promise<undefined> {
    await this.ctx.dispatcher.dispatch(event, this.turn())
    return undefined
  }

  private turn(): Turn {
    const where = `#${this.here}`
    const show = (m: Outbound, note: string) => {
      const { text, buttons } = renderForTerminal(m)
      const privately = m.visibleTo ? ` (only ${m.visibleTo === this.me ? 'you' : m.visibleTo})` : ''
      this.out(`[${where}] Beacon${privately}${note}:\n${indent(text)}`)
      if (buttons.length) this.pressable = buttons.map((button) => ({ button }))
    }
    return {
      reply: async (m) => show(m, ''),
      replaceSource: async (m) => show(m, ' (updated)'),
    }
  }

  private base() {
    return { eventId: randomUUID(), workspace: SHELL_WORKSPACE, platform: 'shell' as const, at: new Date() }
  }

  private person(): PersonRef {
    const p = this.world.person(this.me)!
    return { workspace: SHELL_WORKSPACE, id: p.id, displayName: p.displayName }
  }

  private conversation(): ConversationRef {
    const c = this.world.channel(this.here)
    return { workspace: SHELL_WORKSPACE, id: c.id, name: c.name, privacy: c.privacy }
  }

  private say(line: string): undefined {
    this.out(line)
    return undefined
  }
}
