/** The adoption jobs: names, zod payloads (validated at the queue boundary), retries, dedupe keys. */
import { z } from 'zod'
import type { JobDefinition } from '../ports.ts'
import { workspaceIdSchema } from '../schemas.ts'

const workspace = workspaceIdSchema
const week = z.string().regex(/^\d{4}-W\d{2}$/, 'an ISO week like 2025-W07')

// Empty payloads default to {}: `beacon jobs run adoption.weekly` may run before the schedule (which holds the data) exists.
export const weeklySchema = z.object({}).strict().default({})
export const nudgeSchema = z.object({ workspace, managerId: z.string().min(1).max(200), week })
export const purgeSchema = z.object({}).strict().default({})
export type NudgeJob = z.infer<typeof nudgeSchema>

/** Monday morning (UTC): compute every team's week, plan one nudge per manager, measure nudge effects. */
export const adoptionWeeklyJob: JobDefinition<z.infer<typeof weeklySchema>> = {
  name: 'adoption.weekly',
  schema: weeklySchema,
  attempts: 3,
  backoffMs: 60_000,
}
/** One manager's nudge, delivered inside their working hours. */
export const adoptionNudgeJob: JobDefinition<NudgeJob> = { name: 'adoption.nudge', schema: nudgeSchema, attempts: 5, backoffMs: 5_000 }
/** Daily: raw activity older than the retention period goes. */
export const adoptionPurgeJob: JobDefinition<z.infer<typeof purgeSchema>> = {
  name: 'adoption.purge',
  schema: purgeSchema,
  attempts: 3,
  backoffMs: 60_000,
}

/** At most one nudge per manager and ISO week, however often the weekly job runs. */
export function nudgeKey(d: NudgeJob): string {
  return `adoption-nudge:${d.workspace}:${d.managerId}:${d.week}`
}
