/**
 * `/beacon impact [team] [week|month]` and `/beacon sponsor add|remove|list`, plus the 👍/👎 buttons
 * of "Did this answer it?" and the question listener. `/beacon` belongs to adoption; `withImpact`
 * hands these two subcommands to impact and everything else to adoption's own handler.
 */
import { personId, refusal, tokens } from '../adoption/args.ts'
import { forbidden, noTeamsText, viewerOf } from '../adoption/scope.ts'
import type { Capability, HelpEntry } from '../capability.ts'
import type { ButtonClicked, CommandInvoked } from '../events.ts'
import { commandPrefix } from '../help.ts'
import { escapeMarkdown } from '../outbound.ts'
import type { Turn } from '../ports.ts'
import type { ImpactContext } from './deps.ts'
import { onMessageForImpact } from './events.ts'
import { impactReply } from './render.ts'
import { impactReports, type Period } from './reports.ts'

export const IMPACT_HELP: HelpEntry[] = [
  {
    usage: 'impact [team] [week|month]',
    summary: 'what the activity produced (knowledge reused, questions answered, tasks on time, kudos reach, new connections) and the maturity stage',
    example: 'impact Platform',
  },
  { usage: 'sponsor add|remove|list [@person]', summary: 'admins: executives who get a monthly impact digest by DM', example: 'sponsor add @dana' },
]

export const FEEDBACK_PREFIX = 'impact'

export function impactCapability(ctx: ImpactContext): Capability {
  return {
    name: 'impact',
    prefix: FEEDBACK_PREFIX,
    onButton: (e, turn) => onFeedback(ctx, e, turn),
    on: { 'message.posted': (e) => onMessageForImpact(ctx, e) },
  }
}

/** Adoption's `/beacon` with `impact` and `sponsor` answered here. */
export function withImpact(adoption: Capability, ctx: ImpactContext): Capability {
  const beacon = adoption.commands?.beacon
  if (!beacon) return adoption
  return {
    ...adoption,
    commands: {
      ...adoption.commands,
      beacon: {
        ...beacon,
        summary: beacon.summary.replace('`dashboard`', '`dashboard`, `impact`, `sponsor`'),
        help: [...beacon.help, ...IMPACT_HELP],
        run: async (e, turn) => {
          const sub = (tokens(e.text)[0] ?? '').toLowerCase()
          if (sub === 'impact') return impact(ctx, e, turn)
          if (sub === 'sponsor') return sponsor(ctx, e, turn)
          await beacon.run(e, turn)
          // Opting out deletes what impact kept about the person too (open questions, first connections).
          if (sub === 'privacy' && (tokens(e.text)[1] ?? '').toLowerCase() === 'optout') await ctx.impact.forgetPerson(e.workspace, e.person.id)
        },
      },
    },
  }
}

async function impact(ctx: ImpactContext, e: CommandInvoked, turn: Turn): Promise<void> {
  const me = e.person.id
  const p = commandPrefix(e.platform)
  const args = tokens(e.text).slice(1)
  let period: Period = 'month'
  const last = (args.at(-1) ?? '').toLowerCase()
  if (last === 'week' || last === 'month') {
    period = last
    args.pop()
  }
  const viewer = await viewerOf(ctx.adoption, e.workspace, me)
  if (!viewer.admin && viewer.teams.length === 0) return turn.reply({ text: noTeamsText(p), visibleTo: me })
  const name = args.join(' ').trim()
  const only = name ? (t: { name: string }) => t.name.toLowerCase() === name.toLowerCase() : undefined
  const reports = await impactReports(ctx, viewer, { period, ...(only ? { only } : {}) })
  if (name && reports.length === 0) throw refusal(`There is no team called “${name}” among the teams you can see.`)
  await turn.reply(impactReply(reports, ctx.adoption.minGroupSize, { personId: me, prefix: p }))
}

async function sponsor(ctx: ImpactContext, e: CommandInvoked, turn: Turn): Promise<void> {
  const me = e.person.id
  const p = commandPrefix(e.platform)
  const [, verb = '', ...who] = tokens(e.text)
  const v = verb.toLowerCase()
  if (!['add', 'remove', 'list'].includes(v))
    throw refusal(`Usage: \`${p}beacon sponsor add @person\`, \`${p}beacon sponsor remove @person\` or \`${p}beacon sponsor list\`.`)
  if (!(await ctx.adoption.roles.isAdmin(e.workspace, me))) throw forbidden('Only a workspace admin can choose who gets the executive impact digest.')
  if (v === 'list') {
    const all = await ctx.sponsors.list(e.workspace)
    const names = await Promise.all(
      all.map(async (s) => escapeMarkdown((await ctx.adoption.people.get(e.workspace, s.personId))?.displayName ?? s.personId)),
    )
    const text = all.length
      ? `Sponsors getting the monthly impact digest: ${names.join(', ')}`
      : `No sponsors yet. \`${p}beacon sponsor add @person\` adds one.`
    return turn.reply({ text, visibleTo: me })
  }
  if (who.length === 0) throw refusal(`Whom? \`${p}beacon sponsor ${v} @person\`.`)
  const id = await personId(ctx.adoption, e.workspace, who)
  const person = await ctx.adoption.people.get(e.workspace, id)
  if (person?.isBot) throw refusal('A bot cannot sponsor Beacon.')
  const label = escapeMarkdown(person?.displayName ?? id)
  if (v === 'add') {
    const added = await ctx.sponsors.add({ workspace: e.workspace, personId: id, addedBy: me, addedAt: ctx.adoption.clock.now() })
    return turn.reply({
      text: added
        ? `${label} is now a sponsor: once a month, in their working hours, they get a DM with three numbers that moved, ` +
          'the organisation’s maturity stage and one recommendation.'
        : `${label} is already a sponsor.`,
      visibleTo: me,
    })
  }
  const removed = await ctx.sponsors.remove(e.workspace, id)
  return turn.reply({ text: removed ? `${label} no longer gets the impact digest.` : `${label} is not a sponsor.`, visibleTo: me })
}

/** 👍/👎 on "Did this answer it?": one answer per message carrying the buttons (each is shown to one person). */
async function onFeedback(ctx: ImpactContext, e: ButtonClicked, turn: Turn): Promise<void> {
  const helpful = e.actionId === `${FEEDBACK_PREFIX}:helpful`
  if (!helpful && e.actionId !== `${FEEDBACK_PREFIX}:not-helpful`) return
  const itemId = Number(e.value)
  const conversationId = e.source?.conversation.id ?? e.conversation?.id
  if (!Number.isInteger(itemId) || itemId < 1 || !conversationId)
    return turn.reply({ text: 'That button no longer points to a knowledge item.', visibleTo: e.person.id })
  const where = e.source?.messageId ?? e.eventId
  await ctx.impact.record({
    workspace: e.workspace,
    conversationId,
    kind: 'feedback',
    itemId,
    flag: helpful,
    at: ctx.adoption.clock.now(),
    sourceKey: `fb:${conversationId}:${where}:${itemId}`,
  })
  await turn.reply({
    text: helpful ? 'Thanks — glad it helped.' : 'Thanks — noted. If you find the answer, save its thread so the next person finds it.',
    visibleTo: e.person.id,
  })
}
