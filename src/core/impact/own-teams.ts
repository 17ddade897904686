/**
 * The organisation beside a sponsor's own teams. Sponsors see organisation figures computed as an
 * admin's view (organisation.ts), where the differencing check may resolve a violation by hiding a
 * team rather than the organisation. A sponsor who also manages teams sees those teams elsewhere
 * (`/beacon stats`, `/beacon impact`, their dashboard), so organisation − their team could isolate a
 * small group the admin's check only hid from admins. Their teams are published to them already:
 * the organisation is what has to go.
 */
import { activityFor } from '../adoption/people-view.ts'
import { subtractionHidden } from '../adoption/privacy.ts'
import { ReportReads } from '../adoption/report-reads.ts'
import type { Team } from '../adoption/types.ts'
import { lastCompleteWeeks } from '../time/iso-weeks.ts'
import type { ImpactContext } from './deps.ts'
import { reportWindowWeeks, type ImpactReport } from './reports.ts'

/**
 * Whether the organisation's figures, beside the teams of `own` their manager is shown, would let
 * one isolate a group of 1…min−1 active people. `reports`: the admin's view (says which teams
 * never reached the minimum in the window, and so are shown nowhere).
 */
export async function organisationIsolates(ctx: ImpactContext, organisation: Team, own: Team[], reports: ImpactReport[]): Promise<boolean> {
  const a = ctx.adoption
  const k = a.minGroupSize
  const now = a.clock.now()
  const reads = await activityFor(a, organisation.workspace, new ReportReads(a.activity))
  const window = lastCompleteWeeks(now, reportWindowWeeks(a))
  // The manager's teams as their own surfaces show them: the check across their teams alone, in the
  // adoption window (stats, the dashboard's adoption section) and impact's; a team shown in either counts.
  const reaching = own.filter((t) => reports.find((r) => r.team.id === t.id)?.hidden !== 'small')
  const shown = new Set<number>()
  for (const weeks of new Set([a.historyWeeks, window.length])) {
    const hidden = await subtractionHidden(reads, reaching, lastCompleteWeeks(now, weeks), k)
    for (const t of reaching) if (!hidden.has(t.id)) shown.add(t.id)
  }
  const seen = reaching.filter((t) => shown.has(t.id))
  if (seen.length === 0) return false
  // Teams each shown after the check pass it among themselves, so what it finds involves the
  // organisation (and, were it not so, withholding the organisation errs on the private side).
  return (await subtractionHidden(reads, [organisation, ...seen], window, k)).size > 0
}
