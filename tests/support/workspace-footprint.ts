/**
 * "Nothing of a workspace remains": seeds one row into EVERY table of the schema that holds
 * workspace data (found from the schema, so a table added later is covered without touching the
 * test), every text value marked with the workspace id; then finds, in every text column of every
 * table and in every Redis key under a prefix, whatever still carries a marker. The workspace's
 * knowledge search index is then built from its seeded item, as after a bulk load, so the index
 * holds the marker too (`ftsHits`).
 */
import type { Redis } from 'ioredis'
import type { Db } from '../../src/storage/db.ts'
import { KnowledgeIndexes } from '../../src/storage/repositories/knowledge-index.ts'

/** Plumbing without workspace data of its own, or seeded separately (inbox, jobs, outbox: real shapes). */
const NOT_SEEDED = new Set(['__drizzle_migrations', 'workspaces', 'jobs', 'job_outbox', 'job_schedules', 'inbox', 'slack_installations'])
const isFts = (t: string) => t.startsWith('knowledge_fts')

interface Column {
  name: string
  type: string
}

function tables(db: Db): string[] {
  return (
    db.$client.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]
  ).map((t) => t.name)
}

function columns(db: Db, table: string): Column[] {
  return db.$client.prepare('SELECT name, type FROM pragma_table_info(?)').all(table) as Column[]
}

function foreignKeys(db: Db, table: string): string[] {
  return (db.$client.prepare('SELECT "from" AS f FROM pragma_foreign_key_list(?)').all(table) as { f: string }[]).map((r) => r.f)
}

/** Tables another table points at: their `id` must be the value the children's references carry. */
function referencedTables(db: Db, all: string[]): Set<string> {
  return new Set(
    all.flatMap((t) => (db.$client.prepare('SELECT "table" AS p FROM pragma_foreign_key_list(?)').all(t) as { p: string }[]).map((r) => r.p)),
  )
}

/**
 * One row per table for `workspace` (parents before children; integer ids and references are
 * `id`, so give each workspace its own). Returns the tables seeded.
 */
export function seedEveryTable(db: Db, workspace: string, platform: string, id: number): string[] {
  const c = db.$client
  c.prepare('INSERT OR IGNORE INTO workspaces (id, platform, name, created_at) VALUES (?, ?, ?, 0)').run(workspace, platform, workspace)
  const seeded = tables(db)
    .filter((t) => !NOT_SEEDED.has(t) && !isFts(t))
    .sort((a, b) => foreignKeys(db, a).length - foreignKeys(db, b).length)
  const parents = referencedTables(db, seeded)
  for (const t of seeded) {
    const cols = columns(db, t)
    const fks = foreignKeys(db, t)
    const values = cols.map((col) => {
      if (col.name === 'workspace_id') return workspace
      if (fks.includes(col.name) || (col.name === 'id' && (/INT/i.test(col.type) || parents.has(t)))) return id
      if (/INT|REAL|NUM/i.test(col.type)) return 1
      return `${workspace} ${t}.${col.name}`
    })
    c.prepare(`INSERT INTO "${t}" (${cols.map((x) => `"${x.name}"`).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(...values)
  }
  new KnowledgeIndexes(db).ensureAll()
  return seeded
}

/** A marker that does not also match a longer id ("slack:T1" must not find "slack:T10"). */
export function markerOf(workspace: string): RegExp {
  return new RegExp(`${workspace.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![0-9A-Za-z])`)
}

/** Every row of every table (FTS shadow tables aside: see ftsHits) with a text value carrying the marker, as "table: row". */
export function rowsMarked(db: Db, workspace: string): string[] {
  const re = markerOf(workspace)
  const found: string[] = []
  for (const t of tables(db).filter((x) => !isFts(x))) {
    for (const row of db.$client.prepare(`SELECT * FROM "${t}"`).all() as Record<string, unknown>[]) {
      if (Object.values(row).some((v) => typeof v === 'string' && re.test(v))) found.push(`${t}: ${JSON.stringify(row)}`)
    }
  }
  return found.sort()
}

/** Rows of any workspace's knowledge search index that still find the workspace's marker. */
export function ftsHits(db: Db, workspace: string): number {
  // The FTS5 tables themselves, not their shadow tables.
  const indexes = db.$client.prepare("SELECT name FROM sqlite_schema WHERE name LIKE 'knowledge_fts_w%' AND sql LIKE 'CREATE VIRTUAL TABLE%'")
  let n = 0
  for (const { name } of indexes.all() as { name: string }[]) {
    n += (db.$client.prepare(`SELECT count(*) AS n FROM "${name}" WHERE "${name}" MATCH ?`).get(`"${workspace}"`) as { n: number }).n
  }
  return n
}

/** Every Redis key under `prefix` whose content (any type) carries the marker. */
export async function redisKeysMarked(redis: Redis, prefix: string, workspace: string): Promise<string[]> {
  const re = markerOf(workspace)
  const found: string[] = []
  let cursor = '0'
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500)
    cursor = next
    for (const key of keys) {
      const type = await redis.type(key)
      const content =
        type === 'hash'
          ? await redis.hgetall(key)
          : type === 'string'
            ? await redis.get(key)
            : type === 'list'
              ? await redis.lrange(key, 0, -1)
              : type === 'set'
                ? await redis.smembers(key)
                : type === 'zset'
                  ? await redis.zrange(key, '0', '-1')
                  : type === 'stream'
                    ? await redis.xrange(key, '-', '+')
                    : null
      if (re.test(JSON.stringify(content)) || re.test(key)) found.push(key)
    }
  } while (cursor !== '0')
  return found.sort()
}

/**
 * Everything of a workspace, with its jobs counted wherever they wait: an outbox row not relayed
 * yet and the same job in BullMQ are one entry ("id name data"), since the relay may move a row
 * to Redis at any moment (a leftover of a process that died included) without touching the job.
 * `rows` and `redisKeys` are the rest: rows of other tables, Redis keys that are not job hashes.
 */
export async function footprintMarked(db: Db, redis: Redis, prefix: string, workspace: string) {
  const re = markerOf(workspace)
  // The outbox before Redis: the relay adds to Redis before deleting the row, so a job moving
  // in between is seen in one or both reads, never in neither.
  const outbox = db.$client.prepare('SELECT job_id AS id, name, data FROM job_outbox').all() as { id: string; name: string; data: string }[]
  const jobs = new Set(outbox.filter((r) => re.test(r.data)).map((r) => `${r.id} ${r.name} ${r.data}`))
  const rows = rowsMarked(db, workspace).filter((r) => !r.startsWith('job_outbox: '))
  const redisKeys: string[] = []
  for (const key of await redisKeysMarked(redis, prefix, workspace)) {
    const job = (await redis.type(key)) === 'hash' ? await redis.hmget(key, 'name', 'data') : []
    // BullMQ keeps a job as the hash `<prefix>:<queue>:<id>` (ids never hold ':').
    if (job[0] && job[1]) jobs.add(`${key.slice(key.lastIndexOf(':') + 1)} ${job[0]} ${job[1]}`)
    else redisKeys.push(key)
  }
  return { rows, jobs: [...jobs].sort(), redisKeys }
}
