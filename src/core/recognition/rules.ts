/**
 * The anti-gaming rules, as pure functions over what a giver already used (read in the same
 * transaction as the insert, see KudosRepository.giveChecked). A refusal is data; the text that
 * explains it (how many are left, when it resets) is rendered for the giver's timezone.
 */
import { escapeMarkdown } from '../outbound.ts'
import { resetText, type Windows } from './periods.ts'
import type { GiverUsage, NewKudos } from './types.ts'

export interface Limits {
  dailyAllowance: number
  weeklyPerReceiver: number
}

export type Refusal = { kind: 'allowance'; left: number; wanted: number } | { kind: 'receiver-cap'; receiverName: string; given: number }

export function checkGive(usage: GiverUsage, fresh: NewKudos[], limits: Limits): Refusal | undefined {
  const left = Math.max(0, limits.dailyAllowance - usage.today)
  if (fresh.length > left) return { kind: 'allowance', left, wanted: fresh.length }
  for (const k of fresh) {
    const given = usage.thisWeek.get(k.receiverId) ?? 0
    if (given + 1 > limits.weeklyPerReceiver) return { kind: 'receiver-cap', receiverName: k.receiverName, given }
  }
  return undefined
}

export function refusalText(r: Refusal, limits: Limits, w: Windows, now: Date, zone: string): string {
  if (r.kind === 'allowance') {
    const when = resetText(w.nextDay, now, zone)
    const head =
      r.left === 0
        ? `You’ve used all ${limits.dailyAllowance} of today’s kudos.`
        : `You have ${r.left} kudos left today, and this would give ${r.wanted}.`
    return `${head} Your allowance resets ${when}. Nothing was recorded${r.left > 0 ? ' — try thanking fewer people at once' : ''}.`
  }
  return (
    `You’ve already given **${escapeMarkdown(r.receiverName)}** ${r.given} kudos this week ` +
    `(the most one person can give someone in a week is ${limits.weeklyPerReceiver}). ` +
    `That resets ${resetText(w.nextWeek, now, zone)}. Nothing was recorded — maybe someone else deserves one too?`
  )
}

/** "3 of 5 left today" for `/kudos me`. */
export function allowanceLine(usage: GiverUsage, limits: Limits, w: Windows, now: Date, zone: string): string {
  const left = Math.max(0, limits.dailyAllowance - usage.today)
  return `You can give ${left} more kudos today (of ${limits.dailyAllowance}); it resets ${resetText(w.nextDay, now, zone)}.`
}
