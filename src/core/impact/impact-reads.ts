/**
 * The impact reads of one report, each made once (adoption's ReportReads does the same for the
 * activity): every team's periods and the organisation's read the same channels' weeks, so a
 * channel's week of impact events and of first connections is read once and reused by everyone
 * in the report. Before the first connections are read, the report's weeks are folded into the
 * pairs, oldest first, so a pair also seen in an earlier week of the report is never counted as new
 * in a later one (folding the current month before the previous one would). The memo lives only
 * as long as the report that made it.
 *
 * First connections are kept per workspace, so two people who met on Slack and later on Teams would
 * be new on each side: a pair is new in a week only when the same two people (their accounts matched
 * by verified email, as adoption's people view matches them: AdoptionOrg.counterpart) had not connected
 * in an earlier week in another workspace of the organisation either.
 */
import { once } from '../adoption/report-reads.ts'
import type { AdoptionOrg } from '../adoption/deps.ts'
import type { ActivityRepository } from '../adoption/types.ts'
import type { WorkspaceId } from '../model.ts'
import type { ImpactContext } from './deps.ts'
import { ensurePairs } from './pairs.ts'
import { type ImpactRepository, type ImpactRow, pairKey } from './types.ts'

type Pair = { a: string; b: string }

export class ImpactReads implements Pick<ImpactRepository, 'weekEvents' | 'newPairs'> {
  private readonly events = new Map<string, Promise<ImpactRow[]>>()
  private readonly pairs = new Map<string, Promise<Pair[]>>()
  private readonly folded = new Map<string, Promise<void>>()
  private readonly linked = new Map<string, Promise<WorkspaceId[]>>()
  private readonly accounts = new Map<string, Promise<string | undefined>>()

  /** `weeks`: every week the report may read (folded at once); `links`: the report's activity reads, when it has them. */
  constructor(
    private readonly ctx: ImpactContext,
    private readonly weeks: string[],
    private readonly links: Pick<ActivityRepository, 'channelLinks'> = ctx.adoption.activity,
  ) {}

  async weekEvents(workspace: WorkspaceId, conversationIds: string[], monday: string): Promise<ImpactRow[]> {
    const out: ImpactRow[] = []
    for (const c of new Set(conversationIds)) {
      const read = () => this.ctx.impact.weekEvents(workspace, [c], monday)
      out.push(...(await once(this.events, `${workspace}\u0000${c}\u0000${monday}`, read)))
    }
    return out
  }

  async newPairs(workspace: WorkspaceId, conversationIds: string[], monday: string): Promise<Pair[]> {
    await this.fold(workspace, monday)
    const out: Pair[] = []
    // Each channel's week is read and checked against the organisation once per report, however
    // many teams and periods include it.
    for (const c of new Set(conversationIds)) {
      const read = async () => this.notMetElsewhere(workspace, monday, await this.ctx.impact.newPairs(workspace, [c], monday))
      out.push(...(await once(this.pairs, `${workspace}\u0000${c}\u0000${monday}`, read)))
    }
    return out
  }

  private async fold(workspace: WorkspaceId, monday: string): Promise<void> {
    await once(this.folded, workspace, () => ensurePairs(this.ctx, workspace, this.weeks, this.links))
    if (!this.weeks.includes(monday))
      await once(this.folded, `${workspace}\u0000${monday}`, () => ensurePairs(this.ctx, workspace, [monday], this.links))
  }

  /** Of `pairs`, new in `workspace` in the week of `monday`, those not connected earlier elsewhere in the organisation. */
  private async notMetElsewhere(workspace: WorkspaceId, monday: string, pairs: Pair[]): Promise<Pair[]> {
    const org = this.ctx.adoption.org
    if (!org || pairs.length === 0) return pairs
    let out = pairs
    for (const other of await once(this.linked, workspace, () => org.linkedWith(workspace))) {
      await this.fold(other, monday)
      const there = new Map<Pair, Pair>()
      for (const p of out) {
        const [a, b] = [await this.accountIn(org, workspace, p.a, other), await this.accountIn(org, workspace, p.b, other)]
        if (a && b) there.set(p, { a, b })
      }
      if (there.size === 0) continue
      const first = await this.ctx.impact.firstWeeks(other, [...there.values()])
      out = out.filter((p) => {
        const q = there.get(p)
        const week = q && first.get(pairKey(q.a, q.b))
        return week === undefined || week >= monday
      })
    }
    return out
  }

  /**
   * The account of `other` that is this person, as counting matches them (no platform re-check).
   * A platform that cannot answer leaves the pair new: at worst one connection counted twice, where
   * failing would take the whole report (or digest) away.
   */
  private accountIn(org: AdoptionOrg, workspace: WorkspaceId, personId: string, other: WorkspaceId): Promise<string | undefined> {
    const read = async () => {
      try {
        return (await org.counterpart(workspace, personId, other)).personId
      } catch (err) {
        this.ctx.adoption.log.warn({ err, workspace, other }, 'could not match a person across the organisation; their connections count as new')
        return undefined
      }
    }
    return once(this.accounts, `${workspace}\u0000${personId}\u0000${other}`, read)
  }
}
