import { desc, eq } from 'drizzle-orm'
import type { WorkspaceId } from '../../core/model.ts'
import type {
  DigestChannel,
  GiveOutcome,
  GiverUsage,
  GiveWindow,
  Kudos,
  KudosRepository,
  LeaderQuery,
  LeaderRow,
  NewKudos,
  PersonTotals,
  WeekSummary,
} from '../../core/recognition/types.ts'
import type { Db } from '../db.ts'
import { kudos, kudosDigestChannels } from '../schema/index.ts'
import { elsewhereUsageQueries, sqliteKudosDialect, withElsewhere } from './org-kudos.ts'
import { KudosStats } from './recognition-stats.ts'
import {
  digestChannelIs,
  digestUpsert,
  digestWeekFree,
  digestWeekHeld,
  kudosOf,
  kudosRow,
  kudosWithKey,
  toDigestChannel,
  toKudos,
  unannounced,
} from './recognition-rows.ts'

/**
 * SQLite implementation of the recognition port. Checks and inserts that must agree (the
 * allowance, the per-receiver cap, natural-key idempotency) run in one synchronous
 * better-sqlite3 transaction (begun immediate), so no other writer can interleave — including the
 * same person's other accounts in an organisation, whose kudos are read in it (GiveWindow.person). Aggregates live in
 * recognition-stats.ts as prepared raw SQL.
 */
export class SqliteKudosRepository implements KudosRepository {
  private readonly stats: KudosStats

  constructor(private readonly db: Db) {
    this.stats = new KudosStats(db)
  }

  async giveChecked<R>(
    rows: NewKudos[],
    w: GiveWindow,
    check: (u: GiverUsage, fresh: NewKudos[]) => R | undefined,
    at: Date,
  ): Promise<GiveOutcome<R>> {
    return this.db.transaction(
      (tx) => {
        const duplicates: Kudos[] = []
        const fresh: NewKudos[] = []
        for (const r of rows) {
          const existing = tx
            .select()
            .from(kudos)
            .where(kudosWithKey(kudos, r.workspace, r.key))
            .get()
          if (existing) duplicates.push(toKudos(existing))
          else fresh.push(r)
        }
        if (fresh.length === 0) return { ok: true as const, inserted: [], duplicates }
        const refusal = check(this.usageIn(tx, w), fresh)
        if (refusal !== undefined) return { ok: false as const, refusal }
        const inserted = fresh.map((r) => toKudos(tx.insert(kudos).values(kudosRow(r, at)).returning().get()))
        return { ok: true as const, inserted, duplicates }
        // Immediate: the write lock is taken before the usage is read, so another process's give
        // (say, the same person on their other platform) waits rather than reading the same usage.
      },
      { behavior: 'immediate' },
    )
  }

  async credit(rows: NewKudos[], at: Date): Promise<Kudos[]> {
    if (rows.length === 0) return []
    return this.db.transaction((tx) =>
      rows.flatMap((r) => {
        const row = tx.insert(kudos).values(kudosRow(r, at)).onConflictDoNothing().returning().get()
        return row ? [toKudos(row)] : []
      }),
    )
  }

  async usage(w: GiveWindow): Promise<GiverUsage> {
    return this.usageIn(this.db, w)
  }

  /** The giver's usage; as one person of an organisation, their other accounts' kudos too. */
  private usageIn(db: Pick<Db, 'get' | 'all'>, w: GiveWindow): GiverUsage {
    const local = this.stats.usage(w)
    if (!w.person) return local
    const q = elsewhereUsageQueries({ ...w, person: w.person }, sqliteKudosDialect)
    return withElsewhere(local, q.today ? db.get<{ n: number }>(q.today).n : 0, q.week ? db.all<{ id: string; n: number }>(q.week) : [])
  }

  async leaderboard(q: LeaderQuery): Promise<LeaderRow[]> {
    return this.stats.leaderboard(q)
  }

  async totals(workspace: WorkspaceId, personId: string, since?: Date): Promise<PersonTotals> {
    return this.stats.totals(workspace, personId, since)
  }

  async recent(workspace: WorkspaceId, personId: string, role: 'received' | 'given', limit: number): Promise<Kudos[]> {
    return this.db
      .select()
      .from(kudos)
      .where(kudosOf(kudos, workspace, personId, role))
      .orderBy(desc(kudos.createdAt), desc(kudos.id))
      .limit(limit)
      .all()
      .map(toKudos)
  }

  async weekSummary(workspace: WorkspaceId, since: Date, until: Date, top: number, shownIn?: string): Promise<WeekSummary> {
    return this.stats.weekSummary(workspace, since, until, top, shownIn)
  }

  async claimAnnouncement(workspace: WorkspaceId, key: string, at: Date): Promise<boolean> {
    return (
      this.db
        .update(kudos)
        .set({ announcedAt: at })
        .where(unannounced(kudos, workspace, key))
        .run().changes === 1
    )
  }

  async releaseAnnouncement(workspace: WorkspaceId, key: string): Promise<void> {
    this.db
      .update(kudos)
      .set({ announcedAt: null })
      .where(kudosWithKey(kudos, workspace, key))
      .run()
  }

  async setDigest(workspace: WorkspaceId, conversationId: string, name: string | undefined, on: boolean, by: string, at: Date): Promise<void> {
    const t = kudosDigestChannels
    const { values, set } = digestUpsert(t, workspace, conversationId, name, on, by, at)
    this.db
      .insert(t)
      .values(values)
      .onConflictDoUpdate({ target: [t.workspaceId, t.conversationId], set })
      .run()
  }

  async digestEnabled(workspace: WorkspaceId, conversationId: string): Promise<boolean> {
    const t = kudosDigestChannels
    const row = this.db
      .select({ on: t.enabled })
      .from(t)
      .where(digestChannelIs(t, workspace, conversationId))
      .get()
    return row?.on ?? false
  }

  async digestChannels(): Promise<DigestChannel[]> {
    return this.db.select().from(kudosDigestChannels).where(eq(kudosDigestChannels.enabled, true)).all().map(toDigestChannel)
  }

  async claimDigestWeek(workspace: WorkspaceId, conversationId: string, week: string): Promise<boolean> {
    const t = kudosDigestChannels
    return (
      this.db
        .update(t)
        .set({ lastWeek: week })
        .where(digestWeekFree(t, workspace, conversationId, week))
        .run().changes === 1
    )
  }

  async releaseDigestWeek(workspace: WorkspaceId, conversationId: string, week: string, previous: string | undefined): Promise<void> {
    const t = kudosDigestChannels
    this.db
      .update(t)
      .set({ lastWeek: previous ?? null })
      .where(digestWeekHeld(t, workspace, conversationId, week))
      .run()
  }

  async removeWorkspace(workspace: WorkspaceId): Promise<number> {
    return this.db.transaction((tx) => {
      const n = tx.delete(kudos).where(eq(kudos.workspaceId, workspace)).run().changes
      tx.delete(kudosDigestChannels).where(eq(kudosDigestChannels.workspaceId, workspace)).run()
      return n
    })
  }
}
