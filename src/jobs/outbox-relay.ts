/**
 * Moves outbox rows to Redis: on start (leftovers of a process that died or of a Redis outage), on
 * every enqueue and reconnect, and on a timer as a safety net. One drain at a time; a kick during a
 * drain runs one more drain after it, so nothing accepted meanwhile waits for the timer.
 */
import type { Logger } from '../core/logger.ts'
import type { OutboxRow, OutboxStore } from './outbox.ts'

const RELAY_BATCH = 100

export interface OutboxRelayOptions {
  outbox: OutboxStore
  /**
   * Hands one row to Redis and deletes it once Redis accepted it; undefined when it did not (the row
   * is gone, or another process is relaying it right now).
   */
  relay: (row: OutboxRow) => Promise<unknown>
  /** Whether Redis is connected; the relay waits for the next kick otherwise. */
  ready: () => boolean
  log: Logger
  intervalMs: number
}

export class OutboxRelay {
  private timer: NodeJS.Timeout | undefined
  private draining: Promise<void> | undefined
  private again = false
  private stopped = false

  constructor(private readonly o: OutboxRelayOptions) {}

  start(): void {
    if (this.timer || this.stopped) return
    this.timer = setInterval(() => this.kick(), this.o.intervalMs)
    this.timer.unref()
    this.kick()
  }

  kick(): void {
    if (this.stopped) return
    if (this.draining) {
      this.again = true
      return
    }
    this.draining = this.drain()
      .catch((e: unknown) => this.o.log.warn({ err: e }, 'outbox relay stopped; will retry'))
      .finally(() => {
        this.draining = undefined
        if (this.again && !this.stopped) {
          this.again = false
          this.kick()
        }
      })
  }

  /** Stops relaying; a drain in progress may finish the add it is in, for at most `waitMs`. Unrelayed rows stay for the next start. */
  async stop(waitMs: number): Promise<void> {
    this.stopped = true
    if (this.timer) clearInterval(this.timer)
    if (this.draining && this.o.ready()) await Promise.race([this.draining, new Promise((r) => setTimeout(r, waitMs).unref())])
  }

  private async drain(): Promise<void> {
    for (;;) {
      if (this.stopped || !this.o.ready()) return
      const rows = await this.o.outbox.take(RELAY_BATCH)
      if (rows.length === 0) return
      let relayed = 0
      for (const row of rows) {
        if (this.stopped || !this.o.ready()) return
        if ((await this.o.relay(row)) !== undefined) relayed++
      }
      this.o.log.debug({ relayed, read: rows.length }, 'outbox rows relayed to redis')
      // Every row of the batch is another process's right now: reading it again at once would spin
      // until that process is done; the next kick or tick finds what is left.
      if (relayed === 0) return
    }
  }
}
