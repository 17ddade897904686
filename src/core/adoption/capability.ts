/**
 * `/beacon`: stats, teams, objectives, privacy, the dashboard link and nudge settings; plus the
 * activity listeners (messages, replies, reactions) and the nudge card's buttons. `/beacon` and
 * `/beacon help` alone are answered by the dispatcher, from HELP below.
 */
import type { Capability, HelpEntry } from '../capability.ts'
import type { ButtonClicked, CommandInvoked, FormSubmitted } from '../events.ts'
import { commandPrefix } from '../help.ts'
import { escapeMarkdown } from '../outbound.ts'
import type { Turn } from '../ports.ts'
import { onMessagePosted, onReactionAdded } from './activity.ts'
import { impliedTeam, refusal, teamNamed, tokens } from './args.ts'
import { signDashboardToken, dashboardKey } from './dashboard-token.ts'
import type { AdoptionContext } from './deps.ts'
import { METRIC_LABELS } from './diagnoses.ts'
import { workspaceReports } from './reports.ts'
import { statsReply } from './render.ts'
import { assertCanManage, noTeamsText, sees, viewerOf } from './scope.ts'
import { teamCommand } from './team-commands.ts'
import { OBJECTIVE_METRICS, type ObjectiveMetric } from './types.ts'

const HELP: HelpEntry[] = [
  {
    usage: 'stats [team]',
    summary: 'last week’s adoption numbers and diagnoses per team (counts only, never individuals)',
    example: 'stats Platform',
  },
  {
    usage: 'team create|add-channel|set-manager|list …',
    summary: 'define a team as a set of channels with managers',
    example: 'team create Platform',
  },
  {
    usage: 'goal <metric> <target> [team]',
    summary: `set a weekly objective; metrics: ${OBJECTIVE_METRICS.join(', ')}`,
    example: 'goal active 20 Platform',
  },
  { usage: 'privacy [optout|optin]', summary: 'what Beacon counts, and leaving (or rejoining) the analytics', example: 'privacy optout' },
  { usage: 'dashboard', summary: 'a private link to the adoption dashboard, valid for a few minutes', example: 'dashboard' },
  { usage: 'nudges on|off', summary: 'managers: turn the weekly nudge DM on or off', example: 'nudges off' },
]

