/** `/beacon team …`: teams are a name, channels and managers. */
import type { CommandInvoked } from '../events.ts'
import { escapeMarkdown, type Outbound } from '../outbound.ts'
import type { Turn } from '../ports.ts'
import { assertCanManage, channelId, personId, refusal, teamNamed } from './args.ts'
import type { AdoptionContext } from './deps.ts'

export const TEAM_USAGE = [
  'team create <name> — a team with this channel; you become its manager',
  'team add-channel <name> [#channel] — add this (or that) channel',
  'team remove-channel <name> [#channel]',
  'team set-manager <name> @person — add a manager; `team remove-manager <name> @person`',
  'team list — every team with its channels and managers',
  'team delete <name>',
]

export async function teamCommand(ctx: AdoptionContext, e: CommandInvoked, turn: Turn, args: string[]): Promise<void> {
  const [sub = '', name, ...rest] = args
  const me = e.person.id
  const reply = (text: string) => turn.reply({ text, visibleTo: me })
  const now = ctx.clock.now()
  switch (sub.toLowerCase()) {
    case 'create': {
      if (!name || name.length > 80) throw refusal('Give the team a name of up to 80 characters, e.g. `team create Platform`.')
      if (await ctx.settings.teamByName(e.workspace, name)) throw refusal(`A team called “${name}” already exists.`)
      const t = await ctx.settings.createTeam(e.workspace, name, now)
      await ctx.settings.addManager(t.id, me)
      if (e.conversation.privacy !== 'direct') await ctx.settings.addChannel(t.id, e.conversation.id)
      return reply(`Created team **${escapeMarkdown(name)}**${e.conversation.privacy !== 'direct' ? ' with this channel' : ''}; you are its manager.`)
    }
    case 'add-channel':
    case 'remove-channel': {
      const t = await teamNamed(ctx, e.workspace, name)
      assertCanManage(t, me)
      const channels = rest.length ? rest.map(channelId) : [e.conversation.id]
      if (!rest.length && e.conversation.privacy === 'direct') throw refusal('Name the channel, e.g. `#general`, or run this in the channel.')
      for (const c of channels) {
        if (sub.toLowerCase() === 'add-channel') await ctx.settings.addChannel(t.id, c)
        else await ctx.settings.removeChannel(t.id, c)
      }
      const verb = sub.toLowerCase() === 'add-channel' ? 'Added' : 'Removed'
      return reply(`${verb} ${channels.length} channel${channels.length === 1 ? '' : 's'} ${verb === 'Added' ? 'to' : 'from'} **${escapeMarkdown(t.name)}**.`)
    }
    case 'set-manager':
    case 'remove-manager': {
      const t = await teamNamed(ctx, e.workspace, name)
      assertCanManage(t, me)
      const who = await personId(ctx, e.workspace, rest)
      const whoName = escapeMarkdown(await nameOf(ctx, e.workspace, who))
      if (sub.toLowerCase() === 'set-manager') {
        await ctx.settings.addManager(t.id, who)
        return reply(`${whoName} now manages **${escapeMarkdown(t.name)}** and will get its weekly nudges.`)
      }
      await ctx.settings.removeManager(t.id, who)
      return reply(`${whoName} no longer manages **${escapeMarkdown(t.name)}**.`)
    }
    case 'list':
      return turn.reply(await teamList(ctx, e))
    case 'delete': {
      const t = await teamNamed(ctx, e.workspace, name)
      assertCanManage(t, me)
      await ctx.settings.deleteTeam(t.id)
      return reply(`Deleted team **${escapeMarkdown(t.name)}**. Activity counts stay; they were never the team’s.`)
    }
    default:
      return reply(['Teams:', ...TEAM_USAGE.map((u) => `- \`beacon ${u.split(' — ')[0]}\` ${u.split(' — ')[1] ?? ''}`)].join('\n'))
  }
}

async function teamList(ctx: AdoptionContext, e: CommandInvoked): Promise<Outbound> {
  const teams = await ctx.settings.teams(e.workspace)
  if (teams.length === 0) return { text: 'No teams yet. `beacon team create <name>` in one of its channels starts one.', visibleTo: e.person.id }
  const lines: string[] = []
  for (const t of teams) {
    const managers = await Promise.all(t.managers.map(async (m) => escapeMarkdown(await nameOf(ctx, e.workspace, m))))
    lines.push(`- **${escapeMarkdown(t.name)}**: ${t.channels.length} channel${t.channels.length === 1 ? '' : 's'}, managers: ${managers.join(', ') || 'none'}`)
  }
  return { text: ['Teams:', ...lines].join('\n'), visibleTo: e.person.id }
}

async function nameOf(ctx: AdoptionContext, workspace: string, id: string): Promise<string> {
  return (await ctx.people.get(workspace, id))?.displayName ?? id
}
