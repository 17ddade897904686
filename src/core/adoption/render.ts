/** Chat replies for `/beacon stats`: counts per team, privacy rules already applied by reports.ts. */
import type { Outbound, CardBlock } from '../outbound.ts'
import { escapeMarkdown } from '../outbound.ts'
import { METRIC_LABELS, objectiveValue } from './diagnoses.ts'
import type { WeekMetrics } from './metrics.ts'
import { withheld } from './privacy.ts'
import type { TeamReport } from './reports.ts'

function change(now: number, before: number | undefined): string {
  if (before === undefined) return ''
  const d = now - before
  return d === 0 ? ' (=)' : d > 0 ? ` (▲ ${d})` : ` (▼ ${-d})`
}

export function metricLines(m: WeekMetrics, prev?: WeekMetrics): string[] {
  const activeChange = change(m.activePeople, prev?.activePeople)
  const halfPeople = `${m.halfContributors} ${m.halfContributors === 1 ? 'person' : 'people'}`
  return [
    `- Active people: **${m.activePeople}**${activeChange} · posting: ${m.postingPeople} · WAU/MAU: ${Math.round(m.wauMau * 100)}%`,
    `- Contributions: ${m.contributions} (${m.contributionsPerActive} per active person) · half of them came from ${halfPeople}`,
    `- Knowledge saved: ${m.knowledgeSaved} · tasks created/done: ${m.tasksCreated}/${m.tasksDone} · ` +
      `kudos given/received: ${m.kudosGiven}/${m.kudosReceived}`,
    `- New: ${m.newPeople} · returning: ${m.returningPeople} · back after a break: ${m.resurrectedPeople} · ` +
      `gone quiet: ${m.dormantPeople} · links across departments: ${m.crossDepartmentLinks}`,
  ]
}

export function teamBlock(r: TeamReport, minGroup: number, detailed: boolean): string {
  const name = `**${escapeMarkdown(r.team.name)}**`
  if (r.hidden === 'small')
    return r.partial?.metrics
      ? [`${name} — ${partialHeading(r.partial.week)}`, ...metricLines(r.partial.metrics).slice(0, 2)].join('\n')
      : `${name} — ${withheld(minGroup)}; not shown to protect privacy.`
  if (r.hidden === 'subtraction')
    return `${name} — not shown: together with another team you can see, its numbers would reveal a group of ${withheld(minGroup)}.`
  const shown = r.weeks.filter((w) => w.metrics)
  const last = r.weeks[r.weeks.length - 1]!
  const lines = [`${name} — week ${last.week}`]
  if (!last.metrics) {
    lines.push(`- Last week: ${withheld(minGroup)}, so no numbers.`)
    if (r.partial?.metrics)
      lines.push(
        `- ${partialHeading(r.partial.week)}:`,
        ...metricLines(r.partial.metrics)
          .slice(0, 2)
          .map((l) => `  ${l}`),
      )
  } else {
    const prev = r.weeks[r.weeks.length - 2]?.metrics
    lines.push(...(detailed ? metricLines(last.metrics, prev) : metricLines(last.metrics, prev).slice(0, 2)))
  }
  const series = r.weeks
    .slice(-8)
    .map((w) => (w.metrics ? String(w.metrics.activePeople) : '–'))
    .join(' ')
  if (shown.length > 1) lines.push(`- Active people, last 8 weeks: ${series}`)
  for (const d of r.diagnoses) lines.push(`- ⚠️ **${d.title}:** ${d.explanation}`)
  if (r.objectives.length && last.metrics) {
    lines.push(
      `- Objectives: ${r.objectives.map((o) => `${METRIC_LABELS[o.metric]} ${objectiveValue(last.metrics!, o.metric)}/${o.target}`).join(', ')}`,
    )
  }
  if (detailed && r.nudges.sent)
    lines.push(
      `- Nudges: ${r.nudges.sent} sent; ${r.nudges.recovered} of ${r.nudges.measured} measured were followed by more active people two weeks later.`,
    )
  return lines.join('\n')
}

export function statsReply(reports: TeamReport[], minGroup: number, opts: { personId: string; detailed: boolean; prefix: string }): Outbound {
  if (reports.length === 0) {
    const text =
      `No teams yet. Create one with \`${opts.prefix}beacon team create <name>\` in one of its channels, ` +
      `then \`${opts.prefix}beacon team add-channel <name>\` in the others.`
    return { text, visibleTo: opts.personId }
  }
  const blocks: CardBlock[] = reports.slice(0, 15).map((r) => ({ type: 'text', text: teamBlock(r, minGroup, opts.detailed) }))
  if (reports.length > 15)
    blocks.push({ type: 'context', text: `…and ${reports.length - 15} more teams: \`${opts.prefix}beacon dashboard\` shows all of them.` })
  blocks.push({
    type: 'context',
    text: `Counts only, never content or individuals; groups of fewer than ${minGroup} active people are not shown. Weeks run Monday–Sunday (UTC).`,
  })
  const text = blocks.map((b) => ('text' in b ? b.text : '')).join('\n\n')
  return { text, card: { title: 'Adoption', blocks }, visibleTo: opts.personId }
}

/** A week still running: its numbers only grow until Sunday, so they are marked as such. */
function partialHeading(week: string): string {
  return `this week so far (${week}, partial: Monday to now, UTC)`
}
