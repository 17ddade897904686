/**
 * The create and edit forms (Slack modal, Teams dialog) and the state they carry. Form values and
 * context come back from the platform untrusted: both are parsed with zod before use.
 */
import { z } from 'zod'
import type { ChatMessage } from '../model.ts'
import type { Form } from '../outbound.ts'
import { TITLE_MAX } from './parse-task-text.ts'
import { shortId } from './task-ref.ts'
import type { Task } from './types.ts'
import { wallClock } from '../time/zoned-time.ts'

export const CREATE_FORM = 'task:create'
export const EDIT_FORM = 'task:edit'

/** Slack's private_metadata holds at most 3,000 characters. */
const CONTEXT_MAX = 3000

export const formValuesSchema = z.object({
  title: z.string().max(5000).default(''),
  assignees: z.string().max(2000).default(''),
  due: z.string().max(1000).default(''),
})

const id = z.string().min(1).max(500)
export const createContextSchema = z.object({
  v: z.literal(1),
  conversationId: id,
  messageId: id,
  threadId: id,
  permalink: z.string().url().max(1500).optional(),
})
export type CreateContext = z.infer<typeof createContextSchema>

export const editContextSchema = z.object({ v: z.literal(1), taskId: z.number().int().positive() })

export function parseContext<T>(schema: z.ZodType<T>, raw: string | undefined): T | undefined {
  if (!raw) return undefined
  try {
    const r = schema.safeParse(JSON.parse(raw))
    return r.success ? r.data : undefined
  } catch {
    return undefined
  }
}

export function createContextOf(m: ChatMessage): string {
  const base: CreateContext = { v: 1, conversationId: m.conversation.id, messageId: m.id, threadId: m.threadId }
  const withLink = m.permalink ? JSON.stringify({ ...base, permalink: m.permalink }) : undefined
  // A huge permalink is dropped rather than the whole context; the job looks it up again.
  return withLink && withLink.length <= CONTEXT_MAX ? withLink : JSON.stringify(base)
}

const fields = (prefill: { title: string; assignees: string; due: string }): Form['fields'] => [
  { id: 'title', label: 'Task', kind: 'text', initial: prefill.title, required: true, maxLength: TITLE_MAX, placeholder: 'What needs doing' },
  { id: 'assignees', label: 'Assignees', kind: 'text', initial: prefill.assignees, placeholder: '@name, @name (empty: you)' },
  { id: 'due', label: 'Due', kind: 'text', initial: prefill.due, placeholder: 'tomorrow 5pm, fri, in 3 days, by Dec 3 (empty: no due date)' },
]

export function createForm(prefill: { title: string; assignees: string; due: string }, context: string): Form {
  return { formId: CREATE_FORM, title: 'Create task', submitLabel: 'Create', context, fields: fields(prefill) }
}

/** Prefilled in the editor's zone, which is also the zone their answer is read in. */
export function editForm(task: Task, zone: string): Form {
  return {
    formId: EDIT_FORM,
    title: `Edit ${shortId(task)}`,
    submitLabel: 'Save',
    context: JSON.stringify({ v: 1, taskId: task.id }),
    fields: fields({
      title: task.title,
      assignees: task.assignees.map((a) => `@${a.displayName}`).join(', '),
      due: task.dueAt ? dueInput(task.dueAt, zone) : '',
    }),
  }
}

/** "7 Mar 2025 17:00": unambiguous, and read back to the same instant by the due-date parser. */
export function dueInput(at: Date, zone: string): string {
  const w = wallClock(at, zone)
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][w.month - 1]
  return `${w.day} ${month} ${w.year} ${String(w.hour).padStart(2, '0')}:${String(w.minute).padStart(2, '0')}`
}
