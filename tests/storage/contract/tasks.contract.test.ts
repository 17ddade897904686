/**
 * The task repository contract, run on SQLite and on PostgreSQL: numbering, optimistic updates,
 * claims, replays, and follow-up jobs staged in the task's transaction (the outbox row exists
 * exactly when the task does). PostgreSQL also gets the races that only a multi-process database
 * has: two connection pools creating at once, racing replays, racing notification claims.
 */
import { describe, expect, it } from 'vitest'
import type { NewTask, TaskRepository } from '../../../src/core/tasks/types.ts'
import { JobOutbox, type NewOutboxRow, type OutboxStore } from '../../../src/jobs/outbox.ts'
import { PgJobOutbox } from '../../../src/storage/pg/repositories/job-outbox.ts'
import { PgTaskRepository } from '../../../src/storage/pg/repositories/tasks.ts'
import { SqliteTaskRepository } from '../../../src/storage/repositories/tasks.ts'
import { describeWithPostgres, withPostgresDatabase, type PostgresFixture } from '../../support/postgres.ts'
import { freshSqlite, secondProcess } from './backends.ts'

const at = new Date('2025-03-05T10:00:00Z')
const draft = (over: Partial<NewTask> = {}): NewTask => ({
  workspace: 'slack:T1',
  title: 'a task',
  creatorId: 'U_A',
  creatorName: 'Alice',
  timezone: 'Europe/Paris',
  assignees: [{ personId: 'U_B', displayName: 'Bob' }],
  dueDateOnly: false,
  ...over,
})
const job = (jobId: string): NewOutboxRow => ({
  jobId,
  name: 'task.notify',
  data: '{"workspace":"slack:T1"}',
  runAt: 0,
  attempts: 1,
  backoffMs: 1,
  createdAt: 0,
})

interface Backend {
  repo: TaskRepository
  outbox: OutboxStore
}

let wsSeq = 0
/** A workspace no other case has used. */
const ws = () => `slack:T${++wsSeq}`
const describePg = await describeWithPostgres()

describe('TaskRepository on sqlite', () => {
  contract(async () => {
    const db = freshSqlite()
    return { repo: new SqliteTaskRepository(db), outbox: new JobOutbox(db) }
  })
})

describePg('TaskRepository on postgres', () => {
  const pg = withPostgresDatabase()
  contract(async () => ({ repo: new PgTaskRepository(pg.db), outbox: new PgJobOutbox(pg.db) }))
  races(pg)
})

