/**
 * How a Beacon job looks inside BullMQ, both ways: the ids and options it is added with, and
 * running a BullMQ job through the registered handler (payload checked, permanent failures made
 * unrecoverable). The queue (bullmq-queue.ts) owns the connections, the outbox relay and the worker.
 */
import { UnrecoverableError, type Job, type JobsOptions } from 'bullmq'
import { KEEP_FINISHED_MS, errorText, isPermanent, validateJobData, type JobRegistry } from './common.ts'

const KEEP_FINISHED_S = Math.floor(KEEP_FINISHED_MS / 1000)

/**
 * BullMQ rejects custom ids that look like integers or contain ':' (its own repeat ids use ':'),
 * so names and keys are base64url-encoded; the "d." prefix keeps the result from ever being numeric.
 */
export function dedupeJobId(name: string, key: string): string {
  return `d.${b64(name)}.${b64(key)}`
}

export function schedulerId(name: string, key: string): string {
  return `s.${b64(name)}.${b64(key)}`
}

export function jobOptions({ attempts, backoffMs }: { attempts: number; backoffMs: number }): JobsOptions {
  return {
    attempts,
    // BullMQ's exponential backoff is delay * 2^(tries - 1): backoffMs, then double each time.
    backoff: { type: 'exponential', delay: backoffMs },
    // Finished jobs are the dedupe memory: an enqueue retried days later must still find them.
    removeOnComplete: { age: KEEP_FINISHED_S },
    removeOnFail: { age: KEEP_FINISHED_S },
  }
}

function b64(s: string): string {
  return Buffer.from(s, 'utf8').toString('base64url')
}

/** The worker's processor: BullMQ retries whatever this throws, except an UnrecoverableError. */
export async function runBullmqJob(registry: JobRegistry, job: Job): Promise<void> {
  const reg = registry.get(job.name)
  if (!reg) throw new UnrecoverableError(`no handler registered for "${job.name}"`)
  let payload: unknown
  try {
    payload = validateJobData(reg.def, job.data)
  } catch (e) {
    // Written by an older version or by hand: retrying cannot make it fit.
    throw new UnrecoverableError(errorText(e))
  }
  try {
    await reg.handler(payload, { jobId: job.id ?? '', attempt: job.attemptsMade + 1 })
  } catch (e) {
    if (isPermanent(e)) throw new UnrecoverableError(errorText(e))
    throw e
  }
}
