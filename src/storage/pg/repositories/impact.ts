import { and, eq, inArray, isNotNull, isNull, lt, lte, ne, or, sql } from 'drizzle-orm'
import {
  type ImpactEvent,
  type ImpactKind,
  type ImpactRepository,
  type ImpactRow,
  type OpenQuestion,
  pairKey,
  type Sponsor,
  type SponsorRepository,
} from '../../../core/impact/types.ts'
import type { WorkspaceId } from '../../../core/model.ts'
import { answered, impactEventRow, orderedPairs, toSponsor } from '../../repositories/impact.ts'
import type { PgDb } from '../db.ts'
import { impactDigestClaims, impactEvents, impactPairs, impactPairWeeks, impactQuestions, impactSponsors } from '../schema/impact.ts'

/** Pairs per insert statement: five parameters each, well under PostgreSQL's 65,535. */
const PAIR_BATCH = 1000

/**
 * Impact events, questions and first connections on PostgreSQL, the same statements as the SQLite
 * twin. Every "once" is a unique key (an event's source key, a question's thread, a pair) or a
 * conditional update, so any number of processes may report the same thing: one row, one answer.
 */
export class PgImpactRepository implements ImpactRepository {
  constructor(private readonly db: PgDb) {}

  async record(e: ImpactEvent): Promise<boolean> {
    const rows = await this.db.insert(impactEvents).values(impactEventRow(e)).onConflictDoNothing().returning({ id: impactEvents.id })
    return rows.length === 1
  }

  async weekEvents(workspace: WorkspaceId, conversationIds: string[], monday: string): Promise<ImpactRow[]> {
    if (conversationIds.length === 0) return []
    const t = impactEvents
    const rows = await this.db
      .select({ kind: t.kind, itemId: t.itemId, minutes: t.minutes, flag: t.flag })
      .from(t)
      .where(and(eq(t.workspaceId, workspace), eq(t.week, monday), inArray(t.conversationId, [...new Set(conversationIds)])))
    return rows.map((r) => ({ ...r, kind: r.kind as ImpactKind }))
  }

  async openQuestion(q: OpenQuestion): Promise<void> {
    await this.db
      .insert(impactQuestions)
      .values({ workspaceId: q.workspace, threadId: q.threadId, conversationId: q.conversationId, askerId: q.askerId, askedAt: q.askedAt })
      .onConflictDoNothing()
  }

  async answerQuestion(workspace: WorkspaceId, threadId: string, answererId: string, at: Date): Promise<OpenQuestion | undefined> {
    const t = impactQuestions
    // One statement: of two replies on two processes, the row lock lets only one be "the first answer".
    const [row] = await this.db
      .update(t)
      .set({ answeredAt: at })
      .where(and(eq(t.workspaceId, workspace), eq(t.threadId, threadId), isNull(t.answeredAt), ne(t.askerId, answererId), lte(t.askedAt, at)))
      .returning({ conversationId: t.conversationId, askerId: t.askerId, askedAt: t.askedAt })
    return row && answered(workspace, threadId, row)
  }

  async purgeQuestionsBefore(cutoff: Date): Promise<number> {
    const res = await this.db.delete(impactQuestions).where(or(lt(impactQuestions.askedAt, cutoff), isNotNull(impactQuestions.answeredAt)))
    return res.rowCount ?? 0
  }

  async pairWeekDone(workspace: WorkspaceId, monday: string): Promise<boolean> {
    const [row] = await this.db
      .select({ w: impactPairWeeks.week })
      .from(impactPairWeeks)
      .where(and(eq(impactPairWeeks.workspaceId, workspace), eq(impactPairWeeks.week, monday)))
    return row !== undefined
  }

  async addPairs(workspace: WorkspaceId, monday: string, pairs: { a: string; b: string; conversationId: string }[]): Promise<void> {
    await this.db.transaction(async (tx) => {
      await upsertPairs(tx, workspace, monday, pairs)
      await tx.insert(impactPairWeeks).values({ workspaceId: workspace, week: monday }).onConflictDoNothing()
    })
  }

  async connect(workspace: WorkspaceId, monday: string, pairs: { a: string; b: string; conversationId: string }[]): Promise<void> {
    await this.db.transaction((tx) => upsertPairs(tx, workspace, monday, pairs))
  }

