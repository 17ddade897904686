import { BeaconError } from '../../../src/core/errors.ts'
import type { EnqueueOptions, JobDefinition, JobHandler, JobQueue, ScheduleOptions } from '../../../src/core/ports.ts'

export interface QueuedJob {
  id: string
  name: string
  data: unknown
  opts: EnqueueOptions
}

/**
 * A tiny in-memory JobQueue: validates payloads like the real ones, remembers dedupe keys for ever
 * (stricter than the real queues, which forget finished jobs after a while) and runs jobs only when
 * the test says so, so races can be staged deterministically.
 */
export class FakeQueue implements JobQueue {
  readonly handlers = new Map<string, { def: JobDefinition<unknown>; handler: JobHandler<unknown> }>()
  readonly pending: QueuedJob[] = []
  readonly done: QueuedJob[] = []
  readonly failed: { job: QueuedJob; err: unknown }[] = []
  readonly schedules: { name: string; cron: string; data: unknown }[] = []
  private readonly keys = new Set<string>()
  private seq = 0

  register<T>(def: JobDefinition<T>, handler: JobHandler<T>): void {
    this.handlers.set(def.name, { def: def as JobDefinition<unknown>, handler: handler as JobHandler<unknown> })
  }

  async enqueue<T>(def: JobDefinition<T>, data: T, opts: EnqueueOptions = {}): Promise<{ id: string; deduped: boolean }> {
    return this.add(def, data, opts)
  }

  /** In memory, so no transaction to join: staged jobs are simply queued. */
  stage<T>(def: JobDefinition<T>, data: T, opts: EnqueueOptions = {}): void {
    this.add(def, data, opts)
  }

  private add<T>(def: JobDefinition<T>, data: T, opts: EnqueueOptions): { id: string; deduped: boolean } {
    const parsed = def.schema.safeParse(data)
    if (!parsed.success) throw new BeaconError('job_invalid', `bad ${def.name} payload: ${parsed.error.message}`)
    if (opts.dedupeKey !== undefined) {
      const k = `${def.name}\u0000${opts.dedupeKey}`
      if (this.keys.has(k)) return { id: 'deduped', deduped: true }
      this.keys.add(k)
    }
    const job = { id: String(++this.seq), name: def.name, data: JSON.parse(JSON.stringify(parsed.data)) as unknown, opts }
    this.pending.push(job)
    return { id: job.id, deduped: false }
  }

  async cancel(): Promise<boolean> {
    return false
  }

  async schedule<T>(def: JobDefinition<T>, cron: string, data: T, _opts?: ScheduleOptions): Promise<void> {
    this.schedules.push({ name: def.name, cron, data })
  }

  async unschedule(): Promise<void> {}

  async purgeWorkspace(): Promise<number> {
    return 0
  }

  names(): string[] {
    return [...this.handlers.keys()]
  }

  async runNow(name: string, data?: unknown): Promise<void> {
    const h = this.handlers.get(name)
    if (!h) throw new BeaconError('not_found', `no job ${name}`)
    await h.handler(h.def.schema.parse(data ?? {}), { jobId: 'now', attempt: 1 })
  }

  /** Run every pending job (and the ones they enqueue), one at a time, with the queue's retries. */
  async drain(filter?: (j: QueuedJob) => boolean): Promise<void> {
    for (;;) {
      const i = this.pending.findIndex((j) => !filter || filter(j))
      if (i < 0) return
      const [job] = this.pending.splice(i, 1)
      await this.run(job!)
    }
  }

  /** Run the given pending jobs at the same time (a race between two workers). */
  async runConcurrently(jobs: QueuedJob[]): Promise<void> {
    for (const j of jobs) this.pending.splice(this.pending.indexOf(j), 1)
    await Promise.all(jobs.map((j) => this.run(j)))
  }

  of(name: string): QueuedJob[] {
    return this.pending.filter((j) => j.name === name)
  }

  private async run(job: QueuedJob): Promise<void> {
    const h = this.handlers.get(job.name)
    if (!h) throw new Error(`no handler for ${job.name}`)
    const attempts = job.opts.attempts ?? h.def.attempts ?? 5
    for (let attempt = 1; ; attempt++) {
      try {
        await h.handler(h.def.schema.parse(job.data), { jobId: job.id, attempt })
        this.done.push(job)
        return
      } catch (err) {
        if (attempt >= attempts || (err instanceof BeaconError && err.code === 'job_permanent')) {
          this.failed.push({ job, err })
          return
        }
      }
    }
  }

  async start(): Promise<void> {}
  async close(): Promise<void> {}
  async ping(): Promise<boolean> {
    return true
  }
}
