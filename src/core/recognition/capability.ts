/**
 * Recognition as the dispatcher sees it: `/kudos …` and the kudos reaction. Giving a kudos by
 * command only reads and writes the database and answers on the live turn (one public message);
 * the reaction path needs platform calls (permalink, post), so it is a job.
 */
import type { Capability, HelpEntry } from '../capability.ts'
import { BeaconError } from '../errors.ts'
import type { CommandInvoked, ReactionAdded } from '../events.ts'
import { commandPrefix } from '../help.ts'
import type { Platform } from '../model.ts'
import { escapeMarkdown, type Outbound } from '../outbound.ts'
import { peopleLookup, personOf, type PeopleSources } from '../people/resolve.ts'
import type { Turn } from '../ports.ts'
import type { RecognitionContext } from './deps.ts'
import { kudosDmJob, kudosReactionJob, reactionKey } from './job-defs.ts'
import type { KudosService } from './kudos-service.ts'
import { parseKudosText, unknownValueText, valuesList } from './parse-kudos.ts'
import { periodStart, PERIODS, windowsFor, type Period } from './periods.ts'
import { givenMessage, meMessage, receivedDm, topMessage } from './render.ts'
import { allowanceLine } from './rules.ts'

const HELP: HelpEntry[] = [
  { usage: '@person [@person…] <reason> [#value]', summary: 'thank people in public, e.g. `@ada for the deploy fix #craft`' },
  { usage: 'top [week|month|all] [#value]', summary: 'who was thanked by the most different people' },
  { usage: 'me', summary: 'what you gave and received, and how many kudos you have left today' },
  { usage: 'values', summary: 'the company values a kudos can carry' },
  { usage: 'digest on|off', summary: 'admins and the channel’s team managers: one weekly post of the highlights in this channel' },
]

