import { afterEach, beforeEach, expect, it, vi } from 'vitest'
import { RelayClaims } from '../../src/jobs/relay-claims.ts'

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

/** A relay's add that has not answered yet (Redis slow or gone): finishes when the test says so. */
function heldAdd(claims: RelayClaims, jobId: string, log: string[]): () => void {
  let finish = () => {}
  void claims.hold(jobId, async () => {
    await new Promise<void>((r) => {
      finish = r
    })
    log.push(`added ${jobId}`)
  })
  return () => finish()
}

it('a claim on one id waits for the holder; other ids do not wait', async () => {
  const claims = new RelayClaims()
  const log: string[] = []
  const finish = heldAdd(claims, 'a', log)
  const other = claims.hold('b', async () => log.push('cancel b'))
  const same = claims.hold('a', async () => log.push('cancel a'))
  await other
  expect(log).toEqual(['cancel b'])
  finish()
  await same
  expect(log).toEqual(['cancel b', 'added a', 'cancel a'])
})

it('holdWithin gives up after its wait when the holder never finishes, without running its work', async () => {
  const claims = new RelayClaims()
  const log: string[] = []
  const finish = heldAdd(claims, 'a', log)
  const cancel = claims.holdWithin('a', 1000, async () => log.push('cancel a'))
  await vi.advanceTimersByTimeAsync(999)
  expect(log).toEqual([])
  await vi.advanceTimersByTimeAsync(1)
  expect(await cancel).toBeUndefined()
  finish()
  await claims.settled()
  expect(log).toEqual(['added a'])
  // Free again: no wait at all.
  expect(await claims.holdWithin('a', 1000, async () => 'cancelled')).toBe('cancelled')
})

it('settled waits for the claims held when it was called', async () => {
  const claims = new RelayClaims()
  const log: string[] = []
  const finish = heldAdd(claims, 'a', log)
  const settled = claims.settled().then(() => log.push('settled'))
  await vi.advanceTimersByTimeAsync(10_000)
  expect(log).toEqual([])
  finish()
  await settled
  expect(log).toEqual(['added a', 'settled'])
})
