/**
 * What other features' domain events count as activity. Each fact carries a key, so a publisher's
 * retry (a capture job, a notify job) or a replayed request counts once. Subscribed in the `record`
 * phase: recognition's credit for the same fact runs first, and a fact whose credit failed is
 * counted when the publisher's retry succeeds.
 */
import type { DomainSubscriptions } from '../feature.ts'
import type { RecordActivity } from './activity.ts'

export function activitySubscriptions(activity: RecordActivity): DomainSubscriptions {
  return {
    'knowledge.item-saved': {
      phase: 'record',
      async handle({ item }) {
        // The first saver is the one who saved it; later savers only bookmarked it again.
        const saver = item.savers[0]
        if (saver)
          await activity({
            workspace: item.workspace,
            personId: saver.personId,
            kind: 'knowledge_saved',
            conversationId: item.conversation.id,
            key: `knowledge:${item.id}`,
          })
      },
    },
    'task.created': {
      phase: 'record',
      async handle({ task }) {
        await activity({
          workspace: task.workspace,
          personId: task.creatorId,
          kind: 'task_created',
          ...(task.conversationId ? { conversationId: task.conversationId } : {}),
          key: `task:${task.id}:created`,
        })
      },
    },
    'task.done': {
      phase: 'record',
      async handle({ task }) {
        const by = task.closedBy ?? task.creatorId
        await activity({
          workspace: task.workspace,
          personId: by,
          kind: 'task_done',
          ...(task.conversationId ? { conversationId: task.conversationId } : {}),
          key: `task:${task.id}:done`,
        })
      },
    },
    'kudos.given': {
      phase: 'record',
      async handle({ kudos }) {
        for (const k of kudos) {
          const where = k.conversationId ? { conversationId: k.conversationId } : {}
          if (k.giverId)
            await activity({
              workspace: k.workspace,
              personId: k.giverId,
              kind: 'kudos_given',
              targetPersonId: k.receiverId,
              key: `kudos:${k.key}:given`,
              ...where,
            })
          await activity({ workspace: k.workspace, personId: k.receiverId, kind: 'kudos_received', key: `kudos:${k.key}:received`, ...where })
        }
      },
    },
  }
}
