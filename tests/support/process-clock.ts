/**
 * Time for Beacon processes a test starts (see src/app/test-clock-file.ts): their clock is the wall
 * clock plus the offset in one file, which `jumpTo` rewrites, so every web and worker process sees
 * the same jump at once. Redis keeps BullMQ's delayed jobs on the real clock, so a jump is not
 * enough for a delayed job to start: `promoteDue` does what BullMQ's own workers do when a job's
 * time comes — moves the delayed jobs due by the processes' "now" to the waiting list — and nothing else.
 */
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Queue } from 'bullmq'
import { Redis } from 'ioredis'

export class ProcessClock {
  private readonly dir = mkdtempSync(join(tmpdir(), 'beacon-clock-'))
  readonly file = join(this.dir, 'offset')
  private offsetMs = 0

  constructor() {
    this.write()
  }

  /** The environment that makes a Beacon process read this clock. */
  env(): Record<string, string> {
    return { NODE_ENV: 'test', BEACON_TEST_CLOCK_FILE: this.file }
  }

  now(): number {
    return Date.now() + this.offsetMs
  }

  /** From now on the processes' clocks read `at` and run on from there. */
  jumpTo(at: number): void {
    this.offsetMs = at - Date.now()
    this.write()
  }

  /**
   * Moves BullMQ's delayed jobs that are due by this clock's now (for `names` only, when given) to
   * waiting, as BullMQ does when their time comes on the real clock. Returns their names. A job's
   * due time is its real-clock enqueue time plus its delay, so this is right for jobs queued before
   * the first jump (the queue counts delays on the real clock).
   */
  async promoteDue(redis: { url: string; prefix: string }, names?: string[]): Promise<string[]> {
    const connection = new Redis(redis.url, { maxRetriesPerRequest: null })
    const queue = new Queue('beacon', { connection, prefix: redis.prefix })
    try {
      const due = (await queue.getDelayed()).filter((j) => j.timestamp + j.delay <= this.now() && (!names || names.includes(j.name)))
      for (const j of due) await j.promote()
      return due.map((j) => j.name)
    } finally {
      await queue.close()
      await connection.quit()
    }
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true })
  }

  private write(): void {
    // Written aside and renamed: a process reading the file never sees half a number.
    const next = `${this.file}.next`
    writeFileSync(next, String(this.offsetMs))
    renameSync(next, this.file)
  }
}
