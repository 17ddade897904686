import { and, eq } from 'drizzle-orm'
import type Database from 'better-sqlite3'
import { weekStart } from '../../core/time/iso-weeks.ts'
import {
  type ImpactEvent,
  type ImpactKind,
  type ImpactRepository,
  type ImpactRow,
  type OpenQuestion,
  pairKey,
  type Sponsor,
  type SponsorRepository,
} from '../../core/impact/types.ts'
import type { WorkspaceId } from '../../core/model.ts'
import { nextTurn } from '../../core/next-turn.ts'
import type { Db } from '../db.ts'
import { impactDigestClaims, type impactEvents, impactSponsors } from '../schema/impact.ts'

const bool = (v: number | null) => (v === null ? null : v === 1)

type EventRow = { kind: ImpactKind; itemId: number | null; minutes: number | null; flag: number | null }

/**
 * Impact events, questions and first connections: prepared statements on the raw handle, each read
 * one week. The reads take one conversation per statement, prepared once: a report makes hundreds of
 * them, and an IN list would be a new statement for every list.
 */
export class SqliteImpactRepository implements ImpactRepository {
  private readonly client: Database.Database
  private readonly readWeekEvents: Database.Statement
  private readonly readNewPairs: Database.Statement
  private readonly readFirstWeek: Database.Statement

  constructor(db: Db) {
    this.client = db.$client
    this.readWeekEvents = this.client.prepare(
      `select kind, item_id as itemId, minutes, flag from impact_events where workspace_id = ? and week = ? and conversation_id = ?`,
    )
    this.readNewPairs = this.client.prepare('select a, b from impact_pairs where workspace_id = ? and first_week = ? and conversation_id = ?')
    this.readFirstWeek = this.client.prepare('select first_week from impact_pairs where workspace_id = ? and a = ? and b = ?').pluck()
  }

  async record(e: ImpactEvent): Promise<boolean> {
    const row = impactEventRow(e)
    const r = this.client
      .prepare(
        `insert into impact_events (workspace_id, conversation_id, week, kind, item_id, minutes, flag, source_key, at)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing`,
      )
      .run(
        row.workspaceId,
        row.conversationId,
        row.week,
        row.kind,
        row.itemId,
        row.minutes,
        row.flag === null ? null : Number(row.flag),
        row.sourceKey,
        row.at.getTime(),
      )
    return r.changes === 1
  }

  async weekEvents(workspace: WorkspaceId, conversationIds: string[], monday: string): Promise<ImpactRow[]> {
    const out: ImpactRow[] = []
    for (const c of new Set(conversationIds)) {
      await nextTurn()
      for (const r of this.readWeekEvents.all(workspace, monday, c) as EventRow[]) out.push({ ...r, flag: bool(r.flag) })
    }
    return out
  }

  async openQuestion(q: OpenQuestion): Promise<void> {
    this.client
      .prepare(
        'insert into impact_questions (workspace_id, thread_id, conversation_id, asker_id, asked_at) values (?, ?, ?, ?, ?) on conflict do nothing',
      )
      .run(q.workspace, q.threadId, q.conversationId, q.askerId, q.askedAt.getTime())
  }

  async answerQuestion(workspace: WorkspaceId, threadId: string, answererId: string, at: Date): Promise<OpenQuestion | undefined> {
    // One statement: two replies arriving together cannot both be "the first answer".
    const row = this.client
      .prepare(
        `update impact_questions set answered_at = ?
          where workspace_id = ? and thread_id = ? and answered_at is null and asker_id != ? and asked_at <= ?
          returning conversation_id as conversationId, asker_id as askerId, asked_at as askedAt`,
      )
      .get(at.getTime(), workspace, threadId, answererId, at.getTime()) as { conversationId: string; askerId: string; askedAt: number } | undefined
    return row && answered(workspace, threadId, { ...row, askedAt: new Date(row.askedAt) })
  }

  async purgeQuestionsBefore(cutoff: Date): Promise<number> {
    return this.client.prepare('delete from impact_questions where asked_at < ? or answered_at is not null').run(cutoff.getTime()).changes
  }

  async pairWeekDone(workspace: WorkspaceId, monday: string): Promise<boolean> {
    return Boolean(this.client.prepare('select 1 from impact_pair_weeks where workspace_id = ? and week = ?').get(workspace, monday))
  }

  async addPairs(workspace: WorkspaceId, monday: string, pairs: { a: string; b: string; conversationId: string }[]): Promise<void> {
    this.client.transaction(() => {
      this.upsertPairs(workspace, monday, pairs)
      this.client.prepare('insert into impact_pair_weeks (workspace_id, week) values (?, ?) on conflict do nothing').run(workspace, monday)
    })()
  }

  async connect(workspace: WorkspaceId, monday: string, pairs: { a: string; b: string; conversationId: string }[]): Promise<void> {
    this.client.transaction(() => this.upsertPairs(workspace, monday, pairs))()
  }

