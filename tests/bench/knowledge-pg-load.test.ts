/**
 * The PostgreSQL knowledge bench measures rows it bulk-loads: they must be exactly the rows Beacon's
 * own save path writes (same columns, same search vector, same contributors, tags and savers), or
 * the bench measures a different table than production holds.
 */
import { beforeEach, expect, it } from 'vitest'
import { bulkLoad, saveEach } from '../../bench/knowledge-pg-load.ts'
import { syntheticItems } from '../../bench/knowledge-corpus.ts'
import type { PgDb } from '../../src/storage/pg/db.ts'
import { describeWithPostgres, withPostgresDatabase } from '../support/postgres.ts'

const describePg = await describeWithPostgres()

/** Everything stored about the items, keyed by thread (ids are the only thing allowed to differ). */
async function snapshot(db: PgDb) {
  const q = async (text: string) => (await db.$client.query(text)).rows
  return {
    items: await q("select to_jsonb(i) - 'id' as row from knowledge_items i order by workspace_id, thread_id"),
    contributors: await q(`select i.thread_id, c.person_id, c.display_name, c.name_key, c.position
      from knowledge_contributors c join knowledge_items i on i.id = c.item_id order by 1, 2`),
    tags: await q('select i.thread_id, t.tag from knowledge_tags t join knowledge_items i on i.id = t.item_id order by 1, 2'),
    savers: await q(`select i.thread_id, s.person_id, s.via, s.saved_at
      from knowledge_savers s join knowledge_items i on i.id = s.item_id order by 1, 2`),
    search: await q(`select i.thread_id, s.workspace_id, s.status, s.conversation_id, s.conversation_key, s.search_vector::text as v
      from knowledge_search s join knowledge_items i on i.id = s.id order by 1`),
    indexes: await q("select indexdef from pg_indexes where tablename like 'knowledge%' order by indexname"),
  }
}

describePg('bench bulk loader for knowledge on PostgreSQL', () => {
  const pg = withPostgresDatabase()
  beforeEach(() => pg.reset())

  it('writes the same rows, vectors and indexes as saving each item through the repository', async () => {
    // Accents and punctuation, which the repository folds before indexing, in every title and body.
    const items = function* () {
      for (const it of syntheticItems(120, 3, { workspaces: 3 })) yield { ...it, title: `Café-crème ${it.title}`, body: `${it.body} naïve@x.io` }
    }
    await saveEach(pg.db, items())
    const saved = await snapshot(pg.db)
    await pg.reset()
    await bulkLoad(pg.db, items(), { batch: 50 })
    const loaded = await snapshot(pg.db)

    expect(loaded.items).toHaveLength(120)
    expect(loaded.items[0].row.search_vector).toContain("'cafe':1A")
    expect(loaded.tags.length).toBeGreaterThan(0)
    expect(loaded.search).toHaveLength(120)
    expect(loaded).toEqual(saved)
  })
})
