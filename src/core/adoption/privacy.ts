/**
 * What may be shown. Three rules (README.md in this folder):
 * 1. A week in which a team had fewer than `minGroup` active people shows no numbers for that week.
 * 2. A team that never reached `minGroup` active people in the window is not shown at all.
 * 3. A team whose channels are a strict subset of another team's is hidden when the difference
 *    (the other team minus this one) had between 1 and minGroup−1 active people in some week:
 *    otherwise subtracting one team's numbers from the other's would expose that small group.
 */
import type { ActivityRepository, Team } from './types.ts'

export type HiddenReason = 'small' | 'subtraction'

export function isStrictSubset(small: string[], big: string[]): boolean {
  const b = new Set(big)
  return small.length < b.size && small.every((c) => b.has(c))
}

/** Teams (ids) hidden by rule 3 over the given weeks. */
export async function subtractionHidden(repo: ActivityRepository, teams: Team[], mondays: string[], minGroup: number): Promise<Set<number>> {
  const hidden = new Set<number>()
  if (mondays.length === 0) return hidden
  for (const small of teams) {
    for (const big of teams) {
      if (small.id === big.id || hidden.has(small.id) || !isStrictSubset(small.channels, big.channels)) continue
      const inSmall = new Set(small.channels)
      const diff = big.channels.filter((c) => !inSmall.has(c))
      for (const m of mondays) {
        const people = await repo.weekActiveCount(big.workspace, diff, m)
        if (people > 0 && people < minGroup) {
          hidden.add(small.id)
          break
        }
      }
    }
  }
  return hidden
}

/** "fewer than 5" for display where a number is withheld. */
export function withheld(minGroup: number): string {
  return `fewer than ${minGroup} active people`
}
