import { sql, type SQL } from 'drizzle-orm'
import type { WorkspaceId } from '../../../core/model.ts'
import type { GiverUsage, GiveWindow, KudosSource, LeaderQuery, LeaderRow, PersonTotals, WeekSummary } from '../../../core/recognition/types.ts'
import type { PgExecutor } from '../executor.ts'

/**
 * The recognition aggregates on PostgreSQL, the same queries as recognition-stats.ts for SQLite
 * (COUNT(giver_id) leaves automatic credits out of rankings by construction). Counts are cast to
 * int: node-postgres returns bigint as text.
 */
export async function usage(db: PgExecutor, w: GiveWindow): Promise<GiverUsage> {
  const today = await rows<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM kudos WHERE workspace_id = ${w.workspace} AND giver_id = ${w.giverId} AND created_at >= ${w.dayStart}`,
  )
  const week = await rows<{ id: string; n: number }>(
    db,
    sql`SELECT receiver_id AS id, count(*)::int AS n FROM kudos WHERE workspace_id = ${w.workspace} AND giver_id = ${w.giverId} AND created_at >= ${w.weekStart} GROUP BY receiver_id`,
  )
  return { today: today[0]?.n ?? 0, thisWeek: new Map(week.map((r) => [r.id, r.n])) }
}

export async function leaderboard(db: PgExecutor, q: LeaderQuery): Promise<LeaderRow[]> {
  const where: SQL[] = [sql`workspace_id = ${q.workspace}`, sql`giver_id IS NOT NULL`, seenIn(q.shownIn)]
  if (q.since) where.push(sql`created_at >= ${q.since}`)
  if (q.until) where.push(sql`created_at < ${q.until}`)
  if (q.value) where.push(sql`value = ${q.value}`)
  const ranked = await rows<{ id: string; givers: number; n: number }>(
    db,
    sql`SELECT receiver_id AS id, count(DISTINCT giver_id)::int AS givers, count(giver_id)::int AS n FROM kudos WHERE ${sql.join(where, sql` AND `)}
        GROUP BY receiver_id ORDER BY givers DESC, n DESC, receiver_id LIMIT ${q.limit}`,
  )
  const out: LeaderRow[] = []
  for (const r of ranked) {
    const [name] = await rows<{ name: string }>(
      db,
      sql`SELECT receiver_name AS name FROM kudos WHERE workspace_id = ${q.workspace} AND receiver_id = ${r.id} LIMIT 1`,
    )
    out.push({ receiverId: r.id, receiverName: name?.name ?? r.id, givers: r.givers, count: r.n })
  }
  return out
}

export async function totals(db: PgExecutor, workspace: WorkspaceId, personId: string, since?: Date): Promise<PersonTotals> {
  const from = since ?? new Date(0)
  const [got] = await rows<{ received: number; givers: number; auto: number }>(
    db,
    sql`SELECT count(giver_id)::int AS received, count(DISTINCT giver_id)::int AS givers, count(*) FILTER (WHERE kind = 'auto')::int AS auto
        FROM kudos WHERE workspace_id = ${workspace} AND receiver_id = ${personId} AND created_at >= ${from}`,
  )
  const [gave] = await rows<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM kudos WHERE workspace_id = ${workspace} AND giver_id = ${personId} AND created_at >= ${from}`,
  )
  return { received: got?.received ?? 0, receivedFrom: got?.givers ?? 0, auto: got?.auto ?? 0, given: gave?.n ?? 0 }
}

export async function weekSummary(
  db: PgExecutor,
  workspace: WorkspaceId,
  since: Date,
  until: Date,
  top: number,
  shownIn?: string,
): Promise<WeekSummary> {
  const inSpan = sql`workspace_id = ${workspace} AND created_at >= ${since} AND created_at < ${until} AND ${seenIn(shownIn)}`
  const [t] = await rows<{ total: number; givers: number }>(
    db,
    sql`SELECT count(giver_id)::int AS total, count(DISTINCT giver_id)::int AS givers FROM kudos WHERE ${inSpan}`,
  )
  const values = await rows<{ value: string; count: number }>(
    db,
    sql`SELECT value, count(*)::int AS count FROM kudos WHERE ${inSpan} AND giver_id IS NOT NULL AND value IS NOT NULL GROUP BY value ORDER BY count DESC, value`,
  )
  const auto = await rows<{ source: KudosSource; count: number; people: number }>(
    db,
    sql`SELECT source, count(*)::int AS count, count(DISTINCT receiver_id)::int AS people FROM kudos WHERE ${inSpan} AND kind = 'auto' GROUP BY source ORDER BY source`,
  )
  const leaders = await leaderboard(db, { workspace, since, until, limit: top, ...(shownIn ? { shownIn } : {}) })
  return { total: t?.total ?? 0, givers: t?.givers ?? 0, top: leaders, values, auto }
}

/** Kudos the audience of `shownIn` could see: public ones, and those given in that conversation. */
function seenIn(shownIn: string | undefined): SQL {
  return shownIn ? sql`(public OR conversation_id = ${shownIn})` : sql`public`
}

async function rows<T>(db: PgExecutor, query: SQL): Promise<T[]> {
  return (await db.execute(query)).rows as T[]
}
