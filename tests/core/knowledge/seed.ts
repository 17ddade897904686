import type { ItemContent } from '../../../src/core/knowledge/types.ts'
import type { Privacy } from '../../../src/core/model.ts'
import type { KnowledgeRepository } from '../../../src/core/knowledge/types.ts'

let seq = 0

/** Store an item directly (no platform), for search tests. */
export async function seedItem(
  repo: KnowledgeRepository,
  o: {
    workspace?: string
    title: string
    body?: string
    tags?: string[]
    conversation?: { id: string; name: string; privacy: Privacy }
    contributors?: [string, string][]
    saver?: string
    now?: Date
  },
) {
  const n = ++seq
  const workspace = o.workspace ?? 'slack:T1'
  const conversation = o.conversation ?? { id: 'CGEN', name: 'general', privacy: 'public' as const }
  const content: ItemContent = {
    workspace,
    threadId: `slack:${workspace.split(':')[1]}:${conversation.id}:${n}.0001`,
    conversation,
    rootMessageId: `${n}.0001`,
    title: o.title,
    body: o.body ?? o.title,
    searchText: o.body ?? o.title,
    tags: o.tags ?? [],
    contributors: (o.contributors ?? [['UADA', 'Ada Lovelace']]).map(([personId, displayName]) => ({ personId, displayName })),
    permalink: `https://example.slack.com/archives/${conversation.id}/p${n}`,
    messageCount: 1,
  }
  return repo.upsert(content, {
    now: o.now ?? new Date(Date.UTC(2024, 3, 1)),
    saver: { personId: o.saver ?? 'UADA', via: 'reaction' },
    reactivate: true,
  })
}