  private upsertPairs(workspace: WorkspaceId, monday: string, pairs: { a: string; b: string; conversationId: string }[]): void {
    const insert = this.client.prepare(
      `insert into impact_pairs (workspace_id, a, b, first_week, conversation_id) values (?, ?, ?, ?, ?)
       on conflict (workspace_id, a, b) do update set first_week = excluded.first_week, conversation_id = excluded.conversation_id
       where excluded.first_week < impact_pairs.first_week`,
    )
    for (const p of orderedPairs(pairs)) insert.run(workspace, p.a, p.b, monday, p.conversationId)
  }

  async newPairs(workspace: WorkspaceId, conversationIds: string[], monday: string): Promise<{ a: string; b: string }[]> {
    const out: { a: string; b: string }[] = []
    for (const c of new Set(conversationIds)) {
      await nextTurn()
      out.push(...(this.readNewPairs.all(workspace, monday, c) as { a: string; b: string }[]))
    }
    return out
  }

  async firstWeeks(workspace: WorkspaceId, pairs: { a: string; b: string }[]): Promise<Map<string, string>> {
    const out = new Map<string, string>()
    for (const p of orderedPairs(pairs)) {
      const week = this.readFirstWeek.get(workspace, p.a, p.b) as string | undefined
      if (week !== undefined) out.set(pairKey(p.a, p.b), week)
    }
    return out
  }

  async forgetPerson(workspace: WorkspaceId, personId: string): Promise<void> {
    this.client.transaction(() => {
      this.client.prepare('delete from impact_questions where workspace_id = ? and asker_id = ?').run(workspace, personId)
      this.client.prepare('delete from impact_pairs where workspace_id = ? and (a = ? or b = ?)').run(workspace, personId, personId)
    })()
  }
}

export class SqliteSponsorRepository implements SponsorRepository {
  constructor(private readonly db: Db) {}

  async add(s: Sponsor): Promise<boolean> {
    const r = this.db
      .insert(impactSponsors)
      .values({ workspaceId: s.workspace, personId: s.personId, addedBy: s.addedBy, addedAt: s.addedAt })
      .onConflictDoNothing()
      .run()
    return r.changes === 1
  }

  async remove(workspace: WorkspaceId, personId: string): Promise<boolean> {
    return (
      this.db
        .delete(impactSponsors)
        .where(and(eq(impactSponsors.workspaceId, workspace), eq(impactSponsors.personId, personId)))
        .run().changes === 1
    )
  }

  async list(workspace: WorkspaceId): Promise<Sponsor[]> {
    const rows = this.db.select().from(impactSponsors).where(eq(impactSponsors.workspaceId, workspace)).all()
    return rows.map(toSponsor)
  }

  async workspaces(): Promise<WorkspaceId[]> {
    return this.db
      .selectDistinct({ w: impactSponsors.workspaceId })
      .from(impactSponsors)
      .all()
      .map((r) => r.w)
  }

  async claimDigest(workspace: WorkspaceId, personId: string, month: string, at: Date): Promise<boolean> {
    return (
      this.db.insert(impactDigestClaims).values({ workspaceId: workspace, personId, month, claimedAt: at }).onConflictDoNothing().run().changes === 1
    )
  }

  async releaseDigest(workspace: WorkspaceId, personId: string, month: string): Promise<void> {
    this.db
      .delete(impactDigestClaims)
      .where(and(eq(impactDigestClaims.workspaceId, workspace), eq(impactDigestClaims.personId, personId), eq(impactDigestClaims.month, month)))
      .run()
  }
}

// ------------------------------------------------ shared with the PostgreSQL twin (pg/repositories/impact.ts)

export function toSponsor(r: typeof impactSponsors.$inferSelect): Sponsor {
  return { workspace: r.workspaceId, personId: r.personId, addedBy: r.addedBy, addedAt: r.addedAt }
}

/** The question an answer closed, from the columns its update returned. */
export function answered(workspace: WorkspaceId, threadId: string, row: { conversationId: string; askerId: string; askedAt: Date }): OpenQuestion {
  return { workspace, threadId, conversationId: row.conversationId, askerId: row.askerId, askedAt: row.askedAt }
}

/** One week's pairs in a < b order, each pair once (the first occurrence's conversation, as row-by-row upserts keep it). */
export function orderedPairs<P extends { a: string; b: string }>(pairs: P[]): P[] {
  const out = new Map<string, P>()
  for (const p of pairs) {
    const [a, b] = p.a < p.b ? [p.a, p.b] : [p.b, p.a]
    const key = pairKey(a, b)
    if (!out.has(key)) out.set(key, { ...p, a, b })
  }
  return [...out.values()]
}

/** The row an event is stored as (week defaulted from its time). */
export function impactEventRow(e: ImpactEvent): typeof impactEvents.$inferInsert & { week: string; flag: boolean | null } {
  return {
    workspaceId: e.workspace,
    conversationId: e.conversationId,
    week: e.week ?? weekStart(e.at),
    kind: e.kind,
    itemId: e.itemId ?? null,
    minutes: e.minutes ?? null,
    flag: e.flag ?? null,
    sourceKey: e.sourceKey,
    at: e.at,
  }
}
