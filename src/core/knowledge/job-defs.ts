/**
 * The knowledge jobs' definitions: names, zod payload schemas (validated at the queue boundary),
 * retry policy and dedupe keys. Kept apart from the handlers (jobs.ts) so the capability and the
 * handlers can both use them without an import cycle.
 */
import { z } from 'zod'
import type { JobDefinition } from '../ports.ts'
import { workspaceIdSchema } from '../schemas.ts'

const workspace = workspaceIdSchema
const id = z.string().min(1).max(500)

export const captureSchema = z.object({
  workspace,
  conversation: z.object({ id, name: z.string().max(500).optional(), privacy: z.enum(['public', 'private', 'direct']).optional() }),
  /** The message reacted to or acted on; its thread is what gets saved. */
  messageId: id,
  /** Known when the event said (message actions); otherwise looked up with ChatPlatform.threadOf. */
  threadId: id.optional(),
  saver: z.object({ id, displayName: z.string().max(500).optional() }),
  via: z.enum(['reaction', 'action']),
  /** Epoch ms of the request: a capture that finds the item synced after this skips the fetch. */
  requestedAt: z.number().int().nonnegative(),
  /**
   * The message the action carried (Teams' messagePayload): saved on its own when the platform
   * refuses the whole thread (no permission, not found), so the save is never lost.
   */
  acted: z
    .object({
      id,
      authorId: id,
      authorName: z.string().max(500).optional(),
      isBot: z.boolean().optional(),
      text: z.string().max(40_000),
      at: z.number().int().nonnegative(),
      permalink: z.string().max(2_000).optional(),
      attachments: z
        .array(z.object({ name: z.string().max(500), url: z.string().max(2_000) }))
        .max(20)
        .optional(),
    })
    .optional(),
})
export type CaptureJob = z.infer<typeof captureSchema>

export const refreshSchema = z.object({ workspace, threadId: id })
export type RefreshJob = z.infer<typeof refreshSchema>

export const suggestSchema = z.object({
  workspace,
  conversationId: id,
  threadId: id,
  messageId: id,
  personId: id,
  text: z.string().max(5000),
})
export type SuggestJob = z.infer<typeof suggestSchema>

export const staleScanSchema = z.object({ days: z.number().int().positive().max(3650).optional() })
export type StaleScanJob = z.infer<typeof staleScanSchema>

export const knowledgeCaptureJob: JobDefinition<CaptureJob> = { name: 'knowledge.capture', schema: captureSchema, attempts: 5, backoffMs: 2000 }
export const knowledgeRefreshJob: JobDefinition<RefreshJob> = { name: 'knowledge.refresh', schema: refreshSchema, attempts: 5, backoffMs: 2000 }
export const knowledgeSuggestJob: JobDefinition<SuggestJob> = { name: 'knowledge.suggest', schema: suggestSchema, attempts: 2, backoffMs: 1000 }
export const knowledgeStaleScanJob: JobDefinition<StaleScanJob> = {
  name: 'knowledge.stale-scan',
  schema: staleScanSchema,
  attempts: 3,
  backoffMs: 60_000,
}

export const KNOWLEDGE_JOBS = [knowledgeCaptureJob, knowledgeRefreshJob, knowledgeSuggestJob, knowledgeStaleScanJob] as const

// Enqueue helpers (used by the capability).

const HOUR = 3_600_000

/**
 * One capture per (message, saver, hour): a retried event or a second reaction by the same person
 * is absorbed by the queue. Different savers each get a cheap job that only records them when the
 * item was synced after their request (see captureThread). The hour bucket lets a deliberate re-save
 * later still refresh, since dedupe keys are kept after a job completes.
 */
export function captureKey(d: CaptureJob): string {
  return `kb-capture:${d.workspace}:${d.conversation.id}:${d.messageId}:${d.saver.id}:${Math.floor(d.requestedAt / HOUR)}`
}

/**
 * Debounce: every event of one thread inside the same window shares a key, and the job runs just
 * after the window closes, so a burst of replies costs one fetch and no event is missed.
 */
export function refreshPlan(threadId: string, nowMs: number, windowMs: number): { dedupeKey: string; delayMs: number } {
  const bucket = Math.floor(nowMs / windowMs)
  return { dedupeKey: `kb-refresh:${threadId}:${bucket}`, delayMs: (bucket + 1) * windowMs - nowMs + 500 }
}
