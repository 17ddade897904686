/**
 * The impact reads of one report, each made once (adoption's ReportReads does the same for the
 * activity): every team's periods and the organisation's read the same channels' weeks, so a
 * channel's week of impact events and of first connections is read once and reused by everyone
 * in the report. Before the first connections are read, the report's weeks are folded into the
 * pairs, oldest first, so a pair also seen in an earlier week of the report is never counted as new
 * in a later one (folding the current month before the previous one would). The memo lives only
 * as long as the report that made it.
 */
import { once } from '../adoption/report-reads.ts'
import type { ActivityRepository } from '../adoption/types.ts'
import type { WorkspaceId } from '../model.ts'
import type { ImpactContext } from './deps.ts'
import { ensurePairs } from './pairs.ts'
import type { ImpactRepository, ImpactRow } from './types.ts'

type Pair = { a: string; b: string }

export class ImpactReads implements Pick<ImpactRepository, 'weekEvents' | 'newPairs'> {
  private readonly events = new Map<string, Promise<ImpactRow[]>>()
  private readonly pairs = new Map<string, Promise<Pair[]>>()
  private readonly folded = new Map<string, Promise<void>>()

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
    await once(this.folded, workspace, () => ensurePairs(this.ctx, workspace, this.weeks, this.links))
    if (!this.weeks.includes(monday))
      await once(this.folded, `${workspace}\u0000${monday}`, () => ensurePairs(this.ctx, workspace, [monday], this.links))
    const out: Pair[] = []
    for (const c of new Set(conversationIds)) {
      const read = () => this.ctx.impact.newPairs(workspace, [c], monday)
      out.push(...(await once(this.pairs, `${workspace}\u0000${c}\u0000${monday}`, read)))
    }
    return out
  }
}
