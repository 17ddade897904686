/**
 * knowledge_search (pg migration 0006), the workspace-partitioned copy of what /kb matches and ranks:
 * it follows every write to knowledge_items (save, re-save into another channel, rename, archive,
 * restore, removal of a workspace, truncation), answers from one workspace where several share a
 * partition, a database that already had items gets them all when the migration runs, and searches
 * rank exactly as the same query over knowledge_items does.
 */
import { sql } from 'drizzle-orm'
import { beforeEach, expect, it } from 'vitest'
import { buildMatch, parseQuery } from '../../src/core/knowledge/search-query.ts'
import type { ItemContent } from '../../src/core/knowledge/types.ts'
import { migratePostgres, type PgDb } from '../../src/storage/pg/db.ts'
import { RANK_WEIGHTS, toTsQuery } from '../../src/storage/pg/repositories/knowledge-query.ts'
import { postgresRepositories } from '../../src/storage/pg/repositories/index.ts'
import { describeWithPostgres, withPostgresDatabase } from '../support/postgres.ts'

const describePg = await describeWithPostgres()
const t = (n: number) => new Date(Date.UTC(2024, 0, n))
const WORDS = 'deploy release staging vault cluster pipeline runbook incident budget roadmap cache latency'.split(' ')

function content(n: number, workspace = 'slack:T1', channel = n % 4): ItemContent {
  const words = (k: number) => Array.from({ length: k }, (_, i) => WORDS[(n * 7 + i * ((n % 5) + 1)) % WORDS.length]).join(' ')
  return {
    workspace,
    threadId: `${workspace}:C${channel}:${n}.1`,
    conversation: { id: `C${channel}`, name: `channel-${channel}`, privacy: channel === 0 ? 'private' : 'public' },
    rootMessageId: `${n}.1`,
    title: words(3),
    body: `**Ada**: ${words(8)}`,
    searchText: `Ada: ${words(8)}`,
    tags: n % 4 === 0 ? ['ops'] : [],
    contributors: [{ personId: 'UADA', displayName: 'Ada' }],
    messageCount: 1,
  }
}

/** The item columns knowledge_search copies, against its rows: equal when the triggers kept up. */
async function copies(db: PgDb) {
  const cols = 'id, workspace_id, status, conversation_id, conversation_key, search_vector::text as v'
  const items = await db.$client.query(`select ${cols} from knowledge_items order by id`)
  const rows = await db.$client.query(`select ${cols} from knowledge_search order by id`)
  return { items: items.rows, rows: rows.rows }
}

