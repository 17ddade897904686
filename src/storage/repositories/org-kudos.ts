import { sql, type SQL } from 'drizzle-orm'
import type { Account, OrgKudosRepository, Organisation } from '../../core/org/types.ts'
import type { LeaderQuery, LeaderRow } from '../../core/recognition/types.ts'
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
}

export const sqliteKudosDialect: KudosDialect = { isPublic: sql`k.public = 1`, time: (d) => d.getTime(), int: (c) => c, bytewise: (t) => t }

export interface BoardRow {
  id: string
  name: string
  givers: number
  n: number
}

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
  return sql`SELECT coalesce('e:' || ri.email_key, 'a:' || k.workspace_id || ':' || k.receiver_id) AS person,
                    coalesce(max(CASE WHEN k.workspace_id = ${q.workspace} THEN k.receiver_id END), max(k.receiver_id)) AS id,
                    ${d.bytewise(sql`coalesce(max(CASE WHEN k.workspace_id = ${q.workspace} THEN k.receiver_name END), max(k.receiver_name))`)} AS name,
                    ${d.int(sql`COUNT(DISTINCT coalesce('e:' || gi.email_key, 'a:' || k.workspace_id || ':' || k.giver_id))`)} AS givers,
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

export const toLeaderRow = (r: BoardRow): LeaderRow => ({ receiverId: r.id, receiverName: r.name, givers: r.givers, count: r.n })

export class SqliteOrgKudosRepository implements OrgKudosRepository {
  constructor(private readonly db: Db) {}

  async leaderboard(org: Organisation, q: LeaderQuery): Promise<LeaderRow[]> {
    return this.db.all<BoardRow>(orgBoardQuery(org, q, sqliteKudosDialect)).map(toLeaderRow)
  }

  async givenSince(accounts: Account[], since: Date): Promise<number> {
    if (accounts.length === 0) return 0
    return this.db.get<{ n: number }>(givenSinceQuery(accounts, since, sqliteKudosDialect)).n
  }
}
