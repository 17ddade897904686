/**
 * What may be shown. Three rules (README.md in this folder):
 * 1. A week in which a team had fewer than `minGroup` active people shows no numbers for that week.
 * 2. A team that never reached `minGroup` active people in the window is not shown at all.
 * 3. No differencing: among the teams one person can see, no combination of their figures may
 *    isolate a group of 1…minGroup−1 active people. Teams that share channels are checked two ways,
 *    per week of the window:
 *    - regions: the channels are split into the regions of the teams' Venn diagram (channels in
 *      exactly the same visible teams). Every figure that adds up over channels (contributions,
 *      saves, tasks, kudos) of any sum or difference of teams is a sum over whole regions, so a
 *      region with 1…minGroup−1 active people that some team mixes with other channels could be
 *      isolated (Big − Decoy, or X + Z − Y with three teams);
 *    - pairs: active people are not additive (one person in two channels counts once), so two teams
 *      sharing a channel whose active people differ by 1…minGroup−1 people (symmetric difference)
 *      are a violation too.
 *    Both are checked per week and per 28 days ending with a week (monthly active people).
 *    While a violation remains, one team involved is hidden — the one with the fewest channels,
 *    then the most recently created (a decoy rather than the team it copies) — and the check runs
 *    again. Hiding depends on the viewer's set of teams, so every surface computes it per viewer.
 */
import type { ActivityReads, Team } from './types.ts'
import { PASSIVE_KINDS } from './types.ts'
import { nextTurn } from '../next-turn.ts'

export type HiddenReason = 'small' | 'subtraction'

/** Per channel: the people active there in each week (index = week of `mondays`). */
type WeeklyPeople = Set<string>[]

/**
 * People active in these channels in any of the weeks of `period` (indexes into the window), and
 * how many entries were read to find them (the work: many more than the result when channels overlap).
 */
function union(channels: Iterable<string>, byChannel: Map<string, WeeklyPeople>, period: number[]): { people: Set<string>; read: number } {
  const people = new Set<string>()
  let read = 0
  for (const c of channels)
    for (const w of period) {
      const week = byChannel.get(c)?.[w]
      if (!week) continue
      read += week.size + 1
      for (const p of week) people.add(p)
    }
  return { people, read }
}

/**
 * The periods figures are shown for: each week, and each 28 days ending with a week (monthly
 * active people, WAU/MAU), as far as the window reaches.
 */
function periodsOf(weeks: number): number[][] {
  const out: number[][] = []
  for (let w = 0; w < weeks; w++) out.push([w])
  for (let w = 1; w < weeks; w++) out.push(Array.from({ length: Math.min(4, w + 1) }, (_, i) => w - i))
  return out
}

const small = (n: number, minGroup: number) => n > 0 && n < minGroup

/** Teams (ids) hidden by rule 3 over the given weeks, for a viewer who sees exactly `teams`. */
export async function subtractionHidden(repo: ActivityReads, teams: Team[], mondays: string[], minGroup: number): Promise<Set<number>> {
  const hidden = new Set<number>()
  if (mondays.length === 0) return hidden
  const owners = new Map<string, Team[]>()
  for (const t of teams) for (const c of new Set(t.channels)) owners.set(c, [...(owners.get(c) ?? []), t])
  // Only teams that share a channel with another can be combined into a difference.
  const overlapping = teams.filter((t) => t.channels.some((c) => (owners.get(c)?.length ?? 0) > 1))
  if (overlapping.length === 0) return hidden
  const people = new PeopleOf(await weeklyPeople(repo, overlapping, mondays))
  const periods = periodsOf(mondays.length)
  for (;;) {
    const live = overlapping.filter((t) => !hidden.has(t.id))
    const involved = await firstViolation(live, people, periods, minGroup)
    if (!involved) return hidden
    const drop = [...involved].sort((a, b) => new Set(a.channels).size - new Set(b.channels).size || b.id - a.id)[0]!
    hidden.add(drop.id)
  }
}

async function weeklyPeople(repo: ActivityReads, teams: Team[], mondays: string[]): Promise<Map<string, WeeklyPeople>> {
  const channels = [...new Set(teams.flatMap((t) => t.channels))]
  const out = new Map<string, WeeklyPeople>()
  // One channel's week at a time from the weekly rollup: the cost follows the window, not the history.
  for (const c of channels) {
    const weeks: Set<string>[] = []
    for (const m of mondays) {
      const rows = await repo.weekCounts(teams[0]!.workspace, [c], m)
      weeks.push(new Set(rows.filter((r) => !PASSIVE_KINDS.has(r.kind) && r.count > 0).map((r) => r.personId)))
    }
    out.set(c, weeks)
  }
  return out
}

