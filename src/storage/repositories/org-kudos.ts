import { sql, type SQL } from 'drizzle-orm'
import type { Account, OrgKudosRepository, Organisation } from '../../core/org/types.ts'
import type { GiverAcrossOrg, GiverUsage, GiveWindow, LeaderQuery, LeaderRow, PersonTotals } from '../../core/recognition/types.ts'
import type { Db } from '../db.ts'

/** What differs between SQLite and PostgreSQL in the organisation's kudos queries; the rest is one text. */
export interface KudosDialect {
  /** The "public" column as a condition (an integer 0/1 on SQLite, a boolean on PostgreSQL). */
  isPublic: SQL
  /** A time as the driver binds it. */
  time(d: Date): number | Date
  /** A count as a JavaScript number (PostgreSQL's bigint arrives as text). */
  int(count: SQL): SQL
  /** Text compared byte by byte, as SQLite does: names tie-break the same way on both. */
  bytewise(text: SQL): SQL
  /** After `FROM kudos k`, for a board over a period: read the period's slice of the (workspace, created_at) index. */
  byCreatedAt: SQL
}

export const sqliteKudosDialect: KudosDialect = {
  isPublic: sql`k.public = 1`,
  time: (d) => d.getTime(),
  int: (c) => c,
  bytewise: (t) => t,
  // Left alone, SQLite prefers walking the receiver index in GROUP BY order and fetching created_at
  // from the table for every row of the workspace: 1.5 s instead of 30 ms for a month at 1M kudos.
  byCreatedAt: sql`INDEXED BY kudos_ws_created`,
}

export interface BoardRow {
  id: string
  name: string
  givers: number
  n: number
}

/** A giver as one person across the organisation: their verified email, else the account itself (`gi` joins the giver's identity). */
const GIVER_KEY = sql`coalesce('e:' || gi.email_key, 'a:' || k.workspace_id || ':' || k.giver_id)`

/**
 * The organisation-wide board as one query: each kudos row's giver and receiver are mapped to a
 * person (their verified email within the organisation, else the account itself), so a receiver
 * thanked on Slack and on Teams is one row and a giver on both sides counts once.
 */
export function orgBoardQuery(org: Organisation, q: LeaderQuery, d: KudosDialect): SQL {
  const where: SQL[] = [
    sql`k.workspace_id IN (${sql.join(
      org.workspaces.map((w) => sql`${w}`),
      sql`, `,
    )})`,
    sql`k.giver_id IS NOT NULL`,
  ]
  // The audience of where the board is shown: public kudos anywhere in the organisation, and those given right there.
  where.push(q.shownIn ? sql`(${d.isPublic} OR (k.workspace_id = ${q.workspace} AND k.conversation_id = ${q.shownIn}))` : d.isPublic)
  if (q.since) where.push(sql`k.created_at >= ${d.time(q.since)}`)
  if (q.until) where.push(sql`k.created_at < ${d.time(q.until)}`)
  if (q.value) where.push(sql`k.value = ${q.value}`)
  // The receiver's name as this workspace knows them, else any linked account's.
  const name = sql`coalesce(max(CASE WHEN k.workspace_id = ${q.workspace} THEN k.receiver_name END), max(k.receiver_name))`
  return sql`SELECT coalesce('e:' || ri.email_key, 'a:' || k.workspace_id || ':' || k.receiver_id) AS person,
                    coalesce(max(CASE WHEN k.workspace_id = ${q.workspace} THEN k.receiver_id END), max(k.receiver_id)) AS id,
                    ${d.bytewise(name)} AS name,
                    ${d.int(sql`COUNT(DISTINCT ${GIVER_KEY})`)} AS givers,
                    ${d.int(sql`COUNT(*)`)} AS n
             FROM kudos k
             LEFT JOIN organisation_identities ri ON ri.org_id = ${org.id} AND ri.workspace_id = k.workspace_id AND ri.person_id = k.receiver_id
             LEFT JOIN organisation_identities gi ON gi.org_id = ${org.id} AND gi.workspace_id = k.workspace_id AND gi.person_id = k.giver_id
             WHERE ${sql.join(where, sql` AND `)}
             GROUP BY person ORDER BY givers DESC, n DESC, name LIMIT ${q.limit}`
}

