/**
 * First connections: a pair of people who replied to each other's thread, exchanged kudos or work
 * on one task (its creator and each assignee, and the assignees among themselves). Each
 * complete week's links (adoption's read of every conversation's links, a day per turn) are folded into
 * `impact_pairs` once, oldest week first, so "for the first time" is the earliest week the pair was
 * seen in the retained history without ever re-reading it.
 */
import { channelPlace } from '../adoption/channels.ts'
import type { ActivityRepository } from '../adoption/types.ts'
import { addDays, weekStart } from '../time/iso-weeks.ts'
import type { WorkspaceId } from '../model.ts'
import type { TaskFact } from '../domain-events.ts'
import type { ImpactContext } from './deps.ts'
import { pairKey } from './types.ts'

/** Folds these complete weeks in (oldest first) unless done; `links`: the report's reads of the links, when it has them. */
export async function ensurePairs(
  ctx: ImpactContext,
  workspace: WorkspaceId,
  mondays: string[],
  links: Pick<ActivityRepository, 'channelLinks'> = ctx.adoption.activity,
): Promise<void> {
  const current = weekStart(ctx.adoption.clock.now())
  const teamChannels = await channelsIn(ctx, workspace)
  for (const monday of [...mondays].sort()) {
    if (monday >= current) continue // an incomplete week is folded in once it is over
    if (await ctx.impact.pairWeekDone(workspace, monday)) continue
    // One read of the week for every conversation; a pair seen in several of the teams' channels
    // is recorded with the first of them (in sorted order).
    const pairs = new Map<string, { a: string; b: string; conversationId: string }>()
    for (const l of await links.channelLinks(workspace, monday, addDays(monday, 7))) {
      if (l.fromId === l.toId || !teamChannels.has(l.conversationId)) continue
      const key = pairKey(l.fromId, l.toId)
      const known = pairs.get(key)
      if (!known) pairs.set(key, { a: l.fromId, b: l.toId, conversationId: l.conversationId })
      else if (l.conversationId < known.conversationId) pairs.set(key, { a: l.fromId, b: l.toId, conversationId: l.conversationId })
    }
    await ctx.impact.addPairs(workspace, monday, [...pairs.values()])
  }
}

/**
 * The conversations of `workspace` some team holds: its own teams' channels, and those that teams of
 * a linked workspace took in ("<workspace>/<channel>", adoption/channels.ts).
 */
async function channelsIn(ctx: ImpactContext, workspace: WorkspaceId): Promise<Set<string>> {
  const a = ctx.adoption
  const out = new Set<string>()
  for (const home of [workspace, ...(a.org ? await a.org.linkedWith(workspace) : [])])
    for (const t of await a.settings.teams(home))
      for (const c of t.channels) {
        const p = channelPlace(home, c)
        if (p.workspace === workspace) out.add(p.conversationId)
      }
  return out
}

/**
 * The people of a task, connected in the week the task was made (and, for whoever was assigned
 * since, the week it was closed): creator ↔ each assignee, assignees with each other. Opted-out
 * people and bots are left out; the earliest week a pair was seen stays its first.
 */
export async function connectTaskPeople(ctx: ImpactContext, task: TaskFact, at: Date): Promise<void> {
  if (!task.conversationId) return
  const a = ctx.adoption
  const people: string[] = []
  for (const id of new Set([task.creatorId, ...task.assignees.map((x) => x.personId)])) {
    if ((await a.people.get(task.workspace, id))?.isBot) continue
    if (await a.settings.isOptedOut(task.workspace, id)) continue
    people.push(id)
  }
  const pairs: { a: string; b: string; conversationId: string }[] = []
  for (let i = 0; i < people.length; i++)
    for (let j = i + 1; j < people.length; j++) pairs.push({ a: people[i]!, b: people[j]!, conversationId: task.conversationId })
  if (pairs.length) await ctx.impact.connect(task.workspace, weekStart(at), pairs)
}
