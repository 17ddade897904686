import { sql, type SQL } from 'drizzle-orm'
import type { ActivityEvent, ActivityKind, ActivityRepository, ChannelLink, Link } from '../../../core/adoption/types.ts'
import { teamLinks } from '../../../core/adoption/links.ts'
import { addDays, weekStart } from '../../../core/time/iso-weeks.ts'
import type { WorkspaceId } from '../../../core/model.ts'
import type { PgDb } from '../db.ts'
import type { PgExecutor } from '../executor.ts'
import { AFTER_ACK, type TurnBatch, turnBatch } from '../turn-batch.ts'
import { writeEvents } from './adoption-activity-batch.ts'

/** Events per statement of `recordMany` (its arrays are sent as parameters). */
const RECORD_CHUNK = 10_000

/**
 * Activity events and their rollups (daily, weekly, first week seen) on PostgreSQL: the same
 * rules as adoption-activity.ts for SQLite. An event and its rollup bumps are one statement,
 * and a repeated source key inserts nothing, so the rollups move once per event on any number of
 * processes (the upserts' row locks serialise concurrent bumps of one counter). Reads are single
 * queries: PostgreSQL answers asynchronously, so there is no event loop to yield to between channels.
 * Writes: adoption-activity-batch.ts, batched per turn (../turn-batch.ts).
 */
export class PgActivityRepository implements ActivityRepository {
  private readonly records: TurnBatch<ActivityEvent, boolean>

  constructor(private readonly db: PgDb) {
    // Recorded after the ack (a delivery's work): it may wait for its neighbours (AFTER_ACK).
    this.records = turnBatch(db.$client, 'adoption.record', (events: ActivityEvent[]) => writeEvents(db.$client, events, true), AFTER_ACK)
  }

  /** Resolves once committed, with the events of the same turn (one statement for all of them). */
  record(e: ActivityEvent): Promise<boolean> {
    return this.records.add(e)
  }

