import { desc, eq, sql } from 'drizzle-orm'
import type { WorkspaceId } from '../../../core/model.ts'
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
} from '../../../core/recognition/types.ts'
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
} from '../../repositories/recognition-rows.ts'
import type { PgDb } from '../db.ts'
import { kudos, kudosDigestChannels } from '../schema/recognition.ts'
import { elsewhereUsageQueries, withElsewhere } from '../../repositories/org-kudos.ts'
import type { PgExecutor } from '../executor.ts'
import { pgKudosDialect } from './org-kudos.ts'
import * as stats from './recognition-stats.ts'

/** The giver's usage; as one person of an organisation, their other accounts' kudos too (org-kudos.ts). */
async function usageIn(db: PgExecutor, w: GiveWindow): Promise<GiverUsage> {
  const local = await stats.usage(db, w)
  if (!w.person) return local
  const q = elsewhereUsageQueries({ ...w, person: w.person }, pgKudosDialect)
  const today = q.today ? (((await db.execute(q.today)).rows[0] as { n: number } | undefined)?.n ?? 0) : 0
  const week = q.week ? ((await db.execute(q.week)).rows as { id: string; n: number }[]) : []
  return withElsewhere(local, today, week)
}

/**
 * PostgreSQL implementation of the recognition port. What SQLite gets from its single writer, a
 * give gets here from a transaction-scoped advisory lock on (workspace, giver) — on the person, for
 * one linked into an organisation (GiveWindow.person): two gives by the same person on two
 * processes take turns, so the allowance and per-receiver cap are checked against everything
 * already given. Other givers never wait.
 */
export class PgKudosRepository implements KudosRepository {
  constructor(private readonly db: PgDb) {}

  async giveChecked<R>(
    rows: NewKudos[],
    w: GiveWindow,
    check: (u: GiverUsage, fresh: NewKudos[]) => R | undefined,
    at: Date,
  ): Promise<GiveOutcome<R>> {
    return this.db.transaction(async (tx) => {
      // One person across an organisation takes one lock, whichever account gives.
      const lock = w.person ? ['kudos-person', w.person.lockKey] : ['kudos', w.workspace, w.giverId]
      await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${JSON.stringify(lock)}, 0))`)
      const duplicates: Kudos[] = []
      const fresh: NewKudos[] = []
      for (const r of rows) {
        const [existing] = await tx
          .select()
          .from(kudos)
          .where(kudosWithKey(kudos, r.workspace, r.key))
        if (existing) duplicates.push(toKudos(existing))
        else fresh.push(r)
      }
      if (fresh.length === 0) return { ok: true as const, inserted: [], duplicates }
      const refusal = check(await usageIn(tx, w), fresh)
      if (refusal !== undefined) return { ok: false as const, refusal }
      const inserted: Kudos[] = []
      for (const r of fresh) {
        // A concurrent automatic credit may have taken the key meanwhile: then it is a duplicate.
        const [row] = await tx.insert(kudos).values(kudosRow(r, at)).onConflictDoNothing().returning()
        if (row) inserted.push(toKudos(row))
      }
      return { ok: true as const, inserted, duplicates }
    })
  }

  async credit(rows: NewKudos[], at: Date): Promise<Kudos[]> {
    if (rows.length === 0) return []
    return this.db.transaction(async (tx) => {
      const out: Kudos[] = []
      for (const r of rows) {
        const [row] = await tx.insert(kudos).values(kudosRow(r, at)).onConflictDoNothing().returning()
        if (row) out.push(toKudos(row))
      }
      return out
    })
  }

  usage(w: GiveWindow): Promise<GiverUsage> {
    return usageIn(this.db, w)
  }

  leaderboard(q: LeaderQuery): Promise<LeaderRow[]> {
    return stats.leaderboard(this.db, q)
  }

  totals(workspace: WorkspaceId, personId: string, since?: Date): Promise<PersonTotals> {
    return stats.totals(this.db, workspace, personId, since)
  }

  async recent(workspace: WorkspaceId, personId: string, role: 'received' | 'given', limit: number): Promise<Kudos[]> {
    const rows = await this.db
      .select()
      .from(kudos)
      .where(kudosOf(kudos, workspace, personId, role))
      .orderBy(desc(kudos.createdAt), desc(kudos.id))
      .limit(limit)
    return rows.map(toKudos)
  }

  weekSummary(workspace: WorkspaceId, since: Date, until: Date, top: number, shownIn?: string): Promise<WeekSummary> {
    return stats.weekSummary(this.db, workspace, since, until, top, shownIn)
  }

  async claimAnnouncement(workspace: WorkspaceId, key: string, at: Date): Promise<boolean> {
    const res = await this.db
      .update(kudos)
      .set({ announcedAt: at })
      .where(unannounced(kudos, workspace, key))
    return res.rowCount === 1
  }

  async releaseAnnouncement(workspace: WorkspaceId, key: string): Promise<void> {
    await this.db
      .update(kudos)
      .set({ announcedAt: null })
      .where(kudosWithKey(kudos, workspace, key))
  }

  async setDigest(workspace: WorkspaceId, conversationId: string, name: string | undefined, on: boolean, by: string, at: Date): Promise<void> {
    const t = kudosDigestChannels
    const { values, set } = digestUpsert(t, workspace, conversationId, name, on, by, at)
    await this.db
      .insert(t)
      .values(values)
      .onConflictDoUpdate({ target: [t.workspaceId, t.conversationId], set })
  }

  async digestEnabled(workspace: WorkspaceId, conversationId: string): Promise<boolean> {
    const t = kudosDigestChannels
    const [row] = await this.db
      .select({ on: t.enabled })
      .from(t)
      .where(digestChannelIs(t, workspace, conversationId))
    return row?.on ?? false
  }

  async digestChannels(): Promise<DigestChannel[]> {
    const rows = await this.db.select().from(kudosDigestChannels).where(eq(kudosDigestChannels.enabled, true))
    return rows.map(toDigestChannel)
  }

  async claimDigestWeek(workspace: WorkspaceId, conversationId: string, week: string): Promise<boolean> {
    const t = kudosDigestChannels
    const res = await this.db
      .update(t)
      .set({ lastWeek: week })
      .where(digestWeekFree(t, workspace, conversationId, week))
    return res.rowCount === 1
  }

  async releaseDigestWeek(workspace: WorkspaceId, conversationId: string, week: string, previous: string | undefined): Promise<void> {
    const t = kudosDigestChannels
    await this.db
      .update(t)
      .set({ lastWeek: previous ?? null })
      .where(digestWeekHeld(t, workspace, conversationId, week))
  }

  async removeWorkspace(workspace: WorkspaceId): Promise<number> {
    return this.db.transaction(async (tx) => {
      const res = await tx.delete(kudos).where(eq(kudos.workspaceId, workspace))
      await tx.delete(kudosDigestChannels).where(eq(kudosDigestChannels.workspaceId, workspace))
      return res.rowCount ?? 0
    })
  }
}
