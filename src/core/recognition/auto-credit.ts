/**
 * Automatic credit, recognition's answer to other features' domain events: the people whose answer
 * was saved (`knowledge.item-saved`) and the assignees of a finished task (`task.done`) get a kudos
 * that costs nobody's allowance. Both are idempotent on (cause, person), since publishers retry.
 */
import type { Credited, SavedItem, TaskFact } from '../domain-events.ts'
import type { WorkspaceId } from '../model.ts'
import { escapeMarkdown } from '../outbound.ts'
import { findPerson } from '../people/resolve.ts'
import type { RecognitionContext } from './deps.ts'
import type { KudosService } from './kudos-service.ts'

export interface AutoCredit {
  /** `knowledge.item-saved`: credit the people whose answers were saved (idempotent on item + person). */
  onItemSaved(item: SavedItem, contributors: readonly Credited[]): Promise<void>
  /** `task.done`: credit the assignees of a finished task (idempotent on task + person). */
  onTaskDone(task: TaskFact): Promise<void>
}

export function autoCredit(ctx: RecognitionContext, service: KudosService): AutoCredit {
  /** Automatic credit goes to people only: a contributor or assignee known to be a bot is skipped. */
  async function humans(workspace: WorkspaceId, list: readonly Credited[]): Promise<{ id: string; name: string }[]> {
    const out: { id: string; name: string }[] = []
    for (const p of list) {
      const known = await findPerson(ctx, workspace, p.personId)
      if (!known?.isBot) out.push({ id: p.personId, name: p.displayName })
    }
    return out
  }

  return {
    async onItemSaved(item, contributors) {
      const people = await humans(item.workspace, contributors)
      const title = escapeMarkdown(item.title)
      await service.credit({
        workspace: item.workspace,
        people,
        reason: `answer saved to the knowledge base: ${item.permalink ? `[${title}](${item.permalink})` : `**${title}**`}`,
        source: 'knowledge',
        refId: item.id,
        conversationId: item.conversation.id,
        privacy: item.conversation.privacy,
      })
    },
    async onTaskDone(task) {
      const people = await humans(task.workspace, task.assignees)
      await service.credit({
        workspace: task.workspace,
        people,
        reason: `finished **T-${task.number}** ${escapeMarkdown(task.title)}`,
        source: 'task-done',
        refId: task.id,
        ...(task.conversationId ? { conversationId: task.conversationId } : {}),
      })
    },
  }
}
