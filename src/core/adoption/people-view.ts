/**
 * Adoption counts people, not accounts. A team of one workspace may include channels of another
 * workspace of its organisation (channels.ts); this view of the activity rollups answers for such
 * teams as if everything happened in the team's own workspace:
 * - an account of the team's workspace is itself (its id, as departments and managers know it);
 * - an account elsewhere in the organisation is the person with the same verified email in the
 *   team's workspace when there is one, else that email (two other workspaces' accounts of one
 *   person are still one), else an account of its own ("<workspace>/<id>").
 * So active people, posters, the privacy minimum and the differencing rule all count a person once.
 * Channels of a workspace that is no longer linked count nothing: unlinking separates them again.
 * Each account is looked up once per view (one report), through `AdoptionOrg.counterpart`.
 */
import type { WorkspaceId } from '../model.ts'
import { byWorkspace } from './channels.ts'
import type { AdoptionContext, AdoptionOrg } from './deps.ts'
import type { ActivityKind, ActivityReads, ActivityRepository, Link } from './types.ts'
import { PASSIVE_KINDS } from './types.ts'

/**
 * The activity a report of `home`'s teams reads: the rollups themselves while `home` stands alone
 * (through `reads`, the request's memo of them, when it has one: see report-reads.ts).
 */
export async function activityFor(ctx: AdoptionContext, home: WorkspaceId, reads?: ActivityReads): Promise<ActivityReads> {
  const linked = ctx.org ? await ctx.org.linkedWith(home) : []
  return ctx.org && linked.length ? new PeopleView(ctx.activity, ctx.org, home, new Set(linked)) : (reads ?? ctx.activity)
}

type Rows = { personId: string; kind: ActivityKind; count: number }[]

export class PeopleView implements ActivityReads {
  private readonly keys = new Map<string, Promise<string>>()
  /** Person key → the accounts behind it, per workspace (firstSeenWeeks asks the rollups by account). */
  private readonly accounts = new Map<string, Map<WorkspaceId, Set<string>>>()

  constructor(
    private readonly base: ActivityRepository,
    private readonly org: AdoptionOrg,
    private readonly home: WorkspaceId,
    private readonly linked: ReadonlySet<WorkspaceId>,
  ) {}

  async weekCounts(workspace: WorkspaceId, conversationIds: string[], monday: string): Promise<Rows> {
    const sums = new Map<string, Rows[number]>()
    for (const [w, ids] of this.places(workspace, conversationIds)) {
      for (const r of await this.base.weekCounts(w, ids, monday)) {
        const personId = await this.key(w, r.personId)
        const k = `${personId}\u0000${r.kind}`
        const s = sums.get(k)
        if (s) s.count += r.count
        else sums.set(k, { personId, kind: r.kind, count: r.count })
      }
    }
    return [...sums.values()]
  }

  async weekActivePeople(workspace: WorkspaceId, conversationIds: string[], monday: string): Promise<Set<string>> {
    const out = new Set<string>()
    for (const [w, ids] of this.places(workspace, conversationIds)) {
      const people = this.base.weekActivePeople
        ? await this.base.weekActivePeople(w, ids, monday)
        : new Set((await this.base.weekCounts(w, ids, monday)).filter((r) => !PASSIVE_KINDS.has(r.kind)).map((r) => r.personId))
      for (const p of people) out.add(await this.key(w, p))
    }
    return out
  }

  async firstSeenWeeks(workspace: WorkspaceId, conversationIds: string[], people?: Iterable<string>): Promise<Map<string, string>> {
    const wanted = people ? [...people] : undefined
    const out = new Map<string, string>()
    for (const [w, ids] of this.places(workspace, conversationIds)) {
      const asked = wanted?.flatMap((k) => [...(this.accounts.get(k)?.get(w) ?? [])])
      if (asked?.length === 0) continue
      for (const [account, monday] of await this.base.firstSeenWeeks(w, ids, asked)) {
        const k = await this.key(w, account)
        const before = out.get(k)
        if (before === undefined || monday < before) out.set(k, monday)
      }
    }
    return out
  }

  async links(workspace: WorkspaceId, conversationIds: string[], fromDay: string, toDay: string): Promise<Link[]> {
    const sums = new Map<string, Link>()
    for (const [w, ids] of this.places(workspace, conversationIds)) {
      for (const l of await this.base.links(w, ids, fromDay, toDay)) {
        const fromId = await this.key(w, l.fromId)
        const toId = l.toId ? await this.key(w, l.toId) : l.toId
        const k = `${fromId}\u0000${toId}`
        const s = sums.get(k)
        if (s) s.count += l.count
        else sums.set(k, { fromId, toId, count: l.count })
      }
    }
    return [...sums.values()]
  }

  /** The conversations of each workspace still in the organisation (the team's own always); impact reads its events by them. */
  places(workspace: WorkspaceId, channels: string[]): [WorkspaceId, string[]][] {
    return [...byWorkspace(workspace, channels)]
      .filter(([w]) => w === workspace || this.linked.has(w))
      .map(([w, list]) => [w, list.map((c) => c.conversationId)])
  }

  /** The person an account is, as this view counts them (impact matches its pairs of people by it). */
  key(workspace: WorkspaceId, personId: string): Promise<string> {
    const account = `${workspace}\u0000${personId}`
    let k = this.keys.get(account)
    if (!k) {
      k = this.resolve(workspace, personId)
      this.keys.set(account, k)
    }
    return k
  }

  private async resolve(workspace: WorkspaceId, personId: string): Promise<string> {
    let key = personId
    if (workspace !== this.home) {
      const other = await this.org.counterpart(workspace, personId, this.home)
      key = other.personId ?? (other.email ? `org:${other.email}` : `${workspace}/${personId}`)
    }
    const byWs = this.accounts.get(key) ?? new Map<WorkspaceId, Set<string>>()
    byWs.set(workspace, (byWs.get(workspace) ?? new Set()).add(personId))
    this.accounts.set(key, byWs)
    return key
  }
}