  /** All or nothing, in statements of RECORD_CHUNK events. */
  async recordMany(events: Iterable<ActivityEvent>): Promise<number> {
    const all = [...events]
    const client = await this.db.$client.connect()
    try {
      await client.query('BEGIN')
      let n = 0
      for (let i = 0; i < all.length; i += RECORD_CHUNK) {
        n += (await writeEvents(client, all.slice(i, i + RECORD_CHUNK), false)).filter(Boolean).length
      }
      await client.query('COMMIT')
      return n
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined)
      throw err
    } finally {
      client.release()
    }
  }

  async links(workspace: WorkspaceId, conversationIds: string[], fromDay: string, toDay: string): Promise<Link[]> {
    if (conversationIds.length === 0) return []
    return teamLinks(await this.readLinks(workspace, fromDay, toDay, sql` AND conversation_id IN ${list(conversationIds)}`), conversationIds)
  }

  async channelLinks(workspace: WorkspaceId, fromDay: string, toDay: string): Promise<ChannelLink[]> {
    return this.readLinks(workspace, fromDay, toDay, sql``)
  }

  /** Links per conversation and pair; `only` narrows the conversations (column conversation_id of either side). */
  private readLinks(workspace: WorkspaceId, fromDay: string, toDay: string, only: SQL): Promise<ChannelLink[]> {
    // A reply links its author to the author of the thread's root message; kudos link giver and receiver.
    return all<ChannelLink>(
      this.db,
      sql`SELECT r.conversation_id AS "conversationId", r.person_id AS "fromId", root.person_id AS "toId", count(*)::int AS count
            FROM (SELECT * FROM adoption_events
                   WHERE workspace_id = ${workspace} AND kind = 'reply' AND day >= ${fromDay} AND day < ${toDay}${only}) r
            JOIN adoption_events root ON root.workspace_id = r.workspace_id AND root.thread_id = r.thread_id AND root.kind = 'message'
           WHERE root.person_id <> r.person_id
           GROUP BY r.conversation_id, r.person_id, root.person_id
          UNION ALL
          SELECT conversation_id, person_id, target_person_id, count(*)::int
            FROM adoption_events
           WHERE workspace_id = ${workspace} AND kind = 'kudos_given' AND target_person_id IS NOT NULL AND day >= ${fromDay} AND day < ${toDay}${only}
           GROUP BY conversation_id, person_id, target_person_id`,
    )
  }

  async weekCounts(
    workspace: WorkspaceId,
    conversationIds: string[],
    monday: string,
  ): Promise<{ personId: string; kind: ActivityKind; count: number }[]> {
    if (conversationIds.length === 0) return []
    return all(
      this.db,
      sql`SELECT person_id AS "personId", kind, sum(count)::int AS count FROM adoption_weekly
           WHERE workspace_id = ${workspace} AND week = ${monday} AND conversation_id IN ${list(conversationIds)} GROUP BY person_id, kind`,
    )
  }

  async weekActiveCount(workspace: WorkspaceId, conversationIds: string[], monday: string): Promise<number> {
    if (conversationIds.length === 0) return 0
    const [row] = await all<{ n: number }>(
      this.db,
      sql`SELECT count(DISTINCT person_id)::int AS n FROM adoption_weekly
           WHERE workspace_id = ${workspace} AND week = ${monday} AND conversation_id IN ${list(conversationIds)} AND kind <> 'kudos_received'`,
    )
    return row?.n ?? 0
  }

  async firstSeenWeeks(workspace: WorkspaceId, conversationIds: string[]): Promise<Map<string, string>> {
    if (conversationIds.length === 0) return new Map()
    const rows = await all<{ p: string; w: string }>(
      this.db,
      sql`SELECT person_id AS p, min(week) AS w FROM adoption_first_seen
           WHERE workspace_id = ${workspace} AND conversation_id IN ${list(conversationIds)} GROUP BY person_id`,
    )
    return new Map(rows.map((r) => [r.p, r.w]))
  }

  async activeCount(workspace: WorkspaceId, conversationIds: string[], fromDay: string, toDay: string): Promise<number> {
    if (conversationIds.length === 0) return 0
    const [row] = await all<{ n: number }>(
      this.db,
      sql`SELECT count(DISTINCT person_id)::int AS n FROM adoption_daily
           WHERE workspace_id = ${workspace} AND day >= ${fromDay} AND day < ${toDay} AND kind <> 'kudos_received'
             AND conversation_id IN ${list(conversationIds)}`,
    )
    return row?.n ?? 0
  }

  async purgeBefore(cutoff: Date): Promise<number> {
    const day = cutoff.toISOString().slice(0, 10)
    const week = weekStart(cutoff)
    return this.db.transaction(async (tx) => {
      const n = (await tx.execute(sql`DELETE FROM adoption_events WHERE at < ${cutoff}`)).rowCount ?? 0
      await tx.execute(sql`DELETE FROM adoption_daily WHERE day < ${day}`)
      // Weeks wholly before the cutoff go; the week it falls in is summed again from what is left of its days.
      await tx.execute(sql`DELETE FROM adoption_weekly WHERE week <= ${week}`)
      await tx.execute(sql`INSERT INTO adoption_weekly (workspace_id, week, conversation_id, person_id, kind, count)
        SELECT workspace_id, ${week}, conversation_id, person_id, kind, sum(count) FROM adoption_daily
         WHERE day >= ${week} AND day < ${addDays(week, 7)}
         GROUP BY workspace_id, conversation_id, person_id, kind`)
      // First weeks at or before the cutoff may have lost their day: take the earliest week that is left.
      await tx.execute(sql`UPDATE adoption_first_seen f SET week = coalesce((
          SELECT min(w.week) FROM adoption_weekly w
           WHERE w.workspace_id = f.workspace_id AND w.person_id = f.person_id AND w.conversation_id = f.conversation_id
             AND w.kind <> 'kudos_received'), '')
        WHERE f.week <= ${week}`)
      await tx.execute(sql`DELETE FROM adoption_first_seen WHERE week = ''`)
      return n
    })
  }

  async forgetPerson(workspace: WorkspaceId, personId: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      for (const table of ['adoption_events', 'adoption_daily', 'adoption_weekly', 'adoption_first_seen']) {
        await tx.execute(sql`DELETE FROM ${sql.identifier(table)} WHERE workspace_id = ${workspace} AND person_id = ${personId}`)
      }
      await tx.execute(sql`UPDATE adoption_events SET target_person_id = NULL WHERE workspace_id = ${workspace} AND target_person_id = ${personId}`)
    })
  }
}

function list(xs: string[]): SQL {
  return sql`(${sql.join(
    [...new Set(xs)].map((x) => sql`${x}`),
    sql`, `,
  )})`
}

async function all<T>(db: PgExecutor, query: SQL): Promise<T[]> {
  return (await db.execute(query)).rows as T[]
}
