/** Reading `/beacon …` arguments: quoted team names, channel and person references as each platform sends them. */
import type { CommandInvoked } from '../events.ts'
import { BeaconError } from '../errors.ts'
import type { AdoptionContext } from './deps.ts'
import type { Team } from './types.ts'

/** Splits on spaces, keeping "quoted words" and <…> tokens together. */
export function tokens(text: string): string[] {
  return [...text.matchAll(/"([^"]*)"|“([^”]*)”|(<[^>]*>)|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? m[4] ?? '')
}

export function refusal(message: string): BeaconError {
  return new BeaconError('bad_input', message, { userMessage: message })
}

/** Slack `<#C123|name>`, the shell's `#general`, or a bare id. */
export function channelId(token: string): string {
  const slack = /^<#([A-Z0-9]+)(?:\|[^>]*)?>$/.exec(token)
  if (slack) return slack[1]!
  return token.replace(/^#/, '')
}

/** Slack `<@U123|name>`, `@Display Name` or a bare id, resolved through the people cache. */
export async function personId(ctx: AdoptionContext, workspace: string, words: string[]): Promise<string> {
  const text = words.join(' ').trim()
  const raw = /^<@([A-Za-z0-9._:-]+)(?:\|[^>]*)?>$/.exec(text)
  if (raw) return raw[1]!
  const byName = await ctx.people.findByName(workspace, text.replace(/^@/, ''))
  if (byName) return byName.id
  const byId = await ctx.people.get(workspace, text.replace(/^@/, ''))
  if (byId) return byId.id
  throw refusal(`I don’t know who “${text}” is. Mention them, e.g. @name.`)
}

export async function teamNamed(ctx: AdoptionContext, workspace: string, name: string | undefined): Promise<Team> {
  if (!name) throw refusal('Which team? Give its name.')
  const t = await ctx.settings.teamByName(workspace, name)
  if (!t) throw refusal(`There is no team called “${name}”. \`beacon team list\` shows them.`)
  return t
}

/**
 * The team a command is about when none is named: the one this channel belongs to, else the only
 * team the person manages.
 */
export async function impliedTeam(ctx: AdoptionContext, e: CommandInvoked): Promise<Team | undefined> {
  const teams = await ctx.settings.teams(e.workspace)
  const here = teams.filter((t) => t.channels.includes(e.conversation.id))
  if (here.length === 1) return here[0]
  const mine = teams.filter((t) => t.managers.includes(e.person.id))
  return mine.length === 1 ? mine[0] : undefined
}