export function recognitionCapability(ctx: RecognitionContext, service: KudosService): Capability {
  const src: PeopleSources = { people: ctx.people, platforms: ctx.platforms, log: ctx.log }

  async function kudos(event: CommandInvoked, turn: Turn): Promise<void> {
    const text = event.text.trim()
    const [word = '', ...rest] = text.split(/\s+/)
    const sub = word.toLowerCase()
    const me = event.person.id
    if (!text) return turn.reply({ text: usage(event.platform, ctx), visibleTo: me, publicFallback: true })
    if (sub === 'top' && rest.length <= 2) return turn.reply(await top(event, rest))
    if (sub === 'me' && rest.length === 0) return turn.reply(await mine(event))
    if (sub === 'values' && rest.length === 0)
      return turn.reply({ text: `Our values: ${valuesList(ctx.values)}. Add one to a kudos as \`#value\`.`, visibleTo: me, publicFallback: true })
    if (sub === 'digest' && rest.length <= 1) return turn.reply(await digest(event, rest[0]?.toLowerCase()))
    return give(event, turn, text)
  }

  async function give(event: CommandInvoked, turn: Turn, text: string): Promise<void> {
    const giver = await personOf(src, event.person)
    const example = `${commandPrefix(event.platform)}kudos @ada for the deploy fix #${ctx.values[0] ?? 'teamwork'}`
    const parsed = await parseKudosText(text, giver, peopleLookup(src, event.workspace), ctx.values, example)
    if (!parsed.ok) throw refusal(parsed.message)
    const result = await service.give({
      workspace: event.workspace,
      giver,
      receivers: parsed.receivers,
      reason: parsed.reason,
      ...(parsed.value ? { value: parsed.value } : {}),
      source: 'command',
      conversationId: event.conversation.id,
      ...(event.conversation.privacy ? { privacy: event.conversation.privacy } : {}),
      keyBase: `command:${event.eventId}`,
    })
    if (result.kind === 'refused') throw refusal(result.text)
    if (result.kind === 'duplicate') return // a retry of a kudos already announced
    await turn.reply(givenMessage(giver.displayName, result.kudos))
    if (event.conversation.privacy === 'direct') {
      // Given in a private chat with Beacon: the people thanked would never see it, so tell them.
      for (const k of result.kudos) {
        await ctx.queue.enqueue(
          kudosDmJob,
          { workspace: event.workspace, personId: k.receiverId, text: receivedDm(giver.displayName, k).text },
          { dedupeKey: `kudos-dm:${k.key}` },
        )
      }
    }
  }

  async function top(event: CommandInvoked, args: string[]): Promise<Outbound> {
    let period: Period = 'week'
    let value: string | undefined
    for (const a of args) {
      const w = a.toLowerCase()
      if ((PERIODS as readonly string[]).includes(w)) period = w as Period
      else if (w.startsWith('#') && ctx.values.includes(w.slice(1))) value = w.slice(1)
      else if (w.startsWith('#')) throw refusal(unknownValueText(w.slice(1), ctx.values).replace(', so no kudos went out', ''))
      else throw refusal(`Try \`${commandPrefix(event.platform)}kudos top [week|month|all] [#value]\`.`)
    }
    const since = periodStart(period, ctx.clock.now())
    // Counted for the audience of this conversation: public kudos, and those given right here.
    const q = { workspace: event.workspace, ...(since ? { since } : {}), ...(value ? { value } : {}), limit: 10, shownIn: event.conversation.id }
    // Linked into an organisation: one board for its people, whichever platform thanked them.
    const rows = (await ctx.org?.leaderboard(q)) ?? (await ctx.repo.leaderboard(q))
    return topMessage(await service.withCurrentNames(event.workspace, rows), period, value, event.person.id)
  }

  async function mine(event: CommandInvoked): Promise<Outbound> {
    const person = await personOf(src, event.person)
    const now = ctx.clock.now()
    const w = windowsFor(now, person.timezone)
    // Linked into an organisation: totals and allowance over all the person's accounts (one person).
    const across = await ctx.org?.giverAcross(event.workspace, person.id, [])
    const accounts = across && [{ workspace: event.workspace, personId: person.id }, ...across.accounts]
    const totals = async (since?: Date) =>
      (accounts && (await ctx.org?.totals(event.workspace, accounts, since))) ?? (await ctx.repo.totals(event.workspace, person.id, since))
    const [week, all, received, given, usage] = await Promise.all([
      totals(w.weekStart),
      totals(),
      ctx.repo.recent(event.workspace, person.id, 'received', 5),
      ctx.repo.recent(event.workspace, person.id, 'given', 5),
      ctx.repo.usage({
        workspace: event.workspace,
        giverId: person.id,
        dayStart: w.dayStart,
        weekStart: w.weekStart,
        ...(across ? { person: across } : {}),
      }),
    ])
    return meMessage({ week, all, received, given, allowance: allowanceLine(usage, service.limits, w, now, person.timezone) }, person.id)
  }

  async function digest(event: CommandInvoked, arg: string | undefined): Promise<Outbound> {
    const p = commandPrefix(event.platform)
    const me = event.person.id
    const where = event.conversation.name ? `#${escapeMarkdown(event.conversation.name)}` : 'this channel'
    if (event.conversation.privacy === 'direct')
      return { text: 'The weekly digest is for channels: run this in the channel that should get it.', visibleTo: me, publicFallback: true }
    if (arg !== 'on' && arg !== 'off') {
      const on = await ctx.repo.digestEnabled(event.workspace, event.conversation.id)
      return {
        text: `The weekly kudos digest is **${on ? 'on' : 'off'}** in ${where}. Use \`${p}kudos digest on\` or \`${p}kudos digest off\`.`,
        visibleTo: me,
        publicFallback: true,
      }
    }
    if (!(await ctx.mayManageDigest(event.workspace, me, event.conversation.id))) {
      throw new BeaconError('forbidden', 'not allowed to change the digest', {
        userMessage:
          'Only a workspace admin or a manager of a team this channel belongs to can turn the weekly digest ' +
          `${arg} here, because it posts names in the channel.`,
      })
    }
    await ctx.repo.setDigest(event.workspace, event.conversation.id, event.conversation.name, arg === 'on', me, ctx.clock.now())
    return arg === 'on'
      ? { text: `The weekly kudos digest is on in ${where}: one post on Mondays with the week’s highlights, instead of a stream of messages.` }
      : { text: `The weekly kudos digest is off in ${where}.` }
  }

  async function onReaction(event: ReactionAdded): Promise<void> {
    if (event.reaction !== ctx.reaction) return
    // Teams only reports reactions to Beacon's own messages; kudos by reaction is a Slack/shell thing.
    if (!ctx.platforms.forWorkspace(event.workspace).caps.reactions) return
    const data = {
      workspace: event.workspace,
      conversation: { id: event.conversation.id, ...(event.conversation.name ? { name: event.conversation.name } : {}) },
      messageId: event.messageId,
      ...(event.threadId ? { threadId: event.threadId } : {}),
      giver: { id: event.person.id, ...(event.person.displayName ? { displayName: event.person.displayName } : {}) },
      ...(event.messageAuthor ? { authorId: event.messageAuthor.id } : {}),
    }
    await ctx.queue.enqueue(kudosReactionJob, data, { dedupeKey: reactionKey(data) })
  }

  return {
    name: 'recognition',
    prefix: 'kudos',
    commands: { kudos: { summary: 'thank someone in public; see who helped most', help: HELP, run: kudos } },
    on: { 'reaction.added': onReaction },
  }
}

/** Bad input or a rule: the dispatcher shows `userMessage` privately, and nothing changed. */
function refusal(message: string): BeaconError {
  return new BeaconError('bad_input', message, { userMessage: message })
}

function usage(platform: Platform, ctx: RecognitionContext): string {
  const p = commandPrefix(platform)
  const reaction = platform === 'teams' ? '' : `\nOr react with :${ctx.reaction}: to someone’s message to thank them for it.`
  return [
    `**Kudos** — \`${p}kudos @someone for what they did #value\` thanks them in this channel.${reaction}`,
    ...HELP.slice(1).map((h) => `- \`${p}kudos ${h.usage}\` ${h.summary}`),
    `You can give ${ctx.dailyAllowance} a day, at most ${ctx.weeklyPerReceiver} a week to the same person. Values: ${valuesList(ctx.values)}.`,
  ].join('\n')
}
