import type {
  ButtonClicked,
  CommandInvoked,
  CommandName,
  EventOf,
  EventType,
  FormSubmitted,
  MessageActionInvoked,
  MessageActionName,
} from './events.ts'
import type { Turn } from './ports.ts'

export type Handler<E> = (event: E, turn: Turn) => Promise<void>

export interface HelpEntry {
  /** Arguments after the command word, e.g. "<words>" or "list [mine|created]". */
  usage: string
  summary: string
  /** A complete invocation to copy, e.g. "stats Platform" (shown in the command's own help). */
  example?: string
}

/**
 * One feature area (knowledge, tasks, recognition, adoption) as the dispatcher sees it: the
 * commands it answers, the events it listens to, and the button/form id prefix it owns.
 */
export interface Capability {
  name: string
  /** Owns every button actionId and form formId that starts with `${prefix}:`. */
  prefix?: string
  commands?: Partial<Record<Exclude<CommandName, 'help'>, { summary: string; help: HelpEntry[]; run: Handler<CommandInvoked> }>>
  messageActions?: Partial<Record<MessageActionName, Handler<MessageActionInvoked>>>
  onButton?: Handler<ButtonClicked>
  onForm?: Handler<FormSubmitted>
  on?: { [K in EventType]?: Handler<EventOf<K>> }
}
