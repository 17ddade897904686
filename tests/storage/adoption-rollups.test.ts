/**
 * The weekly rollups (migration 0015) always equal what the daily rollup says: per ISO week the
 * same sums, and each person's first week in a channel the week of their first day there. This is
 * what keeps every adoption metric exactly as it was while reading only the weeks it shows:
 * checked after live writes, a purge that cuts a week in half, an opt-out, and the backfill of a
 * database written before the migration.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { migrate } from 'drizzle-orm/better-sqlite3/migrator'
import { afterEach, describe, expect, it } from 'vitest'
import type { ActivityEvent, ActivityKind } from '../../src/core/adoption/types.ts'
import { seededRandom } from '../../src/core/seeded-random.ts'
import { closeDb, migrateDb, openDb, openMemoryDb, type Db } from '../../src/storage/db.ts'
import { SqliteActivityRepository } from '../../src/storage/repositories/adoption-activity.ts'

const WS = 'slack:T1'
const KINDS: ActivityKind[] = ['message', 'reply', 'reaction', 'kudos_received', 'kudos_given', 'task_done']

function events(n: number, seed = 3): ActivityEvent[] {
  const rand = seededRandom(seed)
  const start = Date.parse('2026-01-01T00:00:00Z')
  return Array.from({ length: n }, () => ({
    workspace: WS,
    conversationId: `C${Math.floor(rand() * 4)}`,
    personId: `U${Math.floor(rand() * 12)}`,
    kind: KINDS[Math.floor(rand() * KINDS.length)]!,
    at: new Date(start + Math.floor(rand() * 70 * 86_400_000)),
  }))
}

/** The weekly rollup and first weeks as the daily rollup implies them, and as stored. */
function views(db: Db) {
  const q = (sql: string) => db.$client.prepare(sql).all()
  return {
    expected: {
      weekly: q(`select workspace_id, date(day, 'weekday 0', '-6 days') as week, conversation_id, person_id, kind, sum(count) as count
                   from adoption_daily group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4, 5`),
      first: q(`select workspace_id, conversation_id, person_id, date(min(day), 'weekday 0', '-6 days') as week
                  from adoption_daily where kind != 'kudos_received' group by 1, 2, 3 order by 1, 2, 3`),
    },
    stored: {
      weekly: q('select workspace_id, week, conversation_id, person_id, kind, count from adoption_weekly order by 1, 2, 3, 4, 5'),
      first: q('select workspace_id, conversation_id, person_id, week from adoption_first_seen order by 1, 2, 3'),
    },
  }
}

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

describe('weekly adoption rollups', () => {
  it('match the daily rollup after writes, a purge in the middle of a week, and an opt-out', async () => {
    const db = openMemoryDb()
    const repo = new SqliteActivityRepository(db)
    await repo.recordMany(events(3000))
    for (const e of events(50, 9)) await repo.record(e)
    let v = views(db)
    expect(v.stored.weekly.length).toBeGreaterThan(100)
    expect(v.stored).toEqual(v.expected)

    // Thursday of the fourth week: its Monday to Wednesday go, the rest of that week stays.
    await repo.purgeBefore(new Date('2026-01-22T00:00:00Z'))
    v = views(db)
    expect(v.stored).toEqual(v.expected)
    expect((db.$client.prepare('select min(day) d from adoption_daily').get() as { d: string }).d).toBe('2026-01-22')

    await repo.forgetPerson(WS, 'U3')
    v = views(db)
    expect(v.stored).toEqual(v.expected)
    expect(v.stored.first.some((r) => (r as { person_id: string }).person_id === 'U3')).toBe(false)
  })

  it('are backfilled from the daily rollup of a database written before migration 0015', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'beacon-rollups-'))
    dirs.push(dir)
    // The migrations as they were before 0015.
    const before = join(dir, 'migrations')
    cpSync(resolve(import.meta.dirname, '../../src/storage/migrations'), before, { recursive: true })
    const journalPath = join(before, 'meta/_journal.json')
    const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { idx: number }[] }
    journal.entries = journal.entries.filter((e) => e.idx < 15)
    writeFileSync(journalPath, JSON.stringify(journal))
    const db = openDb(join(dir, 'old.db'), { migrate: false })
    migrate(db, { migrationsFolder: before })
    const insert = db.$client.prepare(
      'insert into adoption_daily (workspace_id, day, person_id, conversation_id, kind, count) values (?, ?, ?, ?, ?, ?) ' +
        'on conflict do update set count = count + excluded.count',
    )
    for (const e of events(2000)) insert.run(e.workspace, e.at.toISOString().slice(0, 10), e.personId, e.conversationId, e.kind, 1)

    migrateDb(db)
    const v = views(db)
    expect(v.stored.weekly.length).toBeGreaterThan(100)
    expect(v.stored).toEqual(v.expected)
    closeDb(db)
  })
})