export function adoptionCapability(ctx: AdoptionContext): Capability {
  async function beacon(e: CommandInvoked, turn: Turn): Promise<void> {
    const args = tokens(e.text)
    const sub = (args[0] ?? '').toLowerCase()
    const me = e.person.id
    const p = commandPrefix(e.platform)
    switch (sub) {
      case 'stats': {
        const viewer = await viewerOf(ctx, e.workspace, me)
        if (!viewer.admin && viewer.teams.length === 0) return turn.reply({ text: noTeamsText(p), visibleTo: me })
        const name = args.slice(1).join(' ')
        const reports = await workspaceReports(ctx, e.workspace, name ? (t) => t.name.toLowerCase() === name.toLowerCase() : undefined, sees(viewer))
        if (name && reports.length === 0) throw refusal(`There is no team called “${name}” among the teams you can see.`)
        return turn.reply(statsReply(reports, ctx.minGroupSize, { personId: me, detailed: Boolean(name) || reports.length === 1, prefix: p }))
      }
      case 'team':
        return teamCommand(ctx, e, turn, args.slice(1))
      case 'goal':
        return goal(e, turn, args.slice(1))
      case 'privacy':
        return privacy(e, turn, (args[1] ?? '').toLowerCase())
      case 'dashboard': {
        const viewer = await viewerOf(ctx, e.workspace, me)
        if (!viewer.admin && viewer.teams.length === 0) return turn.reply({ text: noTeamsText(p), visibleTo: me })
        const key = dashboardKey(ctx.dashboardKey)
        const token = signDashboardToken(key, {
          workspace: e.workspace,
          personId: me,
          expiresAt: new Date(ctx.clock.now().getTime() + ctx.dashboardTtlMs),
        })
        const url = `${ctx.publicUrl}/dashboard?token=${encodeURIComponent(token)}`
        const minutes = Math.round(ctx.dashboardTtlMs / 60_000)
        return turn.reply({
          text: `Your adoption dashboard (works for ${minutes} minutes, only for you): [open the dashboard](${url})`,
          card: {
            title: 'Adoption dashboard',
            blocks: [
              { type: 'text', text: `Team charts, diagnoses and nudges. The link works for ${minutes} minutes.` },
              { type: 'actions', buttons: [{ actionId: 'adopt:open', label: 'Open dashboard', url }] },
            ],
          },
          visibleTo: me,
        })
      }
      case 'nudges': {
        const on = (args[1] ?? '').toLowerCase()
        if (on !== 'on' && on !== 'off') throw refusal(`Say \`${p}beacon nudges on\` or \`${p}beacon nudges off\`.`)
        await ctx.settings.setNudgePrefs(e.workspace, me, { muted: on === 'off' })
        return turn.reply({
          text: on === 'on' ? 'Weekly nudges are on.' : 'Weekly nudges are off. `beacon nudges on` brings them back.',
          visibleTo: me,
        })
      }
      default: {
        const usage = HELP.map((h) => `- \`${p}beacon ${h.usage}\` ${h.summary}`).join('\n')
        return turn.reply({
          text: `I don’t know \`${p}beacon ${escapeMarkdown(e.text)}\`. Try \`${p}beacon help\`.\n${usage}`,
          visibleTo: me,
          publicFallback: true,
        })
      }
    }
  }

  async function goal(e: CommandInvoked, turn: Turn, args: string[]): Promise<void> {
    const [metric = '', target = '', ...rest] = args
    const m = metric.toLowerCase().replace(/-/g, '_')
    if (!(OBJECTIVE_METRICS as readonly string[]).includes(m)) {
      throw refusal(
        `Usage: \`beacon goal <metric> <target> [team]\`, metric one of: ${OBJECTIVE_METRICS.map((x) => `${x} (${METRIC_LABELS[x]})`).join(', ')}.`,
      )
    }
    const n = Number(target)
    if (!Number.isInteger(n) || n < 1 || n > 1_000_000) throw refusal('The target must be a whole number, e.g. `beacon goal active 20`.')
    const name = rest.join(' ').replace(/^(for|team)\s+/i, '')
    const team = name ? await teamNamed(ctx, e.workspace, name) : await impliedTeam(ctx, e)
    if (!team) throw refusal('Which team? Run this in one of its channels or add its name: `beacon goal active 20 Platform`.')
    await setGoal(team.id, e.workspace, e.person.id, m as ObjectiveMetric, n)
    await turn.reply({
      text: `Objective set for **${escapeMarkdown(team.name)}**: ${n} ${METRIC_LABELS[m as ObjectiveMetric]} a week.`,
      visibleTo: e.person.id,
    })
  }

  async function setGoal(teamId: number, workspace: string, personId: string, metric: ObjectiveMetric, target: number): Promise<string> {
    const team = await ctx.settings.team(workspace, teamId)
    if (!team) throw refusal('That team no longer exists.')
    await assertCanManage(ctx, team, personId)
    await ctx.settings.setObjective({ teamId, metric, target, setBy: personId, setAt: ctx.clock.now() })
    return team.name
  }

  async function privacy(e: CommandInvoked, turn: Turn, what: string): Promise<void> {
    const me = e.person.id
    if (what === 'optout') {
      await ctx.settings.optOut(e.workspace, me, ctx.clock.now())
      await ctx.activity.forgetPerson(e.workspace, me)
      return turn.reply({
        text:
          'Done: you are out of Beacon’s analytics, and the activity counted for you so far is deleted. ' +
          '`beacon privacy optin` undoes this for the future.',
        visibleTo: me,
      })
    }
    if (what === 'optin') {
      await ctx.settings.optIn(e.workspace, me)
      return turn.reply({ text: 'Welcome back: your activity counts again from now on.', visibleTo: me })
    }
    const out = await ctx.settings.isOptedOut(e.workspace, me)
    const text = [
      '**What Beacon counts:** that someone posted, replied, reacted, saved knowledge, made or finished a task or gave kudos — ' +
        'where and when, never what was written.',
      `**Who sees it:** managers and the dashboard show teams only, and never a group of fewer than ${ctx.minGroupSize} active people. ` +
        'Nobody sees what one person did.',
      `**How long:** raw activity is deleted after ${ctx.retentionMonths} months.`,
      out
        ? 'You are **opted out**. `beacon privacy optin` to count again.'
        : 'You are counted. `beacon privacy optout` leaves and deletes what was counted for you.',
    ].join('\n')
    await turn.reply({ text, visibleTo: me, publicFallback: true })
  }

  async function onButton(e: ButtonClicked, turn: Turn): Promise<void> {
    const me = e.person.id
    const teamId = Number(e.value)
    const say = (text: string) => (turn.replaceSource ? turn.replaceSource({ text }) : turn.reply({ text, visibleTo: me }))
    if (e.actionId === 'adopt:snooze') {
      const until = new Date(ctx.clock.now().getTime() + 14 * 86_400_000)
      await ctx.settings.setNudgePrefs(e.workspace, me, { muted: false, snoozedUntil: until })
      return say('Snoozed: no nudges for the next two weeks.')
    }
    if (e.actionId === 'adopt:mute') {
      await ctx.settings.setNudgePrefs(e.workspace, me, { muted: true })
      return say('Muted: no more weekly nudges. `beacon nudges on` brings them back.')
    }
    if (e.actionId === 'adopt:goal') {
      const team = Number.isInteger(teamId) ? await ctx.settings.team(e.workspace, teamId) : undefined
      if (!team) return turn.reply({ text: 'That team no longer exists.', visibleTo: me })
      if (turn.openForm) {
        return turn.openForm({
          formId: 'adopt:goal',
          title: 'Set an objective',
          submitLabel: 'Set',
          context: String(team.id),
          fields: [
            {
              id: 'metric',
              label: 'Metric',
              kind: 'select',
              required: true,
              initial: 'active',
              options: OBJECTIVE_METRICS.map((m) => ({ label: METRIC_LABELS[m], value: m })),
            },
            { id: 'target', label: 'Weekly target', kind: 'text', required: true, placeholder: 'e.g. 20' },
          ],
        })
      }
      return turn.reply({
        text: `Set one with \`beacon goal active <people> ${team.name}\` (metrics: ${OBJECTIVE_METRICS.join(', ')}).`,
        visibleTo: me,
      })
    }
  }

  async function onForm(e: FormSubmitted, turn: Turn): Promise<void> {
    const metric = e.values.metric ?? ''
    const target = Number(e.values.target)
    const errors: Record<string, string> = {}
    if (!(OBJECTIVE_METRICS as readonly string[]).includes(metric)) errors.metric = 'Pick a metric.'
    if (!Number.isInteger(target) || target < 1 || target > 1_000_000) errors.target = 'A whole number, e.g. 20.'
    if (Object.keys(errors).length) {
      if (turn.rejectForm) return turn.rejectForm(errors)
      throw refusal(Object.values(errors).join(' '))
    }
    const name = await setGoal(Number(e.context), e.workspace, e.person.id, metric as ObjectiveMetric, target)
    await turn.reply({
      text: `Objective set for **${escapeMarkdown(name)}**: ${target} ${METRIC_LABELS[metric as ObjectiveMetric]} a week.`,
      visibleTo: e.person.id,
    })
  }

  return {
    name: 'adoption',
    prefix: 'adopt',
    commands: { beacon: { summary: 'for managers: adoption `stats`, `team`, `goal`, `dashboard`, `privacy` and `nudges`', help: HELP, run: beacon } },
    onButton,
    onForm,
    on: {
      'message.posted': (e) => onMessagePosted(ctx, e),
      'reaction.added': (e) => onReactionAdded(ctx, e),
    },
  }
}
