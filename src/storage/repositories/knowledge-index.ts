import type { Statement } from 'better-sqlite3'
import type { WorkspaceId } from '../../core/model.ts'
import type { Db } from '../db.ts'

/** The indexed columns of a knowledge item, as the FTS5 'delete' command needs them back. */
export interface IndexedText {
  id: number
  title: string
  searchText: string
  tagsText: string
}

/**
 * Each workspace's saved knowledge has a full-text index of its own: an FTS5 table over a view of
 * that workspace's rows (migration 0024 replaced the shared index). A search opens only its
 * workspace's table, so its cost follows that workspace's items, never the rest of the database:
 * one shared table, even with a workspace token ANDed into the MATCH or rowids in per-workspace
 * ranges, still merged every workspace's postings for a prefix word and counted them all for bm25's
 * document frequencies (bench/RESULTS.md, issue 16). It also makes bm25 weigh words by how common
 * they are in the asker's workspace.
 *
 * Tables cannot be created by a trigger, so the repository keeps the index in step itself, in the
 * transaction of each write that changes indexed text (upsert, rename, workspace removal).
 */
export function indexTable(workspace: WorkspaceId): string {
  // Hex keeps any id (punctuation, case, quotes) a plain identifier; names stay distinct per id.
  return `knowledge_fts_w${Buffer.from(workspace, 'utf8').toString('hex')}`
}

const MAX_STATEMENTS = 500

const sqlString = (s: string) => `'${s.replaceAll("'", "''")}'`

export class KnowledgeIndexes {
  private readonly statements = new Map<string, Statement>()

  constructor(private readonly db: Db) {}

  /**
   * The workspace's index, or undefined when it has none (it never saved anything, or was removed).
   * Asked of the schema every time, not remembered: another process may drop it (workspace removal,
   * WorkspacesRepository.remove) or create it. Preparing a statement on the table is a hash lookup in
   * the parsed schema; reading sqlite_schema would scan a few rows per workspace.
   */
  existing(workspace: WorkspaceId): string | undefined {
    const table = indexTable(workspace)
    try {
      this.db.$client.prepare(`SELECT rowid FROM "${table}" LIMIT 0`)
      return table
    } catch (err) {
      if (err instanceof Error && err.message.startsWith('no such table')) return undefined
      throw err
    }
  }

  /**
   * Creates the workspace's index if it has none, built from the rows it already has (none for a
   * new workspace; all of them after migration 0024 or a bulk load).
   */
  ensure(workspace: WorkspaceId): string {
    const had = this.existing(workspace)
    if (had) return had
    const table = indexTable(workspace)
    this.db.$client
      .transaction(() => {
        this.db.$client.exec(`
          CREATE VIEW IF NOT EXISTS "${table}_source" AS
            SELECT id, title, search_text, tags_text FROM knowledge_items WHERE workspace_id = ${sqlString(workspace)};
          CREATE VIRTUAL TABLE IF NOT EXISTS "${table}" USING fts5(
            title, search_text, tags_text, content='${table}_source', content_rowid='id',
            tokenize='unicode61 remove_diacritics 2', prefix='2 3');
          INSERT INTO "${table}"("${table}", rank) VALUES ('rank', 'bm25(10.0, 1.0, 5.0)');
          INSERT INTO "${table}"("${table}") VALUES ('rebuild');`)
      })
      .immediate()
    return table
  }

  /** Indexes every workspace that has items and no index: run after migrating, and after a bulk load. */
  ensureAll(): void {
    const tables = this.db.$client.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name LIKE 'knowledge_fts_w%'").all() as {
      name: string
    }[]
    const have = new Set(tables.map((t) => t.name))
    const next = this.db.$client.prepare('SELECT min(workspace_id) AS w FROM knowledge_items WHERE workspace_id > ?')
    // One index seek per workspace (knowledge_items_thread leads with workspace_id), not a scan of every item.
    for (let w = (next.get('') as { w: string | null }).w; w !== null; w = (next.get(w) as { w: string | null }).w) {
      if (!have.has(indexTable(w))) this.ensure(w)
    }
  }

  add(workspace: WorkspaceId, row: IndexedText): void {
    const table = indexTable(workspace)
    this.prepare(`INSERT INTO "${table}"(rowid, title, search_text, tags_text) VALUES (?, ?, ?, ?)`).run(
      row.id,
      row.title,
      row.searchText,
      row.tagsText,
    )
  }

  remove(workspace: WorkspaceId, row: IndexedText): void {
    const table = indexTable(workspace)
    this.prepare(`INSERT INTO "${table}"("${table}", rowid, title, search_text, tags_text) VALUES ('delete', ?, ?, ?, ?)`).run(
      row.id,
      row.title,
      row.searchText,
      row.tagsText,
    )
  }

  /** Re-indexes a row whose text changed (`before` undefined: a new row). */
  replace(workspace: WorkspaceId, before: IndexedText | undefined, after: IndexedText): void {
    if (before && before.title === after.title && before.searchText === after.searchText && before.tagsText === after.tagsText) return
    if (before) this.remove(workspace, before)
    this.add(workspace, after)
  }

  drop(workspace: WorkspaceId): void {
    const table = indexTable(workspace)
    this.db.$client.exec(`DROP TABLE IF EXISTS "${table}"; DROP VIEW IF EXISTS "${table}_source";`)
    for (const key of [...this.statements.keys()]) if (key.includes(`"${table}"`)) this.statements.delete(key)
  }

  /**
   * A statement on a workspace's table, prepared once per connection. The texts name the workspace's
   * table, so the cache is bounded: past its size the statement prepared longest ago goes.
   */
  prepare(text: string): Statement {
    let s = this.statements.get(text)
    if (!s) {
      s = this.db.$client.prepare(text)
      this.statements.set(text, s)
      if (this.statements.size > MAX_STATEMENTS) this.statements.delete(this.statements.keys().next().value!)
    }
    return s
  }
}
