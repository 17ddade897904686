/**
 * The recognition aggregates as dialect-neutral SQL, run by both kudos stores (recognition-stats.ts
 * on SQLite, pg/repositories/recognition-stats.ts on PostgreSQL); the dialect (org-kudos.ts) says
 * how each binds times, reads counts and the `public` column. Only people-given kudos have a giver,
 * so COUNT(k.giver_id) / COUNT(DISTINCT k.giver_id) leave automatic credits out of rankings by
 * construction.
 */
import { sql, type SQL } from 'drizzle-orm'
import type { WorkspaceId } from '../../core/model.ts'
import type { GiveWindow, LeaderQuery } from '../../core/recognition/types.ts'
import type { KudosDialect } from './org-kudos.ts'

/** How many kudos the giver gave today (rows of `{ n }`). */
export function givenTodayQuery(w: GiveWindow, d: KudosDialect): SQL {
  return sql`SELECT ${d.int(sql`COUNT(*)`)} AS n FROM kudos k
             WHERE k.workspace_id = ${w.workspace} AND k.giver_id = ${w.giverId} AND k.created_at >= ${d.time(w.dayStart)}`
}

/** What the giver gave each receiver this week (rows of `{ id, n }`). */
export function givenThisWeekQuery(w: GiveWindow, d: KudosDialect): SQL {
  return sql`SELECT k.receiver_id AS id, ${d.int(sql`COUNT(*)`)} AS n FROM kudos k
             WHERE k.workspace_id = ${w.workspace} AND k.giver_id = ${w.giverId} AND k.created_at >= ${d.time(w.weekStart)}
             GROUP BY k.receiver_id`
}

/** The ranking, distinct givers then count (rows of `{ id, givers, n }`); names come from `receiverNameQuery`. */
export function leaderboardQuery(q: LeaderQuery, d: KudosDialect): SQL {
  const where: SQL[] = [sql`k.workspace_id = ${q.workspace}`, sql`k.giver_id IS NOT NULL`, seenIn(q.shownIn, d)]
  if (q.since) where.push(sql`k.created_at >= ${d.time(q.since)}`)
  if (q.until) where.push(sql`k.created_at < ${d.time(q.until)}`)
  if (q.value) where.push(sql`k.value = ${q.value}`)
  return sql`SELECT k.receiver_id AS id, ${d.int(sql`COUNT(DISTINCT k.giver_id)`)} AS givers, ${d.int(sql`COUNT(k.giver_id)`)} AS n
             FROM kudos k ${q.since ? d.byCreatedAt : sql``} WHERE ${sql.join(where, sql` AND `)}
             GROUP BY k.receiver_id ORDER BY givers DESC, n DESC, k.receiver_id LIMIT ${q.limit}`
}

/** A receiver's name from any one of their rows: one index probe, not a scan of a popular person's thousands. */
export function receiverNameQuery(workspace: WorkspaceId, receiverId: string): SQL {
  return sql`SELECT receiver_name AS name FROM kudos WHERE workspace_id = ${workspace} AND receiver_id = ${receiverId} LIMIT 1`
}

/** A person's kudos received (and from how many people), automatic credits (rows of `{ received, givers, auto }`). */
export function receivedTotalsQuery(workspace: WorkspaceId, personId: string, since: Date | undefined, d: KudosDialect): SQL {
  return sql`SELECT ${d.int(sql`COUNT(k.giver_id)`)} AS received, ${d.int(sql`COUNT(DISTINCT k.giver_id)`)} AS givers,
                    ${d.int(sql`COUNT(CASE WHEN k.kind = 'auto' THEN 1 END)`)} AS auto
             FROM kudos k WHERE k.workspace_id = ${workspace} AND k.receiver_id = ${personId} AND k.created_at >= ${d.time(since ?? new Date(0))}`
}

/** How many kudos the person gave (rows of `{ n }`). */
export function givenTotalQuery(workspace: WorkspaceId, personId: string, since: Date | undefined, d: KudosDialect): SQL {
  return sql`SELECT ${d.int(sql`COUNT(*)`)} AS n FROM kudos k
             WHERE k.workspace_id = ${workspace} AND k.giver_id = ${personId} AND k.created_at >= ${d.time(since ?? new Date(0))}`
}

/**
 * A week's digest, without its leaderboard: totals (`{ total, givers }`), values
 * (`{ value, count }`), automatic credits (`{ source, count, people }`).
 */
export function weekSummaryQueries(workspace: WorkspaceId, since: Date, until: Date, shownIn: string | undefined, d: KudosDialect) {
  const inSpan = sql`k.workspace_id = ${workspace} AND k.created_at >= ${d.time(since)} AND k.created_at < ${d.time(until)} AND ${seenIn(shownIn, d)}`
  return {
    totals: sql`SELECT ${d.int(sql`COUNT(k.giver_id)`)} AS total, ${d.int(sql`COUNT(DISTINCT k.giver_id)`)} AS givers FROM kudos k WHERE ${inSpan}`,
    values: sql`SELECT k.value AS value, ${d.int(sql`COUNT(*)`)} AS count FROM kudos k
                WHERE ${inSpan} AND k.giver_id IS NOT NULL AND k.value IS NOT NULL GROUP BY k.value ORDER BY count DESC, k.value`,
    auto: sql`SELECT k.source AS source, ${d.int(sql`COUNT(*)`)} AS count, ${d.int(sql`COUNT(DISTINCT k.receiver_id)`)} AS people FROM kudos k
              WHERE ${inSpan} AND k.kind = 'auto' GROUP BY k.source ORDER BY k.source`,
  }
}

/** Kudos the audience of `shownIn` could see: public ones, and those given in that conversation. */
function seenIn(shownIn: string | undefined, d: KudosDialect): SQL {
  return shownIn ? sql`(${d.isPublic} OR k.conversation_id = ${shownIn})` : d.isPublic
}
