import type Database from 'better-sqlite3'
import type { ActivityEvent, ActivityKind, ActivityRepository, ChannelLink, Link } from '../../core/adoption/types.ts'
import { PASSIVE_KINDS } from '../../core/adoption/types.ts'
import { teamLinks } from '../../core/adoption/links.ts'
import { addDays, weekStart } from '../../core/time/iso-weeks.ts'
import type { WorkspaceId } from '../../core/model.ts'
import type { Db } from '../db.ts'
import { nextTurn } from '../../core/next-turn.ts'
import { groupCommit } from '../group-commit.ts'

/**
 * Activity events and their rollups (daily, weekly, first week seen). Written with prepared
 * statements on the raw better-sqlite3 handle rather than the query builder: this is the one hot
 * write path (every message in every channel) and the bulk loader must take a million rows in seconds.
 *
 * Reads serve the dashboard and `/beacon stats` on the request path, and better-sqlite3 is
 * synchronous: each read covers one channel's week (links: the workspace's day) and first yields to the
 * event loop, so a report over many teams and weeks is many short turns, never one long stall.
 */
export class SqliteActivityRepository implements ActivityRepository {
  private readonly client: Database.Database
  private readonly insertEvent: Database.Statement
  private readonly bumpDaily: Database.Statement
  private readonly optedOut: Database.Statement
  private readonly isBot: Database.Statement
  private readonly bumpWeekly: Database.Statement
  private readonly seenWeek: Database.Statement
  // The reads, prepared once: a report makes thousands of them.
  private readonly readDayLinks: Database.Statement
  private readonly readWeekCounts: Database.Statement
  private readonly readWeekActive: Database.Statement
  private readonly readFirstSeen: Database.Statement
  private readonly readFirstSeenOf: Database.Statement

  constructor(db: Db) {
    this.client = db.$client
    this.insertEvent = this.client.prepare(
      `insert into adoption_events (workspace_id, conversation_id, person_id, kind, target_person_id, thread_id, source_key, at, day)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing`,
    )
    this.bumpDaily = this.client.prepare(
      `insert into adoption_daily (workspace_id, day, person_id, conversation_id, kind, count) values (?, ?, ?, ?, ?, 1)
       on conflict (workspace_id, day, person_id, conversation_id, kind) do update set count = count + 1`,
    )
    this.optedOut = this.client.prepare('select 1 from adoption_optouts where workspace_id = ? and person_id = ?')
    this.isBot = this.client.prepare('select 1 from people where workspace_id = ? and id = ? and is_bot = 1')
    this.bumpWeekly = this.client.prepare(
      `insert into adoption_weekly (workspace_id, week, conversation_id, person_id, kind, count) values (?, ?, ?, ?, ?, 1)
       on conflict (workspace_id, week, conversation_id, person_id, kind) do update set count = count + 1`,
    )
    this.seenWeek = this.client.prepare(
      `insert into adoption_first_seen (workspace_id, conversation_id, person_id, week) values (?, ?, ?, ?)
       on conflict (workspace_id, conversation_id, person_id) do update set week = excluded.week where excluded.week < adoption_first_seen.week`,
    )
    // A reply links its author to the author of the thread's root message; kudos link giver and receiver.
    // Both halves read the day's rows from index adoption_events_links (migration 0025), which holds only
    // replies and kudos: "kind in (...)" repeats its condition, without which SQLite will not use it.
    this.readDayLinks = this.client.prepare(
      `select r.conversation_id as conversationId, r.person_id as fromId, root.person_id as toId, count(*) as count
         from adoption_events r indexed by adoption_events_links
         -- Without statistics the planner loops over every root of the workspace; CROSS JOIN keeps the
         -- day's replies as the outer loop and the thread index finds each one's root directly.
         cross join adoption_events root indexed by adoption_events_thread
           on root.workspace_id = r.workspace_id and root.thread_id = r.thread_id and root.kind = 'message'
        where r.workspace_id = ? and r.day = ? and r.kind = 'reply' and r.kind in ('reply', 'kudos_given') and root.person_id != r.person_id
        group by r.conversation_id, r.person_id, root.person_id
       union all
       select conversation_id, person_id, target_person_id, count(*)
         from adoption_events indexed by adoption_events_links
        where workspace_id = ? and day = ? and kind = 'kudos_given' and kind in ('reply', 'kudos_given') and target_person_id is not null
        group by conversation_id, person_id, target_person_id`,
    )
    // A channel's week holds one row per person and kind (the primary key): its rows as they are, no GROUP BY.
    this.readWeekCounts = this.client
      .prepare('select person_id, kind, count from adoption_weekly where workspace_id = ? and week = ? and conversation_id = ?')
      .raw(true)
    // Read from the primary key alone (it holds person and kind): no table row is visited.
    this.readWeekActive = this.client
      .prepare(`select person_id from adoption_weekly where workspace_id = ? and week = ? and conversation_id = ? and kind != 'kudos_received'`)
      .pluck()
    this.readFirstSeen = this.client.prepare(
      'select person_id as p, week as w from adoption_first_seen where workspace_id = ? and conversation_id = ?',
    )
    this.readFirstSeenOf = this.client.prepare(
      `select week as w, conversation_id as c from adoption_first_seen indexed by adoption_first_seen_first
        where workspace_id = ? and person_id = ? order by week`,
    )
  }

