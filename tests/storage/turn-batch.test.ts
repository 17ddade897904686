/**
 * PostgreSQL's per-turn write batches (src/storage/pg/turn-batch.ts). By default items of one turn
 * go out together on the next turn (the inbox insert, which an ack waits for); with a gather window
 * (writes after the ack) items of several turns share a statement, a full batch goes at once, and
 * every caller still resolves only with its own statement's result. Test timers, no database: what
 * is checked is which items share a run.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { TurnBatch } from '../../src/storage/pg/turn-batch.ts'

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate'] })
})
afterEach(() => {
  vi.useRealTimers()
})

/** A batch whose statement records the items it got and echoes them doubled. */
function recording(policy?: ConstructorParameters<typeof TurnBatch<number, number>>[1]) {
  const runs: number[][] = []
  const batch = new TurnBatch<number, number>(async (items) => {
    runs.push(items)
    return items.map((i) => i * 2)
  }, policy)
  return { runs, batch }
}

describe('turn batch', () => {
  it('without a window: the items of one turn share a statement, a later turn gets its own', async () => {
    const { runs, batch } = recording()
    const first = [batch.add(1), batch.add(2)]
    await vi.advanceTimersByTimeAsync(0)
    const later = batch.add(3)
    await vi.advanceTimersByTimeAsync(0)
    expect(await Promise.all([...first, later])).toEqual([2, 4, 6])
    expect(runs).toEqual([[1, 2], [3]])
  })

  it('with a window: items of several turns within it share one statement, and nobody resolves before it ran', async () => {
    const { runs, batch } = recording({ gatherMs: 20, maxItems: 100 })
    let settled = 0
    const counted = (p: Promise<number>) =>
      p.then((v) => {
        settled++
        return v
      })
    const all = [counted(batch.add(1)), counted(batch.add(2))]
    await vi.advanceTimersByTimeAsync(5)
    all.push(counted(batch.add(3)))
    await vi.advanceTimersByTimeAsync(10)
    expect(runs).toEqual([])
    expect(settled).toBe(0)
    await vi.advanceTimersByTimeAsync(5)
    expect(await Promise.all(all)).toEqual([2, 4, 6])
    expect(runs).toEqual([[1, 2, 3]])
  })

  it('with a window: a full batch goes at once, without waiting for the window', async () => {
    const { runs, batch } = recording({ gatherMs: 20, maxItems: 3 })
    const all = [batch.add(1), batch.add(2), batch.add(3)]
    await vi.advanceTimersByTimeAsync(0)
    expect(runs).toEqual([[1, 2, 3]])
    expect(await Promise.all(all)).toEqual([2, 4, 6])
    // The next items gather again.
    const next = batch.add(4)
    await vi.advanceTimersByTimeAsync(0)
    expect(runs).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(20)
    expect(await next).toBe(8)
    expect(runs).toEqual([[1, 2, 3], [4]])
  })

  it('with a window: a statement that fails rejects its own callers only once it ran', async () => {
    let calls = 0
    const batch = new TurnBatch<number, number>(
      async () => {
        calls++
        throw Object.assign(new Error('connection lost'), { code: '08006' })
      },
      { gatherMs: 20 },
    )
    const a = batch.add(1)
    const b = batch.add(2)
    const both = Promise.allSettled([a, b])
    await vi.advanceTimersByTimeAsync(20)
    expect((await both).map((r) => r.status)).toEqual(['rejected', 'rejected'])
    expect(calls).toBe(1) // not a row's fault: not retried one by one
  })
})
