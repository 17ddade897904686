import type { Account, OrgKudosRepository, Organisation } from '../../core/org/types.ts'
import type { LeaderQuery, LeaderRow } from '../../core/recognition/types.ts'
import type { Db } from '../db.ts'

/**
 * The organisation-wide board as one query: each kudos row's giver and receiver are mapped to a
 * person (their verified email within the organisation, else the account itself), so a receiver
 * thanked on Slack and on Teams is one row and a giver on both sides counts once.
 */
export class SqliteOrgKudosRepository implements OrgKudosRepository {
  constructor(private readonly db: Db) {}

  async leaderboard(org: Organisation, q: LeaderQuery): Promise<LeaderRow[]> {
    const ws = org.workspaces
    const where = [`k.workspace_id IN (${ws.map(() => '?').join(', ')})`, 'k.giver_id IS NOT NULL']
    const args: (string | number)[] = [...ws]
    // The audience of where the board is shown: public kudos anywhere in the organisation, and those given right there.
    where.push(q.shownIn ? '(k.public = 1 OR (k.workspace_id = ? AND k.conversation_id = ?))' : 'k.public = 1')
    if (q.shownIn) args.push(q.workspace, q.shownIn)
    if (q.since) where.push('k.created_at >= ?'), args.push(q.since.getTime())
    if (q.until) where.push('k.created_at < ?'), args.push(q.until.getTime())
    if (q.value) where.push('k.value = ?'), args.push(q.value)
    const rows = this.db.$client
      .prepare(
        `SELECT coalesce('e:' || ri.email_key, 'a:' || k.workspace_id || ':' || k.receiver_id) AS person,
                coalesce(max(CASE WHEN k.workspace_id = ? THEN k.receiver_id END), max(k.receiver_id)) AS id,
                coalesce(max(CASE WHEN k.workspace_id = ? THEN k.receiver_name END), max(k.receiver_name)) AS name,
                COUNT(DISTINCT coalesce('e:' || gi.email_key, 'a:' || k.workspace_id || ':' || k.giver_id)) AS givers,
                COUNT(*) AS n
         FROM kudos k
         LEFT JOIN organisation_identities ri ON ri.org_id = ? AND ri.workspace_id = k.workspace_id AND ri.person_id = k.receiver_id
         LEFT JOIN organisation_identities gi ON gi.org_id = ? AND gi.workspace_id = k.workspace_id AND gi.person_id = k.giver_id
         WHERE ${where.join(' AND ')}
         GROUP BY person ORDER BY givers DESC, n DESC, name LIMIT ?`,
      )
      .all(q.workspace, q.workspace, org.id, org.id, ...args, q.limit) as { id: string; name: string; givers: number; n: number }[]
    return rows.map((r) => ({ receiverId: r.id, receiverName: r.name, givers: r.givers, count: r.n }))
  }

  async givenSince(accounts: Account[], since: Date): Promise<number> {
    if (accounts.length === 0) return 0
    const stmt = this.db.$client.prepare('SELECT COUNT(*) AS n FROM kudos WHERE workspace_id = ? AND giver_id = ? AND created_at >= ?')
    return accounts.reduce((sum, a) => sum + (stmt.get(a.workspace, a.personId, since.getTime()) as { n: number }).n, 0)
  }
}
