import { and, desc, eq, isNotNull, isNull, or, sql } from 'drizzle-orm'
import type { WorkspaceId } from '../../core/model.ts'
import type {
  DigestChannel,
  GiveOutcome,
  GiverUsage,
  GiveWindow,
  Kudos,
  KudosRepository,
  KudosSource,
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

type Row = typeof kudos.$inferSelect

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
            .where(and(eq(kudos.workspaceId, r.workspace), eq(kudos.dedupeKey, r.key)))
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
    const who = role === 'received' ? eq(kudos.receiverId, personId) : and(eq(kudos.giverId, personId), isNotNull(kudos.giverId))
    return this.db
      .select()
      .from(kudos)
      .where(and(eq(kudos.workspaceId, workspace), who))
      .orderBy(desc(kudos.createdAt), desc(kudos.id))
      .limit(limit)
      .all()
      .map(toKudos)
  }

  async weekSummary(workspace: WorkspaceId, since: Date, until: Date, top: number, shownIn?: string): Promise<WeekSummary> {
    return this.stats.weekSummary(workspace, since, until, top, shownIn)
  }

  async claimAnnouncement(workspace: WorkspaceId, key: string, at: Date): Promise<boolean> {
    const res = this.db
      .update(kudos)
      .set({ announcedAt: at })
      .where(and(eq(kudos.workspaceId, workspace), eq(kudos.dedupeKey, key), isNull(kudos.announcedAt)))
      .run()
    return res.changes === 1
  }

  async releaseAnnouncement(workspace: WorkspaceId, key: string): Promise<void> {
    this.db
      .update(kudos)
      .set({ announcedAt: null })
      .where(and(eq(kudos.workspaceId, workspace), eq(kudos.dedupeKey, key)))
      .run()
  }

  async setDigest(workspace: WorkspaceId, conversationId: string, name: string | undefined, on: boolean, by: string, at: Date): Promise<void> {
    const t = kudosDigestChannels
    const values = { workspaceId: workspace, conversationId, conversationName: name ?? null, enabled: on, changedBy: by, updatedAt: at }
    this.db
      .insert(t)
      .values(values)
      .onConflictDoUpdate({
        target: [t.workspaceId, t.conversationId],
        set: { enabled: on, changedBy: by, updatedAt: at, conversationName: sql`coalesce(excluded.conversation_name, ${t.conversationName})` },
      })
      .run()
  }

  async digestEnabled(workspace: WorkspaceId, conversationId: string): Promise<boolean> {
    const t = kudosDigestChannels
    const row = this.db
      .select({ on: t.enabled })
      .from(t)
      .where(and(eq(t.workspaceId, workspace), eq(t.conversationId, conversationId)))
      .get()
    return row?.on ?? false
  }

  async digestChannels(): Promise<DigestChannel[]> {
    const t = kudosDigestChannels
    return this.db
      .select()
      .from(t)
      .where(eq(t.enabled, true))
      .all()
      .map((r) => ({
        workspace: r.workspaceId,
        conversationId: r.conversationId,
        ...(r.conversationName ? { conversationName: r.conversationName } : {}),
        ...(r.lastWeek ? { lastWeek: r.lastWeek } : {}),
      }))
  }

  async claimDigestWeek(workspace: WorkspaceId, conversationId: string, week: string): Promise<boolean> {
    const t = kudosDigestChannels
    // A conditional update is atomic across processes: exactly one caller moves the week forward.
    const res = this.db
      .update(t)
      .set({ lastWeek: week })
      .where(
        and(
          eq(t.workspaceId, workspace),
          eq(t.conversationId, conversationId),
          eq(t.enabled, true),
          or(isNull(t.lastWeek), sql`${t.lastWeek} <> ${week}`),
        ),
      )
      .run()
    return res.changes === 1
  }

  async releaseDigestWeek(workspace: WorkspaceId, conversationId: string, week: string, previous: string | undefined): Promise<void> {
    const t = kudosDigestChannels
    this.db
      .update(t)
      .set({ lastWeek: previous ?? null })
      .where(and(eq(t.workspaceId, workspace), eq(t.conversationId, conversationId), eq(t.lastWeek, week)))
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

export function kudosRow(r: NewKudos, at: Date): typeof kudos.$inferInsert {
  return {
    workspaceId: r.workspace,
    kind: r.kind,
    source: r.source,
    giverId: r.giverId ?? null,
    giverName: r.giverName ?? null,
    receiverId: r.receiverId,
    receiverName: r.receiverName,
    reason: r.reason,
    value: r.value ?? null,
    conversationId: r.conversationId ?? null,
    isPublic: r.isPublic === true,
    dedupeKey: r.key,
    createdAt: at,
  }
}

export function toKudos(r: Row): Kudos {
  return {
    id: r.id,
    workspace: r.workspaceId,
    kind: r.kind,
    source: r.source as KudosSource,
    ...(r.giverId ? { giverId: r.giverId } : {}),
    ...(r.giverName ? { giverName: r.giverName } : {}),
    receiverId: r.receiverId,
    receiverName: r.receiverName,
    reason: r.reason,
    ...(r.value ? { value: r.value } : {}),
    ...(r.conversationId ? { conversationId: r.conversationId } : {}),
    isPublic: r.isPublic,
    key: r.dedupeKey,
    createdAt: r.createdAt,
  }
}
