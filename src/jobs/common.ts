/**
 * What both JobQueue implementations share: the registry of handlers, payload validation, retry
 * defaults, cron parsing and `runNow`. Keeping these in one place is what makes the two queues
 * behave the same under the shared contract tests.
 */
import type * as CronParser from 'cron-parser'
import { BeaconError, PermanentJobError } from '../core/errors.ts'
import type { EnqueueOptions, JobDefinition, JobHandler } from '../core/ports.ts'
import { requireCommonJs } from '../core/require-commonjs.ts'

const { CronExpressionParser } = requireCommonJs<typeof CronParser>('cron-parser')

export const DEFAULT_ATTEMPTS = 5
export const DEFAULT_BACKOFF_MS = 1000
/** Finished jobs are kept this long so a late retry of the same enqueue is still deduped. */
export const KEEP_FINISHED_MS = 7 * 24 * 60 * 60 * 1000

export interface Registered {
  def: JobDefinition<unknown>
  handler: JobHandler<unknown>
}

export class JobRegistry {
  private readonly byName = new Map<string, Registered>()

  add<T>(def: JobDefinition<T>, handler: JobHandler<T>): void {
    if (this.byName.has(def.name)) throw new BeaconError('conflict', `job "${def.name}" is already registered`)
    // The handler only ever receives data that passed def.schema, so widening T here is sound.
    this.byName.set(def.name, { def: def as JobDefinition<unknown>, handler: handler as JobHandler<unknown> })
  }

  get(name: string): Registered | undefined {
    return this.byName.get(name)
  }

  names(): string[] {
    return [...this.byName.keys()].sort()
  }
}

/** Parses with the definition's schema; a payload that does not fit is the caller's bug, not a retryable failure. */
export function validateJobData<T>(def: JobDefinition<T>, data: unknown): T {
  const res = def.schema.safeParse(data)
  if (!res.success) {
    const detail = res.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')
    throw new BeaconError('job_invalid', `invalid data for job "${def.name}": ${detail}`, { cause: res.error })
  }
  return res.data
}

export function retryPolicy(def: JobDefinition<unknown>, opts: EnqueueOptions = {}): { attempts: number; backoffMs: number } {
  const attempts = opts.attempts ?? def.attempts ?? DEFAULT_ATTEMPTS
  const backoffMs = opts.backoffMs ?? def.backoffMs ?? DEFAULT_BACKOFF_MS
  if (!Number.isInteger(attempts) || attempts < 1) throw new BeaconError('job_invalid', `attempts must be a positive integer (got ${attempts})`)
  if (!(backoffMs >= 0)) throw new BeaconError('job_invalid', `backoffMs must be >= 0 (got ${backoffMs})`)
  return { attempts, backoffMs }
}

/** Milliseconds from `now` until the job is due; runAt wins over delayMs when both are given. */
export function delayFrom(opts: EnqueueOptions, now: number): number {
  if (opts.runAt) return Math.max(0, opts.runAt.getTime() - now)
  return Math.max(0, opts.delayMs ?? 0)
}

/** Delay before try number `attempt + 1` after try `attempt` failed: backoff, doubling each time. */
export function backoffDelay(backoffMs: number, attempt: number): number {
  return backoffMs * 2 ** Math.max(0, attempt - 1)
}

/** First firing strictly after `after`; throws job_invalid for a bad expression or zone. Accepts 5 or 6 (seconds) fields. */
export function nextCronTime(cron: string, timezone: string, after: number): number {
  try {
    return CronExpressionParser.parse(cron, { currentDate: new Date(after), tz: timezone })
      .next()
      .getTime()
  } catch (e) {
    throw new BeaconError('job_invalid', `invalid cron "${cron}" (${timezone}): ${e instanceof Error ? e.message : String(e)}`, { cause: e })
  }
}

export function isPermanent(e: unknown): boolean {
  return e instanceof PermanentJobError || (e instanceof BeaconError && e.code === 'job_permanent')
}

export function errorText(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e)
}

/**
 * Operators' "run it now": runs the handler in this process and awaits it, so the CLI sees the
 * outcome (and the error) directly instead of a queued job it cannot follow. No retries on purpose.
 * Without data, a scheduled job runs with the data of its default schedule.
 */
export async function runRegisteredNow(
  registry: JobRegistry,
  name: string,
  data: unknown,
  scheduledData: (name: string) => Promise<unknown>,
  newId: () => string,
): Promise<void> {
  const reg = registry.get(name)
  if (!reg) {
    throw new BeaconError('not_found', `no job named "${name}" (known: ${registry.names().join(', ') || 'none'})`)
  }
  const input = data === undefined ? await scheduledData(name) : data
  if (input === undefined && !reg.def.schema.safeParse(undefined).success) {
    // Not a scheduled job, so nothing to default to: name the fields the operator has to give.
    const probe = reg.def.schema.safeParse({})
    const fields = probe.success ? [] : [...new Set(probe.error.issues.map((i) => String(i.path[0] ?? '')).filter(Boolean))]
    throw new BeaconError('job_invalid', `invalid data for job "${name}": it needs JSON data${fields.length ? ` with ${fields.join(', ')}` : ''}`)
  }
  const payload = validateJobData(reg.def, input)
  await reg.handler(payload, { jobId: newId(), attempt: 1 })
}

/**
 * Whether a job payload belongs to a workspace: any `workspace` field in it, at any depth, names it.
 * Payloads are JSON the features wrote (`{ workspace, … }`); a string that merely contains the id
 * elsewhere does not count.
 */
export function payloadOfWorkspace(data: unknown, workspace: string, depth = 0): boolean {
  if (depth > 8 || data === null || typeof data !== 'object') return false
  if (Array.isArray(data)) return data.some((d) => payloadOfWorkspace(d, workspace, depth + 1))
  for (const [k, v] of Object.entries(data)) {
    if (k === 'workspace' && v === workspace) return true
    if (typeof v === 'object' && payloadOfWorkspace(v, workspace, depth + 1)) return true
  }
  return false
}

/** The same test on a stored (JSON text) payload; text that does not parse belongs to nobody. */
export function storedPayloadOfWorkspace(text: string, workspace: string): boolean {
  if (!text.includes(workspace)) return false
  try {
    return payloadOfWorkspace(JSON.parse(text) as unknown, workspace)
  } catch {
    return false
  }
}
