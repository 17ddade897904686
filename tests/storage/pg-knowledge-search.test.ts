/**
 * PostgreSQL /kb reads the workspace-scoped GIN index (migrations 0004, 0006): the query must use the
 * index's exact expression, or the planner silently falls back to reading every workspace's rows.
 * The contract suite proves the answers; this proves the plan.
 */
import { drizzle } from 'drizzle-orm/node-postgres'
import { beforeEach, expect, it } from 'vitest'
import { buildMatch, parseQuery } from '../../src/core/knowledge/search-query.ts'
import type { PgDb } from '../../src/storage/pg/db.ts'
import { PgKnowledgeSearch } from '../../src/storage/pg/repositories/knowledge-search.ts'
import * as schema from '../../src/storage/pg/schema/index.ts'
import { postgresRepositories } from '../../src/storage/pg/repositories/index.ts'
import { describeWithPostgres, withPostgresDatabase } from '../support/postgres.ts'

const describePg = await describeWithPostgres()

describePg('knowledge search on PostgreSQL', () => {
  const pg = withPostgresDatabase()
  beforeEach(() => pg.reset())

  it('finds candidates through the workspace-scoped index, for words, prefixes and phrases', async () => {
    const repo = postgresRepositories(pg.db).knowledge
    for (const ws of ['slack:T1', 'slack:T2'])
      await repo.upsert(
        {
          workspace: ws,
          threadId: `${ws}:C1:1.1`,
          conversation: { id: 'C1', name: 'general', privacy: 'public' },
          rootMessageId: '1.1',
          title: 'Deploy freeze',
          body: 'staging cluster',
          searchText: 'staging cluster',
          tags: [],
          contributors: [],
          messageCount: 1,
        },
        { now: new Date(0), reactivate: true },
      )
    // Other threads, most in other workspaces: enough rows that the planner picks by cost, as it would in production.
    await pg.db.$client.query(`insert into knowledge_items (workspace_id, thread_id, conversation_id, conversation_name, conversation_key,
        privacy, root_message_id, title, body, search_text, search_vector, message_count, created_at, updated_at, synced_at)
      select 'slack:T' || (i % 20), 'x' || i, 'C1', 'general', 'general', 'public', i::text, 'notes ' || i, 'b', 'b',
        to_tsvector('simple', 'notes meeting ' || i), 1, now(), now(), now()
      from generate_series(1, 5000) i`)
    await pg.db.$client.query('analyze knowledge_items, knowledge_search')
    const statements: { query: string; params: unknown[] }[] = []
    const logged = drizzle({ client: pg.db.$client, schema, logger: { logQuery: (query, params) => statements.push({ query, params }) } })
    const search = new PgKnowledgeSearch(logged as PgDb)
    const client = await pg.db.$client.connect()
    try {
      for (const typed of ['deploy', 'depl', '"staging cluster"']) {
        statements.length = 0
        const match = buildMatch(parseQuery(typed).terms, 'all')!
        expect(await search.search({ workspace: 'slack:T1', match, filters: {}, limit: 5, offset: 0 })).toHaveLength(1)
        const { rows } = await client.query(`explain ${statements[0]!.query}`, statements[0]!.params)
        expect(rows.map((r) => r['QUERY PLAN']).join('\n')).toMatch(/Bitmap Index Scan on knowledge_search_p\d+_beacon_kb_scoped_vector_idx/)
      }
    } finally {
      client.release()
    }
  })
})