  async newPairs(workspace: WorkspaceId, conversationIds: string[], monday: string): Promise<{ a: string; b: string }[]> {
    if (conversationIds.length === 0) return []
    const t = impactPairs
    return this.db
      .select({ a: t.a, b: t.b })
      .from(t)
      .where(and(eq(t.workspaceId, workspace), eq(t.firstWeek, monday), inArray(t.conversationId, [...new Set(conversationIds)])))
  }

  async firstWeeks(workspace: WorkspaceId, pairs: { a: string; b: string }[]): Promise<Map<string, string>> {
    const ordered = orderedPairs(pairs)
    if (ordered.length === 0) return new Map()
    const t = impactPairs
    // One round trip: the pairs as two parallel arrays, matched on the primary key.
    const as = sql.param(ordered.map((p) => p.a))
    const bs = sql.param(ordered.map((p) => p.b))
    const rows = await this.db
      .select({ a: t.a, b: t.b, week: t.firstWeek })
      .from(t)
      .where(and(eq(t.workspaceId, workspace), sql`(${t.a}, ${t.b}) in (select * from unnest(${as}::text[], ${bs}::text[]))`))
    return new Map(rows.map((r) => [pairKey(r.a, r.b), r.week]))
  }

  async forgetPerson(workspace: WorkspaceId, personId: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.delete(impactQuestions).where(and(eq(impactQuestions.workspaceId, workspace), eq(impactQuestions.askerId, personId)))
      await tx.delete(impactPairs).where(and(eq(impactPairs.workspaceId, workspace), or(eq(impactPairs.a, personId), eq(impactPairs.b, personId))))
    })
  }
}

/** Sponsors and their monthly digest claims: a claim is a primary-key insert, true for one caller per month. */
export class PgSponsorRepository implements SponsorRepository {
  constructor(private readonly db: PgDb) {}

  async add(s: Sponsor): Promise<boolean> {
    const rows = await this.db
      .insert(impactSponsors)
      .values({ workspaceId: s.workspace, personId: s.personId, addedBy: s.addedBy, addedAt: s.addedAt })
      .onConflictDoNothing()
      .returning({ p: impactSponsors.personId })
    return rows.length === 1
  }

  async remove(workspace: WorkspaceId, personId: string): Promise<boolean> {
    const res = await this.db.delete(impactSponsors).where(and(eq(impactSponsors.workspaceId, workspace), eq(impactSponsors.personId, personId)))
    return res.rowCount === 1
  }

  async list(workspace: WorkspaceId): Promise<Sponsor[]> {
    return (await this.db.select().from(impactSponsors).where(eq(impactSponsors.workspaceId, workspace))).map(toSponsor)
  }

  async workspaces(): Promise<WorkspaceId[]> {
    return (await this.db.selectDistinct({ w: impactSponsors.workspaceId }).from(impactSponsors)).map((r) => r.w)
  }

  async claimDigest(workspace: WorkspaceId, personId: string, month: string, at: Date): Promise<boolean> {
    const rows = await this.db
      .insert(impactDigestClaims)
      .values({ workspaceId: workspace, personId, month, claimedAt: at })
      .onConflictDoNothing()
      .returning({ m: impactDigestClaims.month })
    return rows.length === 1
  }

  async releaseDigest(workspace: WorkspaceId, personId: string, month: string): Promise<void> {
    const t = impactDigestClaims
    await this.db.delete(t).where(and(eq(t.workspaceId, workspace), eq(t.personId, personId), eq(t.month, month)))
  }
}

async function upsertPairs(
  tx: Pick<PgDb, 'insert'>,
  workspace: WorkspaceId,
  monday: string,
  pairs: { a: string; b: string; conversationId: string }[],
): Promise<void> {
  const rows = orderedPairs(pairs).map((p) => ({ workspaceId: workspace, a: p.a, b: p.b, firstWeek: monday, conversationId: p.conversationId }))
  for (let i = 0; i < rows.length; i += PAIR_BATCH) {
    await tx
      .insert(impactPairs)
      .values(rows.slice(i, i + PAIR_BATCH))
      .onConflictDoUpdate({
        target: [impactPairs.workspaceId, impactPairs.a, impactPairs.b],
        set: { firstWeek: sql`excluded.first_week`, conversationId: sql`excluded.conversation_id` },
        // An earlier week folded later (or by another process) still wins: a pair is new once.
        setWhere: sql`excluded.first_week < ${impactPairs.firstWeek}`,
      })
  }
}
