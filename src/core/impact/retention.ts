/**
 * Retention of question records. A question row exists only to tell its first answer (and who
 * asked, so a follow-up by the asker is not one); the answer itself is an impact event without a
 * person. So an answered question is needed by nothing, and an open one only while a late answer
 * could still change a figure some report reads: while its week is inside the reports' window.
 * The nightly `impact.purge` deletes the rest.
 */
import { z } from 'zod'
import type { JobDefinition } from '../ports.ts'
import { dayToDate, lastCompleteWeeks } from '../time/iso-weeks.ts'
import type { ImpactContext } from './deps.ts'
import { reportWindowWeeks } from './reports.ts'

const purgeSchema = z.object({}).strict().default({})
export const impactPurgeJob: JobDefinition<z.infer<typeof purgeSchema>> = {
  name: 'impact.purge',
  schema: purgeSchema,
  attempts: 3,
  backoffMs: 60_000,
}

/** Start of the oldest week any report reads: questions asked before it can no longer count. */
export function questionCutoff(ctx: ImpactContext): Date {
  const a = ctx.adoption
  return dayToDate(lastCompleteWeeks(a.clock.now(), reportWindowWeeks(a))[0]!)
}

export async function purgeQuestions(ctx: ImpactContext): Promise<number> {
  const cutoff = questionCutoff(ctx)
  const n = await ctx.impact.purgeQuestionsBefore(cutoff)
  ctx.adoption.log.info({ purged: n, cutoff: cutoff.toISOString() }, 'purged impact questions')
  return n
}