  private write(e: ActivityEvent, skipBots: boolean): boolean {
    if (this.optedOut.get(e.workspace, e.personId)) return false
    if (skipBots && this.isBot.get(e.workspace, e.personId)) return false
    // Opting out covers being pointed at too: a reaction or kudos to an opted-out person is counted
    // for the actor, without the link to them. (Replies link through the root's own event, which an
    // opted-out person never has.)
    const target = e.targetPersonId && !this.optedOut.get(e.workspace, e.targetPersonId) ? e.targetPersonId : null
    const day = e.at.toISOString().slice(0, 10)
    const res = this.insertEvent.run(
      e.workspace,
      e.conversationId,
      e.personId,
      e.kind,
      target,
      e.threadId ?? null,
      e.sourceKey ?? null,
      e.at.getTime(),
      day,
    )
    // A repeated sourceKey inserts nothing, and then the rollup must not move either.
    if (res.changes === 0) return false
    this.bumpDaily.run(e.workspace, day, e.personId, e.conversationId, e.kind)
    const week = weekStart(e.at)
    this.bumpWeekly.run(e.workspace, week, e.conversationId, e.personId, e.kind)
    if (!PASSIVE_KINDS.has(e.kind)) this.seenWeek.run(e.workspace, e.conversationId, e.personId, week)
    return true
  }

  /** Every message and reaction: joins the connection's group commit (src/storage/group-commit.ts). */
  async record(e: ActivityEvent): Promise<boolean> {
    return groupCommit(this.client).later(() => this.write(e, true))
  }

  async recordMany(events: Iterable<ActivityEvent>): Promise<number> {
    let n = 0
    this.client.transaction(() => {
      for (const e of events) if (this.write(e, false)) n++
    })()
    return n
  }

  async links(workspace: WorkspaceId, conversationIds: string[], fromDay: string, toDay: string): Promise<Link[]> {
    if (conversationIds.length === 0) return []
    const rows: ChannelLink[] = []
    for await (const r of this.dayLinks(workspace, fromDay, toDay)) rows.push(r)
    return teamLinks(rows, conversationIds)
  }

  async channelLinks(workspace: WorkspaceId, fromDay: string, toDay: string): Promise<ChannelLink[]> {
    const pairs = new Map<string, ChannelLink>()
    for await (const r of this.dayLinks(workspace, fromDay, toDay)) {
      const key = `${r.conversationId}\u0000${r.fromId}\u0000${r.toId}`
      const known = pairs.get(key)
      if (known) known.count += r.count
      else pairs.set(key, { ...r })
    }
    return [...pairs.values()]
  }

  /** The workspace's links of each day in [fromDay, toDay), one day per turn (a day's events of every channel). */
  private async *dayLinks(workspace: WorkspaceId, fromDay: string, toDay: string): AsyncGenerator<ChannelLink> {
    for (let day = fromDay; day < toDay; day = addDays(day, 1)) {
      await nextTurn()
      yield* this.readDayLinks.all(workspace, day, workspace, day) as ChannelLink[]
    }
  }

  async weekCounts(
    workspace: WorkspaceId,
    conversationIds: string[],
    monday: string,
  ): Promise<{ personId: string; kind: ActivityKind; count: number }[]> {
    // One channel's week per turn, summed across the channels per person, then kind (no key string built per row).
    const sums = new Map<string, Map<ActivityKind, { personId: string; kind: ActivityKind; count: number }>>()
    for (const c of new Set(conversationIds)) {
      await nextTurn()
      for (const [personId, kind, count] of this.readWeekCounts.all(workspace, monday, c) as [string, ActivityKind, number][]) {
        let kinds = sums.get(personId)
        if (!kinds) sums.set(personId, (kinds = new Map()))
        const known = kinds.get(kind)
        if (known) known.count += count
        else kinds.set(kind, { personId, kind, count })
      }
    }
    const rows: { personId: string; kind: ActivityKind; count: number }[] = []
    for (const kinds of sums.values()) for (const r of kinds.values()) rows.push(r)
    return rows
  }

  async weekActiveCount(workspace: WorkspaceId, conversationIds: string[], monday: string): Promise<number> {
    return (await this.weekActivePeople(workspace, conversationIds, monday)).size
  }

