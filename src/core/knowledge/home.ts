/** The knowledge part of a personal home surface (Slack App Home); the adapter places the blocks. */
import type { WorkspaceId } from '../model.ts'
import type { CardBlock } from '../outbound.ts'
import type { KnowledgeContext } from './deps.ts'
import { itemList } from './render.ts'
import { KnowledgeSearch } from './search.ts'

const SHOWN = 5

export async function knowledgeHomeSection(ctx: KnowledgeContext, workspace: WorkspaceId, personId: string): Promise<CardBlock[]> {
  const search = new KnowledgeSearch(ctx)
  // Both lists are permission-filtered: a saver who left a private channel no longer sees its items.
  const [recent, mine] = [await search.recent(workspace, personId, SHOWN), await search.recent(workspace, personId, SHOWN, personId)]
  return [
    { type: 'text', text: '**Recent knowledge**' },
    { type: 'text', text: itemList(recent, `Nothing saved yet. React with :${ctx.reaction}: on any message to save its whole thread.`) },
    { type: 'divider' },
    { type: 'text', text: '**Your saved items**' },
    { type: 'text', text: itemList(mine, 'You haven’t saved anything yet.') },
    { type: 'context', text: 'Search everything with `/kb <words>`.' },
  ]
}
