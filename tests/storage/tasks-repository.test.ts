import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { NewTask } from '../../src/core/tasks/types.ts'
import { closeDb, openDb, openMemoryDb } from '../../src/storage/db.ts'
import { SqliteTaskRepository } from '../../src/storage/repositories/tasks.ts'

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

function runWorker(file: string, count: number, label: string): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'tasks-create-worker.ts'), file, String(count), label], {
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let out = ''
    child.stdout.on('data', (b: Buffer) => (out += b.toString()))
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as number[]) : reject(new Error(`worker exited with ${code}`))))
  })
}

describe('SqliteTaskRepository', () => {
  it('short ids are unique and gapless per workspace under concurrent creates from several processes', { timeout: 30_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'beacon-tasks-repo-'))
    try {
      const file = join(dir, 'beacon.db')
      const db = openDb(file) // migrates
      const repo = new SqliteTaskRepository(db)
      const [a, b, mine] = await Promise.all([
        runWorker(file, 40, 'A'),
        runWorker(file, 40, 'B'),
        Promise.all(Array.from({ length: 20 }, (_, i) => repo.create(draft({ title: `main ${i}` }), at).then((t) => t.number))),
      ])
      const all = [...a, ...b, ...mine].sort((x, y) => x - y)
      expect(all).toEqual(Array.from({ length: 100 }, (_, i) => i + 1))
      // Another workspace counts from 1.
      expect((await repo.create(draft({ workspace: 'teams:tenant' }), at)).number).toBe(1)
      closeDb(db)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('updates only at the expected version and while open; closes once', async () => {
    const repo = new SqliteTaskRepository(openMemoryDb())
    const t = await repo.create(draft({ dueAt: new Date('2025-03-07T16:00:00Z') }), at)
    expect(t).toMatchObject({ number: 1, version: 1, status: 'open', assignees: [{ personId: 'U_B', displayName: 'Bob' }] })
    const u = await repo.update(t.workspace, t.id, 1, { title: 'renamed', assignees: [{ personId: 'U_C', displayName: 'Carol' }], dueAt: null }, at)
    expect(u).toMatchObject({ title: 'renamed', version: 2, assignees: [{ personId: 'U_C', displayName: 'Carol' }] })
    expect(u!.dueAt).toBeUndefined()
    expect(await repo.update(t.workspace, t.id, 1, { title: 'stale write' }, at)).toBeUndefined()
    expect(await repo.close(t.workspace, t.id, 'done', 'U_C', at)).toMatchObject({ status: 'done', closedBy: 'U_C', version: 3 })
    expect(await repo.close(t.workspace, t.id, 'cancelled', 'U_A', at)).toBeUndefined()
    expect(await repo.update(t.workspace, t.id, 3, { title: 'after done' }, at)).toBeUndefined()
    expect(await repo.get('slack:OTHER', t.id)).toBeUndefined() // workspaces never see each other's tasks
  })

  it('lists by assignee, creator, conversation and overdue; counts beyond the limit', async () => {
    const repo = new SqliteTaskRepository(openMemoryDb())
    await repo.create(draft({ conversationId: 'C1', dueAt: new Date('2025-03-04T10:00:00Z') }), at)
    await repo.create(draft({ creatorId: 'U_B', assignees: [{ personId: 'U_A', displayName: 'Alice' }], conversationId: 'C2' }), at)
    await repo.create(draft({ source: { conversationId: 'C1', messageId: 'm1', threadId: 't1' }, dueAt: new Date('2025-03-09T10:00:00Z') }), at)
    const nums = async (q: Parameters<SqliteTaskRepository['list']>[0]) => (await repo.list(q)).tasks.map((t) => t.number)
    const base = { workspace: 'slack:T1', status: 'open' as const, limit: 10 }
    expect(await nums({ ...base, assignee: 'U_B' })).toEqual([1, 3])
    expect(await nums({ ...base, creator: 'U_B' })).toEqual([2])
    expect(await nums({ ...base, conversationId: 'C1' })).toEqual([1, 3])
    expect(await nums({ ...base, involving: 'U_A' })).toEqual([1, 3, 2])
    expect(await nums({ ...base, involving: 'U_B', dueBefore: at })).toEqual([1])
    expect(await repo.list({ ...base, limit: 1 })).toMatchObject({ total: 3, tasks: [{ number: 1 }] })
    expect((await repo.overdue(at, 10)).map((t) => t.number)).toEqual([1])
    expect(await repo.removeWorkspace('slack:T1')).toBe(3)
    expect((await repo.create(draft(), at)).number).toBe(1)
  })

  it('claims a notification once and a digest once per local day', async () => {
    const repo = new SqliteTaskRepository(openMemoryDb())
    const t = await repo.create(draft(), at)
    expect(await repo.claimNotification(t.id, 'assigned:U_B', at)).toBe(true)
    expect(await repo.claimNotification(t.id, 'assigned:U_B', at)).toBe(false)
    await repo.releaseNotification(t.id, 'assigned:U_B')
    expect(await repo.claimNotification(t.id, 'assigned:U_B', at)).toBe(true)
    expect(await repo.claimDigest('slack:T1', 'U_B', '2025-03-05', at)).toBe(true)
    expect(await repo.claimDigest('slack:T1', 'U_B', '2025-03-05', at)).toBe(false)
    expect(await repo.claimDigest('slack:T1', 'U_B', '2025-03-06', at)).toBe(true)
    await repo.releaseDigest('slack:T1', 'U_B', '2025-03-06')
    expect(await repo.claimDigest('slack:T1', 'U_B', '2025-03-06', at)).toBe(true)
  })
})