/** How many kudos these accounts gave since `since`: one range of the (workspace, giver, time) index per account. */
export function givenSinceQuery(accounts: Account[], since: Date, d: KudosDialect): SQL {
  const who = sql.join(
    accounts.map((a) => sql`(workspace_id = ${a.workspace} AND giver_id = ${a.personId})`),
    sql` OR `,
  )
  return sql`SELECT ${d.int(sql`COUNT(*)`)} AS n FROM kudos WHERE (${who}) AND created_at >= ${d.time(since)}`
}

/**
 * One person's totals over all their accounts: kudos received (and from how many people — a giver
 * on two platforms is one), automatic credits, kudos given.
 */
export function personTotalsQuery(org: Organisation, accounts: Account[], since: Date | undefined, d: KudosDialect): SQL {
  const one = (col: SQL) =>
    sql.join(
      accounts.map((a) => sql`(k.workspace_id = ${a.workspace} AND ${col} = ${a.personId})`),
      sql` OR `,
    )
  const received = one(sql`k.receiver_id`)
  const given = one(sql`k.giver_id`)
  return sql`SELECT ${d.int(sql`COUNT(CASE WHEN (${received}) AND k.giver_id IS NOT NULL THEN 1 END)`)} AS received,
                    ${d.int(sql`COUNT(DISTINCT CASE WHEN (${received}) AND k.giver_id IS NOT NULL THEN ${GIVER_KEY} END)`)} AS givers,
                    ${d.int(sql`COUNT(CASE WHEN (${received}) AND k.kind = 'auto' THEN 1 END)`)} AS auto,
                    ${d.int(sql`COUNT(CASE WHEN (${given}) THEN 1 END)`)} AS given
             FROM kudos k
             LEFT JOIN organisation_identities gi ON gi.org_id = ${org.id} AND gi.workspace_id = k.workspace_id AND gi.person_id = k.giver_id
             WHERE ((${received}) OR (${given})) AND k.created_at >= ${d.time(since ?? new Date(0))}`
}

export interface TotalsRow {
  received: number
  givers: number
  auto: number
  given: number
}

export const toPersonTotals = (r: TotalsRow): PersonTotals => ({
  received: Number(r.received),
  receivedFrom: Number(r.givers),
  auto: Number(r.auto),
  given: Number(r.given),
})

/**
 * What the giver's accounts in the organisation's other workspaces gave, for one person's usage:
 * today's count, and this week's per receiver (by the receiver's id where the kudos is given now).
 * Read inside the give's transaction (KudosRepository.giveChecked), never before it.
 */
export function elsewhereUsageQueries(w: GiveWindow & { person: GiverAcrossOrg }, d: KudosDialect): { today?: SQL; week?: SQL } {
  const { accounts, receivers } = w.person
  const pairs: SQL[] = []
  for (const g of accounts) {
    for (const [localId, theirs] of Object.entries(receivers)) {
      for (const r of theirs.filter((a) => a.workspace === g.workspace)) {
        pairs.push(sql`SELECT ${localId} AS id, ${d.int(sql`COUNT(*)`)} AS n FROM kudos
                       WHERE workspace_id = ${g.workspace} AND giver_id = ${g.personId} AND receiver_id = ${r.personId}
                         AND created_at >= ${d.time(w.weekStart)}`)
      }
    }
  }
  return {
    ...(accounts.length ? { today: givenSinceQuery(accounts, w.dayStart, d) } : {}),
    ...(pairs.length ? { week: sql.join(pairs, sql` UNION ALL `) } : {}),
  }
}

/** The usage in the give's workspace plus what the person's other accounts gave. */
export function withElsewhere(local: GiverUsage, today: number, week: { id: string; n: number }[]): GiverUsage {
  const thisWeek = new Map(local.thisWeek)
  for (const r of week) thisWeek.set(r.id, (thisWeek.get(r.id) ?? 0) + Number(r.n))
  return { today: local.today + today, thisWeek }
}

export const toLeaderRow = (r: BoardRow): LeaderRow => ({ receiverId: r.id, receiverName: r.name, givers: r.givers, count: r.n })

export class SqliteOrgKudosRepository implements OrgKudosRepository {
  constructor(private readonly db: Db) {}

  async leaderboard(org: Organisation, q: LeaderQuery): Promise<LeaderRow[]> {
    return this.db.all<BoardRow>(orgBoardQuery(org, q, sqliteKudosDialect)).map(toLeaderRow)
  }

  async totals(org: Organisation, accounts: Account[], since?: Date): Promise<PersonTotals> {
    return toPersonTotals(this.db.get<TotalsRow>(personTotalsQuery(org, accounts, since, sqliteKudosDialect)))
  }
}
