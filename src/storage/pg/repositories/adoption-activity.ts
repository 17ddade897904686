import { sql, type SQL } from 'drizzle-orm'
import type { ActivityEvent, ActivityKind, ActivityRepository, ChannelLink, Link } from '../../../core/adoption/types.ts'
import { teamLinks } from '../../../core/adoption/links.ts'
import { addDays, weekStart } from '../../../core/time/iso-weeks.ts'
import type { WorkspaceId } from '../../../core/model.ts'
import type { PgDb } from '../db.ts'
import type { PgExecutor } from '../executor.ts'
import { type AfterAck, afterAckBatch } from '../after-ack.ts'
import type { TurnBatch } from '../turn-batch.ts'
import { writeEvents } from './adoption-activity-batch.ts'
import { PASSIVE_KINDS } from '../../../core/adoption/types.ts'

/** Events per statement of `recordMany` (its arrays are sent as parameters). */
const RECORD_CHUNK = 10_000
const PASSIVE = [...PASSIVE_KINDS]

/**
 * Activity events and their rollups (daily, weekly, first week seen) on PostgreSQL: the same
 * rules as adoption-activity.ts for SQLite. An event and its rollup bumps are one statement,
 * and a repeated source key inserts nothing, so the rollups move once per event on any number of
 * processes (the upserts' row locks serialise concurrent bumps of one counter). Reads are single
 * queries: PostgreSQL answers asynchronously, so there is no event loop to yield to between channels.
 * Writes: adoption-activity-batch.ts, batched per turn (../turn-batch.ts).
 */
export class PgActivityRepository implements ActivityRepository {
  private readonly afterAck: TurnBatch<AfterAck, boolean>

  constructor(private readonly db: PgDb) {
    // Recorded after the ack (a delivery's work): it may wait for its neighbours, and goes out with the inbox finishes (../after-ack.ts).
    this.afterAck = afterAckBatch(db.$client)
  }

  /** Resolves once committed, with the events (and inbox finishes) gathered with it: one statement for all of them. */
  record(e: ActivityEvent): Promise<boolean> {
    return this.afterAck.add({ kind: 'record', event: e })
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
    // The window's replies and kudos are read in one pass over its events (materialised: both halves use it),
    // and each reply's root author comes from the thread index alone (kind and person in it, migration 0006).
    // The materialised CTE also keeps the plan a loop over the window's replies: flattened, the planner may
    // hash-join them against every root message of the history, a cost that grows with all history.
    return all<ChannelLink>(
      this.db,
      sql`WITH w AS MATERIALIZED (
            SELECT workspace_id, conversation_id, person_id, kind, thread_id, target_person_id FROM adoption_events
             WHERE workspace_id = ${workspace} AND kind IN ('reply', 'kudos_given') AND day >= ${fromDay} AND day < ${toDay}${only})
          SELECT r.conversation_id AS "conversationId", r.person_id AS "fromId", root.person_id AS "toId", count(*)::int AS count
            FROM w r
            JOIN adoption_events root ON root.workspace_id = r.workspace_id AND root.thread_id = r.thread_id AND root.kind = 'message'
           WHERE r.kind = 'reply' AND root.person_id <> r.person_id
           GROUP BY r.conversation_id, r.person_id, root.person_id
          UNION ALL
          SELECT conversation_id, person_id, target_person_id, count(*)::int
            FROM w
           WHERE kind = 'kudos_given' AND target_person_id IS NOT NULL
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

  /** Read from the primary key alone (it holds person and kind): the week's rows of the team's channels, no counts. */
  async weekActivePeople(workspace: WorkspaceId, conversationIds: string[], monday: string): Promise<Set<string>> {
    if (conversationIds.length === 0) return new Set()
    const { rows } = await this.db.$client.query<{ p: string }>({
      name: 'beacon_adoption_week_active',
      text: `SELECT DISTINCT person_id AS p FROM adoption_weekly
              WHERE workspace_id = $1 AND week = $2 AND conversation_id = ANY($3::text[]) AND kind <> ALL($4::text[])`,
      values: [workspace, monday, [...new Set(conversationIds)], PASSIVE],
    })
    return new Set(rows.map((r) => r.p))
  }

  async firstSeenWeeks(workspace: WorkspaceId, conversationIds: string[], people?: Iterable<string>): Promise<Map<string, string>> {
    if (conversationIds.length === 0) return new Map()
    const channels = [...new Set(conversationIds)]
    if (people) {
      // Each person's rows in week order (index adoption_first_seen_first, migration 0006): the first in one of
      // the team's channels is their first week there, so a person costs a seek, however long the history.
      const { rows } = await this.db.$client.query<{ p: string; w: string }>({
        name: 'beacon_adoption_first_seen_of',
        text: `SELECT p.id AS p, f.week AS w FROM unnest($2::text[]) AS p(id)
                 CROSS JOIN LATERAL (SELECT week FROM adoption_first_seen
                                      WHERE workspace_id = $1 AND person_id = p.id AND conversation_id = ANY($3::text[])
                                      ORDER BY week LIMIT 1) f`,
        values: [workspace, [...new Set(people)], channels],
      })
      return new Map(rows.map((r) => [r.p, r.w]))
    }
    const { rows } = await this.db.$client.query<{ p: string; w: string }>({
      name: 'beacon_adoption_first_seen',
      text: `SELECT person_id AS p, min(week) AS w FROM adoption_first_seen
              WHERE workspace_id = $1 AND conversation_id = ANY($2::text[]) GROUP BY person_id`,
      values: [workspace, channels],
    })
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
