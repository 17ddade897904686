/**
 * `/beacon team …`: teams are a name, channels and managers. Team definitions decide who sees whose
 * numbers, so they are guarded (README "Who sees what"):
 * - creating a team is for workspace admins: a self-made team would make anyone the "manager" of
 *   any channel they are in, which is exactly the access managers are trusted with;
 * - changing a team is for its managers and admins (a team without managers: admins only);
 * - a channel is added only by someone the platform says is a member of it, and only when the
 *   platform knows it (no private channels one is not in, no made-up ids); DMs are never a team's.
 * ADOPTION_TEAMS_FILE, written by the operator, is not subject to these checks.
 */
import type { CommandInvoked } from '../events.ts'
import { commandPrefix } from '../help.ts'
import { escapeMarkdown, type Outbound } from '../outbound.ts'
import type { Turn } from '../ports.ts'
import { channelId, personId, refusal, teamNamed } from './args.ts'
import { teamChannel } from './channels.ts'
import type { AdoptionContext } from './deps.ts'
import { assertCanManage, forbidden, noTeamsText, viewerOf } from './scope.ts'
import type { Team } from './types.ts'

export const TEAM_USAGE = [
  'team create <name> — admins: a team with this channel; you become its manager',
  'team add-channel <name> [#channel] — add this (or that) channel',
  'team remove-channel <name> [#channel]',
  'team set-manager <name> @person — add a manager; `team remove-manager <name> @person`',
  'team list — the teams you manage (admins: every team) with their channels and managers',
  'team delete <name>',
]

export async function teamCommand(ctx: AdoptionContext, e: CommandInvoked, turn: Turn, args: string[]): Promise<void> {
  const [sub = '', name, ...rest] = args
  const me = e.person.id
  const reply = (text: string) => turn.reply({ text, visibleTo: me })
  const now = ctx.clock.now()
  switch (sub.toLowerCase()) {
    case 'create': {
      if (!(await ctx.roles.isAdmin(e.workspace, me))) {
        throw forbidden(
          'Only workspace admins can create teams (a team decides who sees its channels’ numbers). Ask one to create it and make you its manager.',
        )
      }
      if (!name || name.length > 80) throw refusal('Give the team a name of up to 80 characters, e.g. `team create Platform`.')
      if (await ctx.settings.teamByName(e.workspace, name)) throw refusal(`A team called “${name}” already exists.`)
      const here = e.conversation.privacy === 'direct' ? undefined : await checkedChannel(ctx, e, e.conversation.id, true)
      const t = await ctx.settings.createTeam(e.workspace, name, now)
      await ctx.settings.addManager(t.id, me)
      if (here) await ctx.settings.addChannel(t.id, here)
      return reply(`Created team **${escapeMarkdown(name)}**${here ? ' with this channel' : ''}; you are its manager.`)
    }
    case 'add-channel':
    case 'remove-channel': {
      const t = await teamAcrossOrg(ctx, e, name)
      const channels = rest.length ? rest.map(channelId) : [e.conversation.id]
      if (!rest.length && e.conversation.privacy === 'direct') throw refusal('Name the channel, e.g. `#general`, or run this in the channel.')
      // Every channel is checked before any is added: a refused one changes nothing.
      if (sub.toLowerCase() === 'add-channel') for (const c of channels) await checkedChannel(ctx, e, c, false)
      for (const c of channels.map((id) => teamChannel(t.workspace, e.workspace, id))) {
        if (sub.toLowerCase() === 'add-channel') await ctx.settings.addChannel(t.id, c)
        else await ctx.settings.removeChannel(t.id, c)
      }
      const verb = sub.toLowerCase() === 'add-channel' ? 'Added' : 'Removed'
      return reply(
        `${verb} ${channels.length} channel${channels.length === 1 ? '' : 's'} ${verb === 'Added' ? 'to' : 'from'} **${escapeMarkdown(t.name)}**.`,
      )
    }
    case 'set-manager':
    case 'remove-manager': {
      const t = await teamNamed(ctx, e.workspace, name)
      await assertCanManage(ctx, t, me)
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
      await assertCanManage(ctx, t, me)
      await ctx.settings.deleteTeam(t.id)
      return reply(`Deleted team **${escapeMarkdown(t.name)}**. Activity counts stay; they were never the team’s.`)
    }
    default:
      return reply(['Teams:', ...TEAM_USAGE.map((u) => `- \`beacon ${u.split(' — ')[0]}\` ${u.split(' — ')[1] ?? ''}`)].join('\n'))
  }
}

