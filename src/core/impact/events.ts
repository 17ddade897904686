/**
 * Impact events from what Beacon already sees: questions and their first answer (the question
 * detector of knowledge suggestions, on top-level channel messages), uses of saved knowledge,
 * 👍/👎 on "Did this answer it?", tasks and kudos (through the other features' hooks). Only the
 * kind, the conversation and the time are kept — never the text.
 */
import { weekStart as weekOf } from '../time/iso-weeks.ts'
import { looksLikeQuestion } from '../knowledge/suggestions.ts'
import type { MessagePosted } from '../events.ts'
import type { KnowledgeUse } from '../domain-events.ts'
import { decodeThreadId } from '../thread-id.ts'
import type { ImpactContext } from './deps.ts'

const HOUR_MS = 3_600_000

/** One working day after `at`: 24 hours later, pushed past Saturday and Sunday (UTC). */
export function workingDayAfter(at: Date): Date {
  let t = at.getTime() + 24 * HOUR_MS
  while ([0, 6].includes(new Date(t).getUTCDay())) t += 24 * HOUR_MS
  return new Date(t)
}

function rootOf(threadId: string): string | undefined {
  try {
    return decodeThreadId(threadId).rootId
  } catch {
    return undefined
  }
}

export async function onMessageForImpact(ctx: ImpactContext, e: MessagePosted): Promise<void> {
  const m = e.message
  if (m.author.isBot || m.conversation.privacy === 'direct') return
  const a = ctx.adoption
  if (rootOf(m.threadId) === m.id) {
    if (!looksLikeQuestion(m.text)) return
    if ((await a.people.get(e.workspace, m.author.id))?.isBot) return
    if (await a.settings.isOptedOut(e.workspace, m.author.id)) return
    await ctx.impact.openQuestion({
      workspace: e.workspace,
      conversationId: m.conversation.id,
      threadId: m.threadId,
      askerId: m.author.id,
      askedAt: m.at,
    })
    await ctx.impact.record({
      workspace: e.workspace,
      conversationId: m.conversation.id,
      kind: 'question_asked',
      at: m.at,
      sourceKey: `q:${m.threadId}`,
    })
    return
  }
  const q = await ctx.impact.answerQuestion(e.workspace, m.threadId, m.author.id, m.at)
  if (!q) return
  const minutes = Math.max(0, Math.round((m.at.getTime() - q.askedAt.getTime()) / 60_000))
  await ctx.impact.record({
    workspace: e.workspace,
    conversationId: q.conversationId,
    kind: 'question_answered',
    at: m.at,
    // Counted in the week the question was asked, so "share answered" compares like with like.
    week: weekOf(q.askedAt),
    minutes,
    flag: m.at.getTime() <= workingDayAfter(q.askedAt).getTime(),
    sourceKey: `a:${m.threadId}`,
  })
}

export async function recordKnowledgeUse(ctx: ImpactContext, u: KnowledgeUse): Promise<void> {
  await ctx.impact.record({
    workspace: u.workspace,
    conversationId: u.conversationId,
    kind: u.kind,
    itemId: u.itemId,
    at: ctx.adoption.clock.now(),
    sourceKey: `${u.kind}:${u.key}`,
  })
}