function contract(make: () => Promise<Backend>): void {
  it('numbers per workspace from 1, updates only at the expected version while open, closes once', async () => {
    const { repo } = await make()
    const w = ws()
    const t = await repo.create(draft({ workspace: w, dueAt: new Date('2025-03-07T16:00:00Z') }), at)
    expect(t).toMatchObject({
      number: 1,
      version: 1,
      status: 'open',
      assignees: [{ personId: 'U_B', displayName: 'Bob' }],
      dueAt: new Date('2025-03-07T16:00:00Z'),
    })
    expect((await repo.create(draft({ workspace: w }), at)).number).toBe(2)
    expect((await repo.create(draft({ workspace: ws() }), at)).number).toBe(1)
    const u = await repo.update(w, t.id, 1, { title: 'renamed', assignees: [{ personId: 'U_C', displayName: 'Carol' }], dueAt: null }, at)
    expect(u).toMatchObject({ title: 'renamed', version: 2, assignees: [{ personId: 'U_C', displayName: 'Carol' }] })
    expect(u!.dueAt).toBeUndefined()
    expect(await repo.update(w, t.id, 1, { title: 'stale edit' }, at)).toBeUndefined()
    expect(await repo.close(w, t.id, 'done', 'U_A', at)).toMatchObject({ status: 'done', version: 3, closedBy: 'U_A' })
    expect(await repo.close(w, t.id, 'cancelled', 'U_A', at)).toBeUndefined()
    expect(await repo.update(w, t.id, 3, { title: 'after close' }, at)).toBeUndefined()
    expect((await repo.getByNumber(w, 1))?.title).toBe('renamed')
    expect(await repo.get('slack:OTHER', t.id)).toBeUndefined()
  })

  it('a replayed event finds its task instead of making a second one, and burns no number', async () => {
    const { repo } = await make()
    const w = ws()
    const a = await repo.create(draft({ workspace: w, originKey: 'evt-1' }), at)
    const b = await repo.create(draft({ workspace: w, originKey: 'evt-1', title: 'other' }), at)
    expect(b.id).toBe(a.id)
    expect((await repo.create(draft({ workspace: w }), at)).number).toBe(2)
  })

  it('lists dated tasks soonest first then undated newest first, with filters and a total', async () => {
    const { repo } = await make()
    const w = ws()
    await repo.create(draft({ workspace: w, title: 'undated 1' }), at)
    await repo.create(draft({ workspace: w, title: 'late', dueAt: new Date('2025-03-09T10:00:00Z') }), at)
    await repo.create(draft({ workspace: w, title: 'undated 2', assignees: [{ personId: 'U_C', displayName: 'Carol' }] }), at)
    await repo.create(draft({ workspace: w, title: 'soon', dueAt: new Date('2025-03-06T10:00:00Z'), conversationId: 'C1' }), at)
    const all = await repo.list({ workspace: w, status: 'open', limit: 3 })
    expect(all.total).toBe(4)
    expect(all.tasks.map((t) => t.title)).toEqual(['soon', 'late', 'undated 2'])
    expect((await repo.list({ workspace: w, assignee: 'U_C', limit: 10 })).tasks.map((t) => t.title)).toEqual(['undated 2'])
    expect((await repo.list({ workspace: w, conversationId: 'C1', limit: 10 })).tasks.map((t) => t.title)).toEqual(['soon'])
    const overdue = (await repo.overdue(new Date('2025-03-08T00:00:00Z'), 100)).filter((t) => t.workspace === w)
    expect(overdue.map((t) => t.title)).toEqual(['soon'])
  })

  it('a notification is claimed once; the same job may claim again only while unsent; a release frees it', async () => {
    const { repo } = await make()
    const t = await repo.create(draft({ workspace: ws() }), at)
    expect(await repo.claimNotification(t.id, 'dm:U_B', at, 'job-1')).toBe(true)
    expect(await repo.claimNotification(t.id, 'dm:U_B', at, 'job-2')).toBe(false)
    expect(await repo.claimNotification(t.id, 'dm:U_B', at, 'job-1')).toBe(true)
    await repo.markNotificationSent(t.id, 'dm:U_B')
    expect(await repo.claimNotification(t.id, 'dm:U_B', at, 'job-1')).toBe(false)
    await repo.releaseNotification(t.id, 'dm:U_B')
    expect(await repo.claimNotification(t.id, 'dm:U_B', at)).toBe(true)
    expect(await repo.claimNotification(t.id, 'dm:U_B', at)).toBe(false)
    const w = ws()
    expect(await repo.claimDigest(w, 'U_B', '2025-03-05', at)).toBe(true)
    expect(await repo.claimDigest(w, 'U_B', '2025-03-05', at)).toBe(false)
    expect(await repo.claimDigest(w, 'U_B', '2025-03-06', at)).toBe(true)
    await repo.releaseDigest(w, 'U_B', '2025-03-06')
    expect(await repo.claimDigest(w, 'U_B', '2025-03-06', at)).toBe(true)
  })

  it('jobs staged in the transaction commit with the task, and vanish with it when the transaction fails', async () => {
    const { repo, outbox } = await make()
    const w = ws()
    const woken: string[] = []
    const t = await repo.create(draft({ workspace: w }), at, (task) => {
      expect(task.number).toBe(1)
      outbox.stage(job(`create-${w}`), () => woken.push('create'))
    })
    await new Promise((r) => setImmediate(r))
    expect(woken).toEqual(['create'])
    const ids = async () => (await outbox.take(1000)).map((r) => r.jobId).filter((id) => id.endsWith(w))
    expect(await ids()).toEqual([`create-${w}`])

    await expect(
      repo.update(w, t.id, 1, { title: 'x' }, at, () => {
        outbox.stage(job(`update-${w}`), () => woken.push('update'))
        throw new Error('the queue refused the second job')
      }),
    ).rejects.toThrow('refused')
    expect((await repo.get(w, t.id))?.title).toBe('a task')
    await expect(
      repo.create(draft({ workspace: w, title: 'never' }), at, () => {
        outbox.stage(job(`create2-${w}`), () => woken.push('create2'))
        throw new Error('refused')
      }),
    ).rejects.toThrow('refused')
    expect((await repo.list({ workspace: w, limit: 10 })).total).toBe(1)
    expect(await ids()).toEqual([`create-${w}`])
    // What the relay re-checks before adding a row it read earlier.
    expect([await outbox.has(`create-${w}`), await outbox.has(`update-${w}`)]).toEqual([true, false])
    // The number the failed create took is given back.
    expect((await repo.create(draft({ workspace: w }), at)).number).toBe(2)

    await repo.close(w, t.id, 'done', 'U_A', at, () => outbox.stage(job(`close-${w}`), () => woken.push('close')))
    await new Promise((r) => setImmediate(r))
    expect(await ids()).toEqual([`create-${w}`, `close-${w}`])
    expect(woken.filter((x) => x !== 'update' && x !== 'create2')).toEqual(['create', 'close'])
  })
}

/** Races only a database shared by several processes has: each process is its own pool. */
function races(pg: PostgresFixture): void {
  it('two connection pools creating at once get distinct, gapless numbers', async () => {
    const a = new PgTaskRepository(pg.db)
    const b = new PgTaskRepository(await secondProcess(pg.url))
    const w = ws()
    const made = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).create(draft({ workspace: w, title: `t${i}` }), at)))
    expect(made.map((t) => t.number).sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1))
  })

  it('the same event replayed on two processes at once makes one task', async () => {
    const repos = [new PgTaskRepository(pg.db), new PgTaskRepository(await secondProcess(pg.url))]
    const w = ws()
    const made = await Promise.all(Array.from({ length: 8 }, (_, i) => repos[i % 2]!.create(draft({ workspace: w, originKey: 'evt-race' }), at)))
    expect(new Set(made.map((t) => t.id)).size).toBe(1)
    expect((await repos[0]!.list({ workspace: w, limit: 10 })).total).toBe(1)
  })

  it('a notification raced by two processes is claimed by exactly one', async () => {
    const repos = [new PgTaskRepository(pg.db), new PgTaskRepository(await secondProcess(pg.url))]
    const t = await repos[0]!.create(draft({ workspace: ws() }), at)
    const wins = await Promise.all(Array.from({ length: 10 }, (_, i) => repos[i % 2]!.claimNotification(t.id, 'remind:1', at, `job-${i}`)))
    expect(wins.filter(Boolean)).toHaveLength(1)
  })
}
