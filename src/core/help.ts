import type { Capability } from './capability.ts'
import type { CommandName } from './events.ts'
import type { Platform } from './model.ts'
import type { Outbound } from './outbound.ts'

/** Slack and the shell take slash commands; Teams takes the bare word. */
export function commandPrefix(platform: Platform): string {
  return platform === 'teams' ? '' : '/'
}

type Listed = Exclude<CommandName, 'help'>

/** The overview: every command any capability answers, one line each. */
export function overviewHelp(caps: readonly Capability[], platform: Platform): Outbound {
  const p = commandPrefix(platform)
  const lines: string[] = []
  for (const cap of caps) {
    for (const [name, cmd] of Object.entries(cap.commands ?? {}) as [Listed, NonNullable<Capability['commands']>[Listed]][]) {
      if (cmd) lines.push(`- \`${p}${name}\` ${cmd.summary}`)
    }
  }
  const actions = {
    teams: 'On any message, open **⋯ → More actions** and choose **Save to knowledge** or **Create task**.',
    slack:
      'On any message, open **⋯ → More message shortcuts** and choose **Save to knowledge** or **Create task**, ' +
      'or react with the bookmark emoji to save its thread.',
    shell: 'On any message, `/save <#id>` saves its thread and `/totask <#id>` turns it into a task; `/?` lists the shell’s own commands.',
  }[platform]
  const text = [
    '**Beacon** keeps your team’s answers, tasks and thanks in one place.',
    '',
    ...lines,
    '',
    actions,
    `Type \`${p}<command> help\` for the details of one command.`,
  ].join('\n')
  return { text, card: { title: 'Beacon help', blocks: [{ type: 'text', text }] } }
}

/** The details of one command, or undefined when no capability answers it. */
export function commandHelp(caps: readonly Capability[], command: Listed, platform: Platform): Outbound | undefined {
  const p = commandPrefix(platform)
  for (const cap of caps) {
    const cmd = cap.commands?.[command]
    if (!cmd) continue
    const entries = cmd.help.map((h) => `- \`${p}${command} ${h.usage}\` ${h.summary}${h.example ? `, e.g. \`${p}${command} ${h.example}\`` : ''}`)
    const text = [`\`${p}${command}\` ${cmd.summary}`, '', ...entries, ...(command === 'beacon' ? ['', otherCommands(caps, p)] : [])].join('\n')
    return { text, card: { title: `${p}${command}`, blocks: [{ type: 'text', text }] } }
  }
  return undefined
}

/** `/beacon help` is the way in on Slack (there is no `/help` there), so it also lists everyone's commands. */
function otherCommands(caps: readonly Capability[], p: string): string {
  const lines = caps.flatMap((c) =>
    Object.entries(c.commands ?? {})
      .filter(([n, cmd]) => n !== 'beacon' && cmd)
      .map(([n, cmd]) => `- \`${p}${n}\` ${cmd!.summary}`),
  )
  return ['For everyone:', ...lines, `Each answers \`help\`, e.g. \`${p}task help\`.`].join('\n')
}