/** Set operations between yields: the check runs on the request path (dashboard, stats). */
const WORK_PER_TURN = 50_000

/**
 * The people of a set of channels in a period, each computed once per check (teams and regions
 * recur in every round after one team is hidden), with the work sliced into short event-loop turns.
 */
class PeopleOf {
  private readonly memo = new Map<string, Set<string>>()
  /** The memo key of each channel list (the same arrays are asked for in every period and round). */
  private readonly keys = new WeakMap<readonly string[], string>()
  private work = 0

  constructor(private readonly byChannel: Map<string, WeeklyPeople>) {}

  async of(channels: readonly string[], period: number[]): Promise<Set<string>> {
    let list = this.keys.get(channels)
    if (list === undefined) this.keys.set(channels, (list = [...new Set(channels)].sort().join(',')))
    const key = `${period.join('+')}|${list}`
    let s = this.memo.get(key)
    if (!s) {
      if (period.length === 1) {
        const u = union(channels, this.byChannel, period)
        s = u.people
        await this.spend(u.read + channels.length)
      } else {
        // 28 days are the union of their weeks' people, each already known for these channels (or
        // known from now on): many channels' weeks are read once, not once per 28 days they are in.
        s = new Set<string>()
        for (const w of period) {
          const week = await this.of(channels, [w])
          for (const x of week) s.add(x)
          await this.spend(week.size + 1)
        }
      }
      this.memo.set(key, s)
    }
    return s
  }

  async spend(units: number): Promise<void> {
    this.work += units
    if (this.work < WORK_PER_TURN) return
    this.work = 0
    await nextTurn()
  }
}

/** The teams involved in the first violation found among `live`, or undefined when there is none. */
async function firstViolation(live: Team[], people: PeopleOf, periods: number[][], minGroup: number): Promise<Team[] | undefined> {
  const inTeams = new Map<string, Team[]>()
  for (const t of live) for (const c of new Set(t.channels)) inTeams.set(c, [...(inTeams.get(c) ?? []), t])
  const sharesWith = (a: Team, b: Team) => a.id !== b.id && a.channels.some((c) => b.channels.includes(c))

  // Regions of the Venn diagram: channels grouped by exactly which live teams hold them.
  const regions = new Map<string, { channels: string[]; teams: Team[] }>()
  for (const [c, ts] of inTeams) {
    const key = ts
      .map((t) => t.id)
      .sort((a, b) => a - b)
      .join(',')
    const r = regions.get(key) ?? { channels: [], teams: ts }
    r.channels.push(c)
    regions.set(key, r)
  }
  for (const r of regions.values()) {
    // A region that is the whole of every team holding it is only ever shown as that team (rule 1).
    const mixed = r.teams.some((t) => new Set(t.channels).size > r.channels.length)
    if (!mixed) continue
    for (const period of periods) {
      if (small((await people.of(r.channels, period)).size, minGroup)) {
        return live.filter((t) => r.teams.includes(t) || r.teams.some((o) => sharesWith(t, o)))
      }
    }
  }

  for (let i = 0; i < live.length; i++) {
    for (let j = i + 1; j < live.length; j++) {
      const a = live[i]!
      const b = live[j]!
      if (!sharesWith(a, b)) continue
      for (const period of periods) {
        const pa = await people.of(a.channels, period)
        const pb = await people.of(b.channels, period)
        // |A △ B| = |A| + |B| − 2·|A ∩ B|, the intersection walked from the smaller side: a team
        // beside the organisation costs the team's people, not the organisation's.
        const [fewer, more] = pa.size <= pb.size ? [pa, pb] : [pb, pa]
        let both = 0
        for (const x of fewer) if (more.has(x)) both++
        await people.spend(fewer.size)
        if (small(pa.size + pb.size - 2 * both, minGroup)) return [a, b]
      }
    }
  }
  return undefined
}

/** "fewer than 5" for display where a number is withheld. */
export function withheld(minGroup: number): string {
  return `fewer than ${minGroup} active people`
}