describePg('knowledge_search on PostgreSQL', () => {
  const pg = withPostgresDatabase()
  beforeEach(() => pg.reset())

  it('follows every write to the items', async () => {
    const repo = postgresRepositories(pg.db).knowledge
    const items = []
    for (let n = 1; n <= 12; n++) items.push(await repo.upsert(content(n, n % 2 ? 'slack:T1' : 'slack:T2'), { now: t(n), reactivate: true }))
    const same = async () => {
      const { items: want, rows } = await copies(pg.db)
      expect(rows).toEqual(want)
    }
    await same()
    expect((await copies(pg.db)).rows).toHaveLength(12)
    // Re-saved with new words and its channel renamed.
    await repo.upsert(
      { ...content(1), searchText: 'Ada: rotated the vault keys', conversation: { id: 'C1', name: 'Vault Ops', privacy: 'public' } },
      {
        now: t(20),
        reactivate: true,
      },
    )
    await repo.rename('slack:T1', items[2]!.id, 'Quarterly budget', t(21))
    await repo.setStatus('slack:T1', items[4]!.id, 'archived', t(22))
    await repo.archiveThread('slack:T2', content(2, 'slack:T2').threadId, t(23))
    await repo.setStatus('slack:T1', items[4]!.id, 'active', t(24))
    await repo.restrictConversation('slack:T1', 'C1')
    await repo.markViewed([items[0]!.id], t(25))
    await same()
    expect(await repo.removeWorkspace('slack:T2')).toBe(6)
    await same()
    expect((await copies(pg.db)).rows).toHaveLength(6)
    await pg.db.$client.query('truncate knowledge_items cascade')
    expect((await copies(pg.db)).rows).toEqual([])
  })

  it("answers from the asker's workspace only where workspaces share a partition", async () => {
    const repo = postgresRepositories(pg.db).knowledge
    // 65 workspaces in 64 partitions: at least two share one.
    for (let w = 0; w < 65; w++) await repo.upsert({ ...content(w, `slack:W${w}`), title: `deploy notes ${w}` }, { now: t(1), reactivate: true })
    const { rows } = await pg.db.$client.query<{ n: string }>(
      'select max(n) as n from (select count(*) as n from knowledge_search group by tableoid) p',
    )
    expect(Number(rows[0]!.n)).toBeGreaterThan(1)
    for (let w = 0; w < 65; w++) {
      const hits = await repo.search({ workspace: `slack:W${w}`, match: '"deplo"*', filters: {}, limit: 10, offset: 0 })
      expect(hits.map((h) => h.item.title)).toEqual([`deploy notes ${w}`])
    }
  })

  it('is filled from the existing items when the migration runs, and ranks as knowledge_items would', async () => {
    const repo = postgresRepositories(pg.db).knowledge
    for (let n = 1; n <= 60; n++) await repo.upsert(content(n, `slack:T${n % 3}`), { now: t(n), reactivate: true })
    await repo.setStatus('slack:T1', 4, 'archived', t(70))
    // A database from before 0006: no table, no triggers, the migration not recorded.
    await pg.db.$client.query(`drop table knowledge_search; drop trigger knowledge_items_search_write on knowledge_items;
      drop trigger knowledge_items_search_update on knowledge_items; drop trigger knowledge_items_search_truncate on knowledge_items;
      drop function beacon_kb_search_sync(); drop function beacon_kb_search_truncate();
      delete from drizzle.__drizzle_migrations where created_at = (select max(created_at) from drizzle.__drizzle_migrations)`)
    await repo.upsert(content(61, 'slack:T1'), { now: t(61), reactivate: true }) // written while the table is missing
    await migratePostgres(pg.db)
    const { items, rows } = await copies(pg.db)
    expect(rows).toHaveLength(61)
    expect(rows).toEqual(items)
    for (const input of ['deploy vault', 'deploy vault nowhere', 'cach', 'budget roadmap latency', 'release tag:ops', 'in:#channel-2 cluster']) {
      const { terms, filters } = parseQuery(input)
      const match = buildMatch(terms, 'all')!
      const fallback = buildMatch(terms, 'any')!
      const hits = await repo.search({ workspace: 'slack:T1', match, fallback, filters, limit: 50, offset: 0 })
      // The same ranking straight from knowledge_items, as the search read it before 0006.
      const q = toTsQuery(hits[0]?.broadened ? fallback : match)!
      const tag = filters.tag?.length ? sql`and exists (select 1 from knowledge_tags g where g.item_id = k.id and g.tag = ${filters.tag[0]})` : sql``
      const channel = filters.in?.length ? sql`and k.conversation_key = ${filters.in[0]}` : sql``
      const { rows: want } = await pg.db.execute<{
        id: string
        rank: number
      }>(sql`select k.id, ts_rank(${RANK_WEIGHTS}, k.search_vector, (${q})) as rank
        from knowledge_items k where k.workspace_id = 'slack:T1' and k.status = 'active' and k.search_vector @@ (${q}) ${tag} ${channel}
        order by rank desc, k.id desc limit 50`)
      expect(want.length, input).toBeGreaterThan(0)
      expect(
        hits.map((h) => [h.item.id, h.score]),
        input,
      ).toEqual(want.map((r) => [Number(r.id), -Number(r.rank)]))
    }
  })
})
