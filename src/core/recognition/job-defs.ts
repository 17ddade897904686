/**
 * Recognition's jobs: names, zod payloads (validated at the queue boundary), retry policy and
 * dedupe keys. Kept apart from the handlers so the capability can enqueue without import cycles.
 */
import { z } from 'zod'
import type { JobDefinition } from '../ports.ts'
import { workspaceIdSchema } from '../schemas.ts'

const workspace = workspaceIdSchema
const id = z.string().min(1).max(500)

export const reactionSchema = z.object({
  workspace,
  conversation: z.object({ id, name: z.string().max(500).optional() }),
  messageId: id,
  threadId: id.optional(),
  giver: z.object({ id, displayName: z.string().max(500).optional() }),
  /** The reacted message's author: the receiver. Absent when the platform did not say. */
  authorId: id.optional(),
})
export type ReactionJob = z.infer<typeof reactionSchema>

export const dmSchema = z.object({ workspace, personId: id, text: z.string().min(1).max(4000) })
export type DmJob = z.infer<typeof dmSchema>

export const digestSchema = z.object({}).strict()
export type DigestJob = z.infer<typeof digestSchema>

export const kudosReactionJob: JobDefinition<ReactionJob> = { name: 'recognition.reaction', schema: reactionSchema, attempts: 5, backoffMs: 2000 }
export const kudosDmJob: JobDefinition<DmJob> = { name: 'recognition.dm', schema: dmSchema, attempts: 5, backoffMs: 2000 }
export const kudosDigestJob: JobDefinition<DigestJob> = { name: 'recognition.weekly-digest', schema: digestSchema, attempts: 3, backoffMs: 60_000 }

export const RECOGNITION_JOBS = [kudosReactionJob, kudosDmJob, kudosDigestJob] as const

/** One job per (message, reacting person): adding the reaction again, or a retried event, is absorbed. */
export function reactionKey(d: Pick<ReactionJob, 'workspace' | 'conversation' | 'messageId' | 'giver'>): string {
  return `kudos-react:${d.workspace}:${d.conversation.id}:${d.messageId}:${d.giver.id}`
}