  async weekActivePeople(workspace: WorkspaceId, conversationIds: string[], monday: string): Promise<Set<string>> {
    const people = new Set<string>()
    for (const c of new Set(conversationIds)) {
      await nextTurn()
      // all(), not iterate(): a channel's week is a few thousand names, and iterate() costs twice as much per row.
      for (const p of this.readWeekActive.all(workspace, monday, c) as string[]) people.add(p)
    }
    return people
  }

  async firstSeenWeeks(workspace: WorkspaceId, conversationIds: string[], people?: Iterable<string>): Promise<Map<string, string>> {
    if (people) return this.firstSeenOf(workspace, conversationIds, people)
    const first = new Map<string, string>()
    // One channel per turn: a team of many busy channels is many short reads.
    for (const c of new Set(conversationIds)) {
      await nextTurn()
      for (const r of this.readFirstSeen.iterate(workspace, c) as Iterable<{ p: string; w: string }>) {
        const known = first.get(r.p)
        if (known === undefined || r.w < known) first.set(r.p, r.w)
      }
    }
    return first
  }

  /**
   * Each given person's first week in these conversations: the earliest of their rows (index
   * adoption_first_seen_first, migration 0022, in week order) that is in one of them, so a person
   * costs a seek and usually one row, however long the history. Batches of people per turn.
   */
  private async firstSeenOf(workspace: WorkspaceId, conversationIds: string[], people: Iterable<string>): Promise<Map<string, string>> {
    const first = new Map<string, string>()
    if (conversationIds.length === 0) return first
    // The channel test is done here, not as an IN list: SQLite would build the list anew per person.
    const team = new Set(conversationIds)
    let n = 0
    for (const p of people) {
      // A person active in many channels reads many rows before one of the team's: keep batches short.
      if (n++ % 250 === 0) await nextTurn()
      for (const r of this.readFirstSeenOf.iterate(workspace, p) as Iterable<{ w: string; c: string }>) {
        if (!team.has(r.c)) continue
        first.set(p, r.w)
        break
      }
    }
    return first
  }

  async activeCount(workspace: WorkspaceId, conversationIds: string[], fromDay: string, toDay: string): Promise<number> {
    if (conversationIds.length === 0) return 0
    const row = this.client
      .prepare(
        `select count(distinct person_id) as n from adoption_daily
         where workspace_id = ? and day >= ? and day < ? and kind != 'kudos_received' and conversation_id in (${marks(conversationIds)})`,
      )
      .get(workspace, fromDay, toDay, ...conversationIds) as { n: number }
    return row.n
  }

  async purgeBefore(cutoff: Date): Promise<number> {
    const day = cutoff.toISOString().slice(0, 10)
    const week = weekStart(cutoff)
    return this.client.transaction(() => {
      const n = this.client.prepare('delete from adoption_events where at < ?').run(cutoff.getTime()).changes
      this.client.prepare('delete from adoption_daily where day < ?').run(day)
      // Weeks wholly before the cutoff go; the week it falls in is summed again from what is left of its days.
      this.client.prepare('delete from adoption_weekly where week <= ?').run(week)
      this.client
        .prepare(
          `insert into adoption_weekly (workspace_id, week, conversation_id, person_id, kind, count)
           select workspace_id, ?, conversation_id, person_id, kind, sum(count) from adoption_daily where day >= ? and day < ?
           group by workspace_id, conversation_id, person_id, kind`,
        )
        .run(week, week, addDays(week, 7))
      // First weeks at or before the cutoff may have lost their day: take the earliest week that is left.
      this.client
        .prepare(
          `update adoption_first_seen set week = coalesce((
             select min(w.week) from adoption_weekly w
              where w.workspace_id = adoption_first_seen.workspace_id and w.person_id = adoption_first_seen.person_id
                and w.conversation_id = adoption_first_seen.conversation_id and w.kind != 'kudos_received'), '')
           where week <= ?`,
        )
        .run(week)
      this.client.prepare(`delete from adoption_first_seen where week = ''`).run()
      return n
    })()
  }

  async forgetPerson(workspace: WorkspaceId, personId: string): Promise<void> {
    this.client.transaction(() => {
      this.client.prepare('delete from adoption_events where workspace_id = ? and person_id = ?').run(workspace, personId)
      this.client.prepare('delete from adoption_daily where workspace_id = ? and person_id = ?').run(workspace, personId)
      this.client.prepare('delete from adoption_weekly where workspace_id = ? and person_id = ?').run(workspace, personId)
      this.client.prepare('delete from adoption_first_seen where workspace_id = ? and person_id = ?').run(workspace, personId)
      this.client
        .prepare('update adoption_events set target_person_id = null where workspace_id = ? and target_person_id = ?')
        .run(workspace, personId)
    })()
  }
}

/** Lets timers and I/O (Slack acks, Teams turns) run before the next synchronous read. */

function marks(xs: unknown[]): string {
  return xs.map(() => '?').join(', ')
}
