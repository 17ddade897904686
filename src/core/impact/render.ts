/** Chat text for `/beacon impact` and the sponsors' digest: the privacy rules are applied by reports.ts. */
import { withheld } from '../adoption/privacy.ts'
import { escapeMarkdown, type CardBlock, type Outbound } from '../outbound.ts'
import type { ImpactReport } from './reports.ts'
import type { ValueMetrics } from './value.ts'

export interface Figure {
  key: string
  label: string
  value: (v: ValueMetrics) => number | undefined
  /** Shares are 0..1 and shown as percentages. */
  share?: boolean
  /** For a time to answer, lower is better. */
  lowerIsBetter?: boolean
}

/** Every value figure, in the order shown; the digest picks the three that moved most. */
export const FIGURES: Figure[] = [
  { key: 'items_opened', label: 'saved items opened', value: (v) => v.itemsOpened },
  { key: 'helpful', label: 'answers marked helpful 👍', value: (v) => v.helpful },
  { key: 'suggestions', label: 'answer suggestions shown', value: (v) => v.suggestionsShown },
  { key: 'reused', label: 'saved items reused more than once', value: (v) => v.itemsReused },
  { key: 'questions', label: 'questions asked', value: (v) => v.questionsAsked },
  { key: 'answered', label: 'questions answered within a working day', value: (v) => v.answeredInDayShare, share: true },
  { key: 'answer_time', label: 'median minutes to a first answer', value: (v) => v.medianMinutesToAnswer, lowerIsBetter: true },
  { key: 'tasks', label: 'tasks created from conversations', value: (v) => v.tasksFromConversations },
  { key: 'on_time', label: 'tasks closed by their due date', value: (v) => v.onTimeShare, share: true },
  { key: 'kudos_reach', label: 'active people who received kudos', value: (v) => v.kudosReach, share: true },
  { key: 'kudos_cross', label: 'kudos across departments', value: (v) => v.crossDepartmentKudosShare, share: true },
  { key: 'connections', label: 'new connections across departments', value: (v) => v.newCrossDepartmentConnections },
]

export function formatFigure(f: Figure, n: number | undefined): string {
  if (n === undefined) return '–'
  return f.share ? `${Math.round(n * 100)}%` : String(n)
}

export function changeOf(f: Figure, now: number | undefined, before: number | undefined): string {
  if (now === undefined || before === undefined) return ''
  const d = f.share ? Math.round((now - before) * 100) : Math.round((now - before) * 10) / 10
  const unit = f.share ? ' pts' : ''
  return d === 0 ? ' (=)' : d > 0 ? ` (▲ ${d}${unit})` : ` (▼ ${-d}${unit})`
}

/** Why the organisation's figures are withheld from a sponsor who manages teams (own-teams.ts), in plain words. */
export function ownTeamsWithheld(minGroup: number): string {
  return (
    'The organisation’s figures are withheld from you: you also see the figures of teams you manage, and the organisation ' +
    `minus those teams would reveal a group of ${withheld(minGroup)}. Admins, and sponsors who manage no team, see them.`
  )
}

export function impactBlock(r: ImpactReport, minGroup: number): string {
  const name = `**${escapeMarkdown(r.team.name)}**`
  if (r.hidden === 'small') return `${name} — ${withheld(minGroup)}; not shown to protect privacy.`
  if (r.hidden === 'subtraction')
    return `${name} — not shown: together with another team you can see, its numbers would reveal a group of ${withheld(minGroup)}.`
  if (r.hidden === 'own-teams') return `${name} — not shown. ${ownTeamsWithheld(minGroup)}`
  const lines = [`${name} — impact ${r.label}`]
  if (r.stage) {
    lines.push(`- Stage: **${r.stage.stage}** — ${r.stage.evidence.join('; ')}`)
    if (r.stage.next) lines.push(`- To move up: ${r.stage.next}`)
  }
  if (!r.current) {
    lines.push(`- ${withheld(minGroup)} in a week of this period, so no figures.`)
    return lines.join('\n')
  }
  for (const f of FIGURES) {
    const now = f.value(r.current)
    if (now === undefined) continue
    const label = `${f.label[0]!.toUpperCase()}${f.label.slice(1)}`
    lines.push(`- ${label}: **${formatFigure(f, now)}**${changeOf(f, now, r.previous ? f.value(r.previous) : undefined)}`)
  }
  return lines.join('\n')
}

export function impactReply(reports: ImpactReport[], minGroup: number, opts: { personId: string; prefix: string }): Outbound {
  if (reports.length === 0) {
    const text = `No teams yet. Create one with \`${opts.prefix}beacon team create <name>\`.`
    return { text, visibleTo: opts.personId }
  }
  const blocks: CardBlock[] = reports.slice(0, 15).map((r) => ({ type: 'text', text: impactBlock(r, minGroup) }))
  blocks.push({
    type: 'context',
    text:
      'Changes are against the period before. Counts of what teams did, never content or individuals; ' +
      `groups of fewer than ${minGroup} active people are not shown.`,
  })
  const text = blocks.map((b) => ('text' in b ? b.text : '')).join('\n\n')
  return { text, card: { title: 'Impact', blocks }, visibleTo: opts.personId }
}
