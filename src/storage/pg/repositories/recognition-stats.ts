import type { SQL } from 'drizzle-orm'
import type { WorkspaceId } from '../../../core/model.ts'
import type { GiverUsage, GiveWindow, KudosSource, LeaderQuery, LeaderRow, PersonTotals, WeekSummary } from '../../../core/recognition/types.ts'
import {
  givenThisWeekQuery,
  givenTodayQuery,
  givenTotalQuery,
  leaderboardQuery,
  receivedTotalsQuery,
  receiverNameQuery,
  weekSummaryQueries,
} from '../../repositories/recognition-stats-queries.ts'
import type { PgExecutor } from '../executor.ts'
import { pgKudosDialect as d } from './org-kudos.ts'

/** The recognition aggregates on PostgreSQL: the queries SQLite runs (recognition-stats-queries.ts), in this dialect. */
export async function usage(db: PgExecutor, w: GiveWindow): Promise<GiverUsage> {
  const [today] = await rows<{ n: number }>(db, givenTodayQuery(w, d))
  const week = await rows<{ id: string; n: number }>(db, givenThisWeekQuery(w, d))
  return { today: today?.n ?? 0, thisWeek: new Map(week.map((r) => [r.id, r.n])) }
}

export async function leaderboard(db: PgExecutor, q: LeaderQuery): Promise<LeaderRow[]> {
  const out: LeaderRow[] = []
  for (const r of await rows<{ id: string; givers: number; n: number }>(db, leaderboardQuery(q, d))) {
    const [name] = await rows<{ name: string }>(db, receiverNameQuery(q.workspace, r.id))
    out.push({ receiverId: r.id, receiverName: name?.name ?? r.id, givers: r.givers, count: r.n })
  }
  return out
}

export async function totals(db: PgExecutor, workspace: WorkspaceId, personId: string, since?: Date): Promise<PersonTotals> {
  const [got] = await rows<{ received: number; givers: number; auto: number }>(db, receivedTotalsQuery(workspace, personId, since, d))
  const [gave] = await rows<{ n: number }>(db, givenTotalQuery(workspace, personId, since, d))
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
  const q = weekSummaryQueries(workspace, since, until, shownIn, d)
  const [t] = await rows<{ total: number; givers: number }>(db, q.totals)
  const values = await rows<{ value: string; count: number }>(db, q.values)
  const auto = await rows<{ source: KudosSource; count: number; people: number }>(db, q.auto)
  const leaders = await leaderboard(db, { workspace, since, until, limit: top, ...(shownIn ? { shownIn } : {}) })
  return { total: t?.total ?? 0, givers: t?.givers ?? 0, top: leaders, values, auto }
}

async function rows<T>(db: PgExecutor, query: SQL): Promise<T[]> {
  return (await db.execute(query)).rows as T[]
}
