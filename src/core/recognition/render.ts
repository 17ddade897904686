/**
 * Everything recognition says, in Beacon's markdown subset. Names are shown in bold, never as
 * platform mentions, so a kudos post, a leaderboard or a digest pings nobody.
 */
import { escapeMarkdown, type Outbound } from '../outbound.ts'
import type { Period } from './periods.ts'
import type { Kudos, KudosSource, LeaderRow, PersonTotals, WeekSummary } from './types.ts'

export const name = (s: string) => `**${escapeMarkdown(s)}**`

export function joinNames(names: string[]): string {
  const b = names.map(name)
  return b.length <= 1 ? (b[0] ?? '') : `${b.slice(0, -1).join(', ')} and ${b[b.length - 1]}`
}

/** The one public message a kudos makes. */
export function givenMessage(giverName: string, given: Kudos[]): Outbound {
  const first = given[0]!
  const value = first.value ? ` · _#${first.value}_` : ''
  return { text: `🎉 ${name(giverName)} gave kudos to ${joinNames(given.map((k) => k.receiverName))}: ${first.reason}${value}` }
}

/** A DM for people thanked somewhere they may not be looking (a task card, a private chat). */
export function receivedDm(giverName: string, k: Kudos): Outbound {
  const value = k.value ? ` · _#${k.value}_` : ''
  return { text: `🎉 ${name(giverName)} sent you kudos: ${k.reason}${value}` }
}

const PERIOD_TITLE: Record<Period, string> = { week: 'the last 7 days', month: 'the last 30 days', all: 'all time' }

export function topMessage(rows: LeaderRow[], period: Period, value: string | undefined, personId: string): Outbound {
  const scope = `${PERIOD_TITLE[period]}${value ? `, #${value}` : ''}`
  const title = `Top kudos — ${scope}`
  const lines = rows.map(
    (r, i) => `${i + 1}. ${name(r.receiverName)} — ${plural(r.givers, 'person', 'people')}, ${plural(r.count, 'kudos', 'kudos')}`,
  )
  const body = rows.length
    ? ['_Ranked by how many different people said thanks, then by count._', ...lines].join('\n')
    : `No kudos in ${scope} yet. Be the first: \`/kudos @someone for …\``
  // The card shows the title as its header; the text (notifications, fallbacks) carries it inline.
  return { text: `**${title}**\n${body}`, card: { title, blocks: [{ type: 'text', text: body }] }, visibleTo: personId }
}

export interface MeView {
  week: PersonTotals
  all: PersonTotals
  received: Kudos[]
  given: Kudos[]
  allowance: string
}

export function meMessage(v: MeView, personId: string): Outbound {
  const summary = (t: PersonTotals) =>
    `received ${plural(t.received, 'kudos', 'kudos')} from ${plural(t.receivedFrom, 'person', 'people')}` +
    `${t.auto ? ` + ${plural(t.auto, 'automatic credit', 'automatic credits')}` : ''}, gave ${t.given}`
  const item = (k: Kudos, role: 'received' | 'given') => {
    const who =
      role === 'received'
        ? k.kind === 'auto'
          ? `_${AUTO_LABEL[k.source]}_`
          : `from ${name(k.giverName ?? 'someone')}`
        : `to ${name(k.receiverName)}`
    return `- ${who}: ${k.reason}${k.value ? ` · _#${k.value}_` : ''}`
  }
  const body = [
    `This week: ${summary(v.week)}.`,
    `All time: ${summary(v.all)}.`,
    v.allowance,
    '',
    '**Recently received**',
    v.received.length ? v.received.map((k) => item(k, 'received')).join('\n') : '_Nothing yet._',
    '',
    '**Recently given**',
    v.given.length ? v.given.map((k) => item(k, 'given')).join('\n') : '_Nothing yet — `/kudos @someone for …` thanks a colleague._',
  ].join('\n')
  return { text: `**Your kudos**\n${body}`, card: { title: 'Your kudos', blocks: [{ type: 'text', text: body }] }, visibleTo: personId }
}

export const AUTO_LABEL: Record<KudosSource, string> = {
  knowledge: 'an answer saved to the knowledge base',
  'task-done': 'a finished task',
  command: 'kudos',
  reaction: 'kudos',
  task: 'kudos',
}

const AUTO_DIGEST: Partial<Record<KudosSource, string>> = { knowledge: 'for answers saved to the knowledge base', 'task-done': 'for finished tasks' }

/** The weekly digest: one post, names without pings, no reasons (they may come from private channels). */
export function digestMessage(s: WeekSummary): Outbound {
  const lines: string[] = ['**This week in kudos** 🎉']
  if (s.total > 0) lines.push(`${plural(s.total, 'kudos', 'kudos')} from ${plural(s.givers, 'person', 'people')}.`)
  if (s.top.length) {
    lines.push('', '**Most thanked** _(by number of different people)_')
    lines.push(...s.top.map((r, i) => `${i + 1}. ${name(r.receiverName)} — ${plural(r.givers, 'person', 'people')}`))
  }
  if (s.values.length) lines.push('', `**Values:** ${s.values.map((v) => `#${v.value} ×${v.count}`).join(', ')}`)
  const auto = s.auto.filter((a) => AUTO_DIGEST[a.source])
  if (auto.length) {
    lines.push('', '**Automatic credit**')
    lines.push(...auto.map((a) => `- ${plural(a.count, 'credit', 'credits')} to ${plural(a.people, 'person', 'people')} ${AUTO_DIGEST[a.source]}`))
  }
  lines.push('', '_`/kudos top` for the full board · `/kudos digest off` stops this post._')
  const text = lines.join('\n')
  return { text, card: { title: 'Weekly kudos digest', blocks: [{ type: 'text', text }] } }
}

export function isEmptyWeek(s: WeekSummary): boolean {
  return s.total === 0 && s.auto.every((a) => a.count === 0)
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`
}
