import { z } from 'zod'
import type { Task } from './types.ts'

/** "T-42", "t42", "T 42", "#42" or "42" → 42. */
const REF = /^(?:t[-\s]?|#)?(\d{1,9})$/i

export function parseTaskRef(s: string | undefined): number | undefined {
  const m = REF.exec((s ?? '').trim())
  if (!m) return undefined
  const n = Number(m[1])
  return n > 0 ? n : undefined
}

export function isTaskRef(s: string | undefined): boolean {
  return parseTaskRef(s) !== undefined
}

export const taskRefSchema = z.string().transform((s, ctx) => {
  const n = parseTaskRef(s)
  if (n === undefined) {
    ctx.addIssue({ code: 'custom', message: 'not a task id' })
    return z.NEVER
  }
  return n
})

export function shortId(t: Pick<Task, 'number'>): string {
  return `T-${t.number}`
}
