import { COMMANDS, type CommandName } from '../../src/core/events.ts'

/** One line typed at the shell, understood. */
export type ShellInput =
  | { kind: 'say'; text: string }
  | { kind: 'command'; command: CommandName; text: string }
  | { kind: 'as'; person: string }
  | { kind: 'join'; channel: string }
  | { kind: 'reply'; to: string; text: string }
  | { kind: 'react' | 'unreact'; to: string; reaction: string }
  | { kind: 'edit'; id: string; text: string }
  | { kind: 'delete'; id: string }
  | { kind: 'thread'; id: string }
  | { kind: 'save' | 'totask'; id: string }
  | { kind: 'click'; button: number }
  | { kind: 'wait'; ms: number }
  | { kind: 'who' | 'channels' | 'shellhelp' | 'quit' | 'nothing' }
  | { kind: 'error'; message: string }

export const SHELL_HELP = `Shell commands (everything else you type is posted to the current channel):
  /as <person>            switch who you are (alice, bob, carol, dave)
  /join #channel          switch channel (/channels lists them)
  /reply <#id> <text>     reply in the thread of message #id
  /react <#id> <emoji>    react to a message (e.g. /react 3 bookmark); /unreact likewise
  /edit <#id> <text>      edit one of your messages;  /delete <#id>
  /thread <#id>           show a whole thread
  /save <#id>             the "Save to knowledge" message action
  /totask <#id>           the "Create task" message action
  /click <n>              press button n of the last card Beacon showed you
  /who, /channels, /wait <ms>, /quit
Beacon's own commands: /help, /kb, /task, /kudos, /beacon (each with "help").`

const id = (s: string | undefined) => (s ?? '').replace(/^#/, '')

export function parseShellLine(line: string): ShellInput {
  const text = line.trim()
  if (!text) return { kind: 'nothing' }
  if (!text.startsWith('/')) return { kind: 'say', text }
  const [head = '', ...rest] = text.slice(1).split(/\s+/)
  const word = head.toLowerCase()
  const args = rest
  const tail = (n: number) =>
    text
      .slice(1)
      .split(/\s+/)
      .slice(n + 1)
      .join(' ')
  // Beacon's commands keep the person's spacing and characters exactly.
  if ((COMMANDS as readonly string[]).includes(word)) {
    return { kind: 'command', command: word as CommandName, text: text.slice(1 + head.length).trim() }
  }
  const needs = (n: number, usage: string): ShellInput | undefined => (args.length < n ? { kind: 'error', message: `Usage: ${usage}` } : undefined)
  switch (word) {
    case 'as':
      return needs(1, '/as <person>') ?? { kind: 'as', person: args[0]!.replace(/^@/, '') }
    case 'join':
      return needs(1, '/join #channel') ?? { kind: 'join', channel: args[0]!.replace(/^#/, '') }
    case 'reply':
      return needs(2, '/reply <#id> <text>') ?? { kind: 'reply', to: id(args[0]), text: tail(1) }
    case 'react':
    case 'unreact':
      return needs(2, `/${word} <#id> <emoji>`) ?? { kind: word, to: id(args[0]), reaction: args[1]!.replace(/:/g, '') }
    case 'edit':
      return needs(2, '/edit <#id> <text>') ?? { kind: 'edit', id: id(args[0]), text: tail(1) }
    case 'delete':
    case 'thread':
    case 'save':
    case 'totask':
      return needs(1, `/${word} <#id>`) ?? { kind: word, id: id(args[0]) }
    case 'click': {
      const n = Number(args[0])
      return Number.isInteger(n) && n > 0 ? { kind: 'click', button: n } : { kind: 'error', message: 'Usage: /click <button number>' }
    }
    case 'wait': {
      const ms = Number(args[0] ?? 500)
      return Number.isFinite(ms) && ms >= 0 && ms <= 60_000 ? { kind: 'wait', ms } : { kind: 'error', message: 'Usage: /wait <ms> (up to 60000)' }
    }
    case 'who':
    case 'channels':
    case 'quit':
      return { kind: word }
    case 'exit':
      return { kind: 'quit' }
    case 'shell':
    case '?':
      return { kind: 'shellhelp' }
    default:
      return { kind: 'error', message: `Unknown command /${head}. Type /? for shell commands or /help for Beacon.` }
  }
}
