import type { WorkspaceId } from '../../core/model.ts'
import type { GiverUsage, GiveWindow, KudosSource, LeaderQuery, LeaderRow, PersonTotals, WeekSummary } from '../../core/recognition/types.ts'
import type { Db } from '../db.ts'
import { sqliteKudosDialect as d } from './org-kudos.ts'
import {
  givenThisWeekQuery,
  givenTodayQuery,
  givenTotalQuery,
  leaderboardQuery,
  receivedTotalsQuery,
  receiverNameQuery,
  weekSummaryQueries,
} from './recognition-stats-queries.ts'

/**
 * The recognition aggregates on SQLite: the shared queries (recognition-stats-queries.ts) run
 * synchronously, so a give reads its usage inside its own immediate transaction.
 */
export class KudosStats {
  constructor(private readonly db: Db) {}

  usage(w: GiveWindow): GiverUsage {
    const today = this.db.get<{ n: number }>(givenTodayQuery(w, d))
    const week = this.db.all<{ id: string; n: number }>(givenThisWeekQuery(w, d))
    return { today: today.n, thisWeek: new Map(week.map((r) => [r.id, r.n])) }
  }

  leaderboard(q: LeaderQuery): LeaderRow[] {
    return this.db.all<{ id: string; givers: number; n: number }>(leaderboardQuery(q, d)).map((r) => ({
      receiverId: r.id,
      receiverName: this.db.get<{ name: string } | undefined>(receiverNameQuery(q.workspace, r.id))?.name ?? r.id,
      givers: r.givers,
      count: r.n,
    }))
  }

  totals(workspace: WorkspaceId, personId: string, since?: Date): PersonTotals {
    const got = this.db.get<{ received: number; givers: number; auto: number }>(receivedTotalsQuery(workspace, personId, since, d))
    const gave = this.db.get<{ n: number }>(givenTotalQuery(workspace, personId, since, d))
    return { received: got.received, receivedFrom: got.givers, auto: got.auto, given: gave.n }
  }

  weekSummary(workspace: WorkspaceId, since: Date, until: Date, top: number, shownIn?: string): WeekSummary {
    const q = weekSummaryQueries(workspace, since, until, shownIn, d)
    const totals = this.db.get<{ total: number; givers: number }>(q.totals)
    return {
      total: totals.total,
      givers: totals.givers,
      top: this.leaderboard({ workspace, since, until, limit: top, ...(shownIn ? { shownIn } : {}) }),
      values: this.db.all<{ value: string; count: number }>(q.values),
      auto: this.db.all<{ source: KudosSource; count: number; people: number }>(q.auto),
    }
  }
}
