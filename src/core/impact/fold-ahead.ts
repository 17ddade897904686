/**
 * First connections folded ahead of the reports. A report folds the complete weeks it shows into
 * `impact_pairs` before it reads new connections (pairs.ts), and reading a week's raw links is the
 * costliest part of a report (at 1M events, 8 unfolded weeks made the first dashboard 3.7 s instead
 * of 1.4 s). The nightly `impact.fold` does it for every workspace with teams, and every workspace
 * linked to one, shortly after each week ends, so a dashboard request finds its weeks folded.
 */
import { z } from 'zod'
import { nextTurn } from '../next-turn.ts'
import type { JobDefinition } from '../ports.ts'
import { lastCompleteWeeks } from '../time/iso-weeks.ts'
import type { ImpactContext } from './deps.ts'
import { ensurePairs } from './pairs.ts'
import { foldedWeeks } from './reports.ts'

const foldSchema = z.object({}).strict().default({})
export const impactFoldJob: JobDefinition<z.infer<typeof foldSchema>> = { name: 'impact.fold', schema: foldSchema, attempts: 3, backoffMs: 60_000 }

/** Folds the weeks every report may show, oldest first, for each workspace with teams or linked to one; how many workspaces. */
export async function foldPairsAhead(ctx: ImpactContext): Promise<number> {
  const a = ctx.adoption
  const weeks = lastCompleteWeeks(a.clock.now(), foldedWeeks())
  // And the workspaces linked to them: their channels may sit in those teams, and a report asks
  // them whether a pair met there first (impact-reads.ts).
  const withTeams = await a.settings.teamWorkspaces()
  const org = a.org
  const linked = org ? await Promise.all(withTeams.map((w) => org.linkedWith(w))) : []
  const workspaces = [...new Set([...withTeams, ...linked.flat()])]
  for (const ws of workspaces) {
    await ensurePairs(ctx, ws, weeks)
    await nextTurn()
  }
  a.log.info({ workspaces: workspaces.length, weeks: weeks.length }, 'impact connections folded ahead')
  return workspaces.length
}
