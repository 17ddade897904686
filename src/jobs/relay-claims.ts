/**
 * Per-process claims on outbox job ids, shared by the relay, cancel and purge. The relay claims a
 * row's id, re-checks that the row still exists, adds it to Redis and deletes the row, all under
 * the claim. A cancel of that id claims it too, so it either deletes the row before the re-check
 * (the relay skips the row) or after the add (the job is in Redis, where cancel knows how to remove
 * it); never in between, where the relay would add a job the cancel had already answered for.
 */
export class RelayClaims {
  private readonly held = new Map<string, Promise<void>>()

  /** Runs `fn` holding `jobId`; waits for whoever holds it now. */
  async hold<T>(jobId: string, fn: () => Promise<T>): Promise<T> {
    for (let p = this.held.get(jobId); p; p = this.held.get(jobId)) await p
    return this.run(jobId, fn)
  }

  /**
   * Like `hold`, but waits at most `waitMs` for the current holder (a relay stuck adding to a Redis
   * that went away): undefined then, and `fn` did not run.
   */
  async holdWithin<T>(jobId: string, waitMs: number, fn: () => Promise<T>): Promise<T | undefined> {
    const deadline = Date.now() + waitMs
    for (let p = this.held.get(jobId); p; p = this.held.get(jobId)) {
      if (!(await settlesWithin(p, deadline - Date.now()))) return undefined
    }
    return this.run(jobId, fn)
  }

  /** Waits for every claim held now (not for ones taken later). */
  async settled(): Promise<void> {
    await Promise.all(this.held.values())
  }

  private async run<T>(jobId: string, fn: () => Promise<T>): Promise<T> {
    let release = () => {}
    this.held.set(jobId, new Promise<void>((r) => (release = r)))
    try {
      return await fn()
    } finally {
      this.held.delete(jobId)
      release()
    }
  }
}

async function settlesWithin(p: Promise<void>, ms: number): Promise<boolean> {
  if (ms <= 0) return false
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<false>((r) => {
    timer = setTimeout(() => r(false), ms)
  })
  try {
    return await Promise.race([p.then(() => true), late])
  } finally {
    clearTimeout(timer)
  }
}
