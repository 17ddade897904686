/**
 * The knowledge feature's public surface for the composition root:
 *
 *   const kb = createKnowledge({ repo, people, conversations, platforms, queue, reaction, onItemSaved })
 *   dispatcher capabilities: [kb.capability, …]; kb.registerJobs(); await kb.scheduleJobs()
 *   App Home: await kb.homeSection(workspace, personId)
 */
import type { Capability } from '../capability.ts'
import type { WorkspaceId } from '../model.ts'
import type { CardBlock } from '../outbound.ts'
import { knowledgeCapability } from './capability.ts'
import { resolveDeps, type KnowledgeContext, type KnowledgeDeps } from './deps.ts'
import { knowledgeHomeSection } from './home.ts'
import { registerKnowledgeJobs, scheduleKnowledgeJobs } from './jobs.ts'
import { KnowledgeSearch } from './search.ts'

export interface Knowledge {
  capability: Capability
  /** Register the job handlers on deps.queue (before queue.start()). */
  registerJobs(): void
  /** The daily stale-knowledge sweep. */
  scheduleJobs(opts?: { staleCron?: string; timezone?: string }): Promise<void>
  homeSection(workspace: WorkspaceId, personId: string): Promise<CardBlock[]>
  search: KnowledgeSearch
  context: KnowledgeContext
}

export function createKnowledge(deps: KnowledgeDeps): Knowledge {
  const ctx = resolveDeps(deps)
  return {
    capability: knowledgeCapability(ctx),
    registerJobs: () => registerKnowledgeJobs(ctx.queue, ctx),
    scheduleJobs: (opts) => scheduleKnowledgeJobs(ctx.queue, opts),
    homeSection: (workspace, personId) => knowledgeHomeSection(ctx, workspace, personId),
    search: new KnowledgeSearch(ctx),
    context: ctx,
  }
}

export { knowledgeCapability } from './capability.ts'
export type { KnowledgeDeps, KnowledgeContext, OnItemSaved } from './deps.ts'
export { resolveDeps } from './deps.ts'
export { knowledgeHomeSection } from './home.ts'
export * from './job-defs.ts'
export { registerKnowledgeJobs, scheduleKnowledgeJobs } from './jobs.ts'
export type * from './types.ts'
export { runStaleScan } from './stale.ts'
export { findSuggestion, scoreQuestion, looksLikeQuestion } from './suggestions.ts'
export { parseQuery, buildMatch } from './search-query.ts'
