import { sql } from 'drizzle-orm'
import type { Account, OrgKudosRepository, Organisation } from '../../../core/org/types.ts'
import type { LeaderQuery, LeaderRow, PersonTotals } from '../../../core/recognition/types.ts'
import {
  type BoardRow,
  type KudosDialect,
  orgBoardQuery,
  personTotalsQuery,
  type TotalsRow,
  toLeaderRow,
  toPersonTotals,
} from '../../repositories/org-kudos.ts'
import type { PgDb } from '../db.ts'

export const pgKudosDialect: KudosDialect = {
  isPublic: sql`k.public`,
  time: (d) => d,
  int: (c) => sql`(${c})::int`,
  bytewise: (t) => sql`(${t}) COLLATE "C"`,
  byCreatedAt: sql``,
}

/** The organisation-wide board and allowance on PostgreSQL: the SQLite queries (org-kudos.ts), in this dialect. */
export class PgOrgKudosRepository implements OrgKudosRepository {
  constructor(private readonly db: PgDb) {}

  async leaderboard(org: Organisation, q: LeaderQuery): Promise<LeaderRow[]> {
    const res = await this.db.execute(orgBoardQuery(org, q, pgKudosDialect))
    return (res.rows as unknown as BoardRow[]).map(toLeaderRow)
  }

  async totals(org: Organisation, accounts: Account[], since?: Date): Promise<PersonTotals> {
    const res = await this.db.execute(personTotalsQuery(org, accounts, since, pgKudosDialect))
    return toPersonTotals(res.rows[0] as unknown as TotalsRow)
  }
}
