/**
 * What the JobQueue contract (job-queue.contract.ts) is given for each implementation, and the small
 * helpers it asserts with.
 */
import { expect } from 'vitest'
import { isBeaconError } from '../../src/core/errors.ts'
import type { JobQueue } from '../../src/core/ports.ts'
import type { Db } from '../../src/storage/db.ts'

export interface QueueUnderTest {
  queue: JobQueue
  /** The SQLite database the queue writes to (its job table or its outbox). */
  db: Db
  /** Releases what the factory created for this queue (database, Redis keys); the queue is closed first. */
  dispose(): Promise<void>
  /** Jobs in the backing store not finished and due within DUE_SOON_MS (waiting, delayed, running, or not relayed yet). */
  pending(): Promise<number>
}

/** Returns a fresh queue with its own storage, not started, nothing registered. */
export type QueueFactory = () => Promise<QueueUnderTest>

export async function expectCode(p: Promise<unknown>, code: string): Promise<void> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(isBeaconError(err) ? err.code : err).toBe(code)
}

/** A job due later than this (a yearly schedule's next firing) does not keep a queue from counting as drained. */
export const DUE_SOON_MS = 60_000
