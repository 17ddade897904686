import type Database from 'better-sqlite3'
import type { ActivityEvent, ActivityKind, ActivityRepository, DailyCount, Link } from '../../core/adoption/types.ts'
import type { WorkspaceId } from '../../core/model.ts'
import type { Db } from '../db.ts'

/**
 * Activity events and their daily rollup. Written with prepared statements on the raw
 * better-sqlite3 handle rather than the query builder: this is the one hot write path (every
 * message in every channel) and the bulk loader must take a million rows in seconds.
 */
export class SqliteActivityRepository implements ActivityRepository {
  private readonly client: Database.Database
  private readonly insertEvent: Database.Statement
  private readonly bumpDaily: Database.Statement
  private readonly optedOut: Database.Statement

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
  }

  private write(e: ActivityEvent): boolean {
    if (this.optedOut.get(e.workspace, e.personId)) return false
    // Opting out covers being pointed at too: a reaction or kudos to an opted-out person is counted
    // for the actor, without the link to them. (Replies link through the root's own event, which an
    // opted-out person never has.)
    const target = e.targetPersonId && !this.optedOut.get(e.workspace, e.targetPersonId) ? e.targetPersonId : null
    const day = e.at.toISOString().slice(0, 10)
    const res = this.insertEvent.run(
      e.workspace, e.conversationId, e.personId, e.kind, target, e.threadId ?? null, e.sourceKey ?? null, e.at.getTime(), day,
    )
    // A repeated sourceKey inserts nothing, and then the rollup must not move either.
    if (res.changes === 0) return false
    this.bumpDaily.run(e.workspace, day, e.personId, e.conversationId, e.kind)
    return true
  }

  async record(e: ActivityEvent): Promise<boolean> {
    return this.client.transaction(() => this.write(e))()
  }

  async recordMany(events: Iterable<ActivityEvent>): Promise<number> {
    let n = 0
    this.client.transaction(() => {
      for (const e of events) if (this.write(e)) n++
    })()
    return n
  }

  async dailyCounts(workspace: WorkspaceId, conversationIds: string[], fromDay: string, toDay: string): Promise<DailyCount[]> {
    if (conversationIds.length === 0) return []
    const rows = this.client
      .prepare(
        `select day, person_id as personId, kind, sum(count) as count from adoption_daily
         where workspace_id = ? and day >= ? and day < ? and conversation_id in (${marks(conversationIds)})
         group by day, person_id, kind`,
      )
      .all(workspace, fromDay, toDay, ...conversationIds) as { day: string; personId: string; kind: ActivityKind; count: number }[]
    return rows
  }

  async periodCounts(workspace: WorkspaceId, conversationIds: string[], fromDay: string, toDay: string): Promise<{ personId: string; kind: ActivityKind; count: number }[]> {
    if (conversationIds.length === 0) return []
    return this.client
      .prepare(
        `select person_id as personId, kind, sum(count) as count from adoption_daily
         where workspace_id = ? and day >= ? and day < ? and conversation_id in (${marks(conversationIds)})
         group by person_id, kind`,
      )
      .all(workspace, fromDay, toDay, ...conversationIds) as { personId: string; kind: ActivityKind; count: number }[]
  }

  async activePeople(workspace: WorkspaceId, conversationIds: string[], fromDay: string, toDay: string): Promise<Set<string>> {
    if (conversationIds.length === 0) return new Set()
    const rows = this.client
      .prepare(
        `select distinct person_id as p from adoption_daily
         where workspace_id = ? and day >= ? and day < ? and kind != 'kudos_received' and conversation_id in (${marks(conversationIds)})`,
      )
      .pluck()
      .all(workspace, fromDay, toDay, ...conversationIds) as string[]
    return new Set(rows)
  }

  async firstSeen(workspace: WorkspaceId, conversationIds: string[], beforeDay: string): Promise<Map<string, string>> {
    if (conversationIds.length === 0) return new Map()
    const rows = this.client
      .prepare(
        `select person_id as p, min(day) as d from adoption_daily
         where workspace_id = ? and day < ? and kind != 'kudos_received' and conversation_id in (${marks(conversationIds)})
         group by person_id`,
      )
      .all(workspace, beforeDay, ...conversationIds) as { p: string; d: string }[]
    return new Map(rows.map((r) => [r.p, r.d]))
  }

  async links(workspace: WorkspaceId, conversationIds: string[], fromDay: string, toDay: string): Promise<Link[]> {
    if (conversationIds.length === 0) return []
    const m = marks(conversationIds)
    // A reply links its author to the author of the thread's root message; kudos link giver and receiver.
    const rows = this.client
      .prepare(
        `select r.person_id as fromId, root.person_id as toId, count(*) as count
           from adoption_events r
           -- Without statistics the planner loops over every root of the workspace; CROSS JOIN keeps the
           -- week's replies as the outer loop and the thread index finds each one's root directly.
           cross join adoption_events root indexed by adoption_events_thread on root.workspace_id = r.workspace_id and root.thread_id = r.thread_id and root.kind = 'message'
          where r.workspace_id = ? and r.kind = 'reply' and r.day >= ? and r.day < ? and r.conversation_id in (${m})
            and root.person_id != r.person_id
          group by r.person_id, root.person_id
         union all
         select person_id as fromId, target_person_id as toId, count(*) as count
           from adoption_events
          where workspace_id = ? and kind = 'kudos_given' and target_person_id is not null and day >= ? and day < ? and conversation_id in (${m})
          group by person_id, target_person_id`,
      )
      .all(workspace, fromDay, toDay, ...conversationIds, workspace, fromDay, toDay, ...conversationIds) as Link[]
    return rows
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
    return this.client.transaction(() => {
      const n = this.client.prepare('delete from adoption_events where at < ?').run(cutoff.getTime()).changes
      this.client.prepare('delete from adoption_daily where day < ?').run(day)
      return n
    })()
  }

  async forgetPerson(workspace: WorkspaceId, personId: string): Promise<void> {
    this.client.transaction(() => {
      this.client.prepare('delete from adoption_events where workspace_id = ? and person_id = ?').run(workspace, personId)
      this.client.prepare('delete from adoption_daily where workspace_id = ? and person_id = ?').run(workspace, personId)
      this.client.prepare('update adoption_events set target_person_id = null where workspace_id = ? and target_person_id = ?').run(workspace, personId)
    })()
  }
}

function marks(xs: unknown[]): string {
  return xs.map(() => '?').join(', ')
}
