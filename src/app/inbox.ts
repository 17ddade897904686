/**
 * Persist, ack, then work. An adapter calls `accept` with what a platform delivered before it
 * answers 200 / acks the envelope; the row it writes is the claim (a platform retry of the same key
 * is a duplicate) and stays pending until `run` finished the work. Rows a dead process left pending
 * are processed again at start-up (and by a periodic sweep), each at most INBOX_MAX_ATTEMPTS times
 * in all; a row that keeps failing (or keeps killing the process) is parked with a log line.
 */
import type { DeliveryInbox, InboxRun, Replay } from '../core/adapter-host.ts'
import { BeaconError } from '../core/errors.ts'
import type { Logger } from '../core/logger.ts'
import type { EffectLedger } from '../core/once-turn.ts'
import { ownerGone, processOwner } from '../jobs/process-owner.ts'
import type { InboxRow, InboxStore } from '../storage/repositories/inbox.ts'

export const INBOX_MAX_ATTEMPTS = 3
/** A claim without a heartbeat for this long belongs to a process that stopped (other hosts). */
const LEASE_MS = 60_000
const SWEEP_MS = 30_000
const KEEP_DONE_MS = 24 * 60 * 60 * 1000
const KEEP_PARKED_MS = 7 * 24 * 60 * 60 * 1000

// The adapters' side of the inbox (InboxRun, Replay, DeliveryInbox) lives in the core.
export type { InboxRun, Replay } from '../core/adapter-host.ts'

export class Inbox implements DeliveryInbox {
  readonly owner = processOwner()
  private readonly live = new Map<number, Promise<void>>()
  private timer: NodeJS.Timeout | undefined
  private heartbeat: NodeJS.Timeout | undefined
  private sweeping: Promise<void> | undefined
  private stopped = false

  constructor(
    /** The backend's inbox table (`Storage.inbox`). */
    private readonly store: InboxStore,
    private readonly log: Logger,
    /** The adapter whose deliveries these are ('slack', 'teams'). */
    readonly source: string,
    private readonly replay: Replay,
  ) {}

  /**
   * The one write on the ack path. Returns the run to process it with, or 'duplicate' when this key
   * was accepted before. Throws BeaconError('unavailable') when the database cannot take the row
   * (SQLite locked past a short wait, disk full, PostgreSQL unreachable): the caller must then not
   * ack as if it were accepted.
   */
  async accept(key: string, body: unknown): Promise<InboxRun | 'duplicate'> {
    const now = Date.now()
    let id: number | undefined
    try {
      id = await this.store.insert({
        source: this.source,
        key,
        body: JSON.stringify(body),
        owner: this.owner,
        leaseUntil: now + LEASE_MS,
        receivedAt: now,
      })
    } catch (err) {
      throw new BeaconError('unavailable', `inbox refused a ${this.source} delivery: ${err instanceof Error ? err.message : String(err)}`, {
        cause: err,
      })
    }
    if (id === undefined) return 'duplicate'
    return this.runOf(id, false, 0)
  }

  /** Does the work of an accepted row and marks it done; a throw leaves it pending for a later try. */
  async run(run: InboxRun, work: () => Promise<void>): Promise<void> {
    // Accepted while stop() was starting, after it took the work in hand: storage may be closing, so
    // the row stays pending (and ours until its lease runs out) for the next process to replay.
    if (this.stopped) {
      this.log.info({ inboxId: run.id, source: this.source }, 'delivery accepted while stopping; left for replay')
      return
    }
    const done = (async () => {
      try {
        await work()
        await this.store.finish(run.id, Date.now(), this.owner)
      } catch (err) {
        this.log.warn({ err, inboxId: run.id, source: this.source }, 'inbox work failed; it will be tried again')
        await this.store.release(run.id, err instanceof Error ? err.message : String(err), this.owner)
      }
    })()
    this.live.set(run.id, done)
    try {
      await done
    } finally {
      this.live.delete(run.id)
    }
  }

  /**
   * A workspace removed its app: its deliveries still holding a body (pending, parked) are deleted,
   * so nothing of it is replayed or kept. `keep` is the removal's own delivery, finished as usual.
   */
  async forget(needle: string, belongs: (body: unknown) => boolean, keep?: number): Promise<number> {
    return await this.store.removeBodies(this.source, needle, belongs, keep)
  }

  /** Replays what earlier processes left, now and every SWEEP_MS; renews the leases of our own work. */
  start(): void {
    if (this.timer || this.stopped) return
    this.heartbeat = setInterval(() => void this.renewLeases(), LEASE_MS / 3)
    this.timer = setInterval(() => void this.sweep(), SWEEP_MS)
    this.heartbeat.unref()
    this.timer.unref()
    void this.sweep()
  }

  /** Stop sweeping and wait for the work in hand (what was accepted finishes, or stays pending). */
  async stop(): Promise<void> {
    this.stopped = true
    clearInterval(this.timer)
    clearInterval(this.heartbeat)
    await this.sweeping
    await Promise.allSettled([...this.live.values()])
  }

  /** Resolves once the current sweep (if any) finished: tests and start-up logs. */
  sweep(): Promise<void> {
    this.sweeping ??= this.sweepOnce().finally(() => (this.sweeping = undefined))
    return this.sweeping
  }

  private async sweepOnce(): Promise<void> {
    try {
      const now = Date.now()
      await this.store.purgeFinished('done', now - KEEP_DONE_MS)
      await this.store.purgeFinished('parked', now - KEEP_PARKED_MS)
      for (const row of await this.store.pendingNotOwnedBy(this.source, this.owner)) {
        if (this.stopped) return
        if (!this.abandoned(row, now)) continue
        if (row.attempts >= INBOX_MAX_ATTEMPTS) {
          await this.store.park(row, now, 'gave up')
          this.log.error(
            { inboxId: row.id, source: row.source, key: row.key, attempts: row.attempts, lastError: row.lastError },
            'inbox row parked: processing it failed or stopped the process every time; not retried again',
          )
          continue
        }
        if (!(await this.store.takeOver(row, this.owner, now + LEASE_MS))) continue // another process took it
        this.log.info(
          { inboxId: row.id, source: row.source, key: row.key, attempt: row.attempts + 1 },
          'replaying a delivery accepted before a restart',
        )
        const run = this.runOf(row.id, true, row.effects)
        await this.run(run, () => this.replay(JSON.parse(row.body) as unknown, run))
      }
    } catch (err) {
      this.log.error({ err, source: this.source }, 'inbox sweep failed')
    }
  }

  private async renewLeases(): Promise<void> {
    try {
      await this.store.renew([...this.live.keys()], this.owner, Date.now() + LEASE_MS)
    } catch (err) {
      this.log.warn({ err, source: this.source }, 'inbox lease renewal failed; retried at the next heartbeat')
    }
  }

  /** Unowned, or owned by a process that is gone (same host: its pid is dead; elsewhere: its lease ran out). */
  private abandoned(row: InboxRow, now: number): boolean {
    if (row.owner === null) return true
    return (row.leaseUntil !== null && row.leaseUntil < now) || ownerGone(row.owner)
  }

  private runOf(id: number, replay: boolean, effectsDone: number): InboxRun {
    let seq = 0
    const ledger: EffectLedger = {
      once: async (effect) => {
        const n = seq++
        if (n < effectsDone) return
        await effect()
        await this.store.recordEffect(id, n + 1)
      },
    }
    return { id, replay, ledger }
  }
}