/**
 * The team named, for adding or removing channels of this workspace: a team here, else one of a
 * workspace linked with it in an organisation (a team spanning Slack and Teams is defined on one
 * side and gets the other side's channels from there). Either way the person must manage it — on
 * the team's side, as the same person (verified email) — or be an admin there.
 */
async function teamAcrossOrg(ctx: AdoptionContext, e: CommandInvoked, name: string | undefined): Promise<Team> {
  const here = name ? await ctx.settings.teamByName(e.workspace, name) : undefined
  if (here || !name || !ctx.org) {
    const t = here ?? (await teamNamed(ctx, e.workspace, name))
    await assertCanManage(ctx, t, e.person.id)
    return t
  }
  for (const other of await ctx.org.linkedWith(e.workspace)) {
    const t = await ctx.settings.teamByName(other, name)
    if (!t) continue
    const me = await ctx.org.accountIn(e.workspace, e.person.id, other)
    if (!me)
      throw forbidden(`${t.name} is a team of a linked workspace, where Beacon finds no account with your verified email; nothing was changed.`)
    await assertCanManage(ctx, t, me)
    return t
  }
  return teamNamed(ctx, e.workspace, name)
}

/**
 * The channel id, once the platform confirmed it exists, is not a direct conversation, and has this
 * person as a member. `here`: the channel the command was typed in (the person is evidently in it
 * unless the platform says otherwise, which is still asked).
 */
async function checkedChannel(ctx: AdoptionContext, e: CommandInvoked, id: string, here: boolean): Promise<string> {
  const platform = ctx.platforms.forWorkspace(e.workspace)
  const shown = here ? 'this channel' : `“${escapeMarkdown(id)}”`
  let conversation
  let member
  try {
    conversation = await platform.getConversation(e.workspace, id)
    member = conversation ? await platform.isMember(e.workspace, e.person.id, id) : false
  } catch (err) {
    ctx.log.warn({ err, conversation: id }, 'could not check a channel for a team')
    throw refusal(`I couldn’t check ${shown} with ${e.platform} just now, so nothing was changed. Try again in a minute.`)
  }
  if (!conversation) throw refusal(`I don’t know a channel ${shown}. Mention it as #channel; nothing was changed.`)
  if (conversation.privacy === 'direct') throw refusal('A direct conversation can’t be part of a team; nothing was changed.')
  if (!member) throw forbidden(`You can only add channels you are a member of, and you are not in ${shown}; nothing was changed.`)
  return id
}

async function teamList(ctx: AdoptionContext, e: CommandInvoked): Promise<Outbound> {
  const viewer = await viewerOf(ctx, e.workspace, e.person.id)
  const teams = viewer.teams
  if (!viewer.admin && teams.length === 0) return { text: noTeamsText(commandPrefix(e.platform)), visibleTo: e.person.id }
  if (teams.length === 0) return { text: 'No teams yet. `beacon team create <name>` in one of its channels starts one.', visibleTo: e.person.id }
  const lines: string[] = []
  for (const t of teams) {
    const managers = await Promise.all(t.managers.map(async (m) => escapeMarkdown(await nameOf(ctx, e.workspace, m))))
    const channels = `${t.channels.length} channel${t.channels.length === 1 ? '' : 's'}`
    lines.push(`- **${escapeMarkdown(t.name)}**: ${channels}, managers: ${managers.join(', ') || 'none'}`)
  }
  return { text: ['Teams:', ...lines].join('\n'), visibleTo: e.person.id }
}

async function nameOf(ctx: AdoptionContext, workspace: string, id: string): Promise<string> {
  return (await ctx.people.get(workspace, id))?.displayName ?? id
}
