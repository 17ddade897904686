/**
 * The activity reads of one report (one request, one digest job), each made once. A report over
 * every team and the organisation asks the same questions many times: each team's history and the
 * organisation's read the same channels' weeks, the privacy check reads them again, and each history
 * reads its weeks' links. Here a channel's week is read once and reused by everyone in the report,
 * and a week's links are read once for all the workspace's conversations (`channelLinks`) and
 * narrowed to each team's. Answers are exactly those of the repository; the memo lives only as long
 * as the report that made it (never shared between requests, so nothing goes stale).
 */
import type { WorkspaceId } from '../model.ts'
import type { ActivityKind, ActivityReads, ActivityRepository, ChannelLink, Link } from './types.ts'
import { PASSIVE_KINDS } from './types.ts'
import { teamLinks } from './links.ts'

type Counts = { personId: string; kind: ActivityKind; count: number }[]

export class ReportReads implements ActivityReads {
  private readonly counts = new Map<string, Promise<Counts>>()
  private readonly sums = new Map<string, Promise<Counts>>()
  private readonly active = new Map<string, Promise<Set<string>>>()
  private readonly windowLinks = new Map<string, Promise<ChannelLink[]>>()

  constructor(private readonly base: ActivityRepository) {}

  /** Shared between the report's callers (a channel's own rows, or one sum per set of channels): read-only. */
  async weekCounts(workspace: WorkspaceId, conversationIds: string[], monday: string): Promise<Counts> {
    const channels = [...new Set(conversationIds)].sort()
    if (channels.length === 1) return this.channelCounts(workspace, channels[0]!, monday)
    return once(this.sums, `${workspace}\u0000${monday}\u0000${channels.join('\u0000')}`, async () => {
      const sums = new Map<string, Counts[number]>()
      for (const c of channels) {
        for (const r of await this.channelCounts(workspace, c, monday)) {
          const key = `${r.personId}\u0000${r.kind}`
          const known = sums.get(key)
          if (known) known.count += r.count
          else sums.set(key, { ...r })
        }
      }
      return [...sums.values()]
    })
  }

  async weekActivePeople(workspace: WorkspaceId, conversationIds: string[], monday: string): Promise<Set<string>> {
    const people = new Set<string>()
    for (const c of new Set(conversationIds)) for (const p of await this.channelActive(workspace, c, monday)) people.add(p)
    return people
  }

  firstSeenWeeks(workspace: WorkspaceId, conversationIds: string[], people?: Iterable<string>): Promise<Map<string, string>> {
    return this.base.firstSeenWeeks(workspace, conversationIds, people)
  }

  async links(workspace: WorkspaceId, conversationIds: string[], fromDay: string, toDay: string): Promise<Link[]> {
    return teamLinks(await this.channelLinks(workspace, fromDay, toDay), conversationIds)
  }

  /** Every conversation's links of the window, read once per report. */
  channelLinks(workspace: WorkspaceId, fromDay: string, toDay: string): Promise<ChannelLink[]> {
    return once(this.windowLinks, `${workspace}\u0000${fromDay}\u0000${toDay}`, () => this.base.channelLinks(workspace, fromDay, toDay))
  }

  private channelCounts(workspace: WorkspaceId, conversationId: string, monday: string): Promise<Counts> {
    return once(this.counts, `${workspace}\u0000${conversationId}\u0000${monday}`, () => this.base.weekCounts(workspace, [conversationId], monday))
  }

  private channelActive(workspace: WorkspaceId, conversationId: string, monday: string): Promise<Set<string>> {
    const key = `${workspace}\u0000${conversationId}\u0000${monday}`
    return once(this.active, key, async () => {
      // Counts already read answer it; otherwise the narrower read (no counts per person and kind).
      if (this.counts.has(key) || !this.base.weekActivePeople) {
        const rows = await this.channelCounts(workspace, conversationId, monday)
        return new Set(rows.filter((r) => !PASSIVE_KINDS.has(r.kind)).map((r) => r.personId))
      }
      return this.base.weekActivePeople(workspace, [conversationId], monday)
    })
  }
}

/** The memo's promise for `key`, made by `read` the first time it is asked for. */
export function once<T>(memo: Map<string, Promise<T>>, key: string, read: () => Promise<T>): Promise<T> {
  let p = memo.get(key)
  if (!p) memo.set(key, (p = read()))
  return p
}
