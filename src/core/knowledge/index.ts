/**
 * The knowledge feature for the composition root:
 *
 *   const kb = createKnowledge({ repo, people, conversations, platforms, queue, reaction, events })
 *   a Feature (src/core/feature.ts): publishes `knowledge.item-saved`, subscribes to nothing;
 *   kb.search answers `/kb` queries for other surfaces (then `recordViews` once the results are shown).
 */
import type { Feature } from '../feature.ts'
import { knowledgeCapability } from './capability.ts'
import { resolveDeps, type KnowledgeContext, type KnowledgeDeps } from './deps.ts'
import { knowledgeHomeSection } from './home.ts'
import { registerKnowledgeJobs, scheduleKnowledgeJobs } from './jobs.ts'
import { KnowledgeSearch } from './search.ts'

export interface Knowledge extends Feature {
  homeSection: NonNullable<Feature['homeSection']>
  /** The daily stale-knowledge sweep. */
  scheduleJobs(opts?: { staleCron?: string; timezone?: string }): Promise<void>
  search: KnowledgeSearch
  context: KnowledgeContext
}

export function createKnowledge(deps: KnowledgeDeps): Knowledge {
  const ctx = resolveDeps(deps)
  return {
    name: 'knowledge',
    capability: knowledgeCapability(ctx),
    registerJobs: () => registerKnowledgeJobs(ctx.queue, ctx),
    scheduleJobs: (opts) => scheduleKnowledgeJobs(ctx.queue, opts),
    homeSection: (workspace, personId) => knowledgeHomeSection(ctx, workspace, personId),
    events: { publishes: ['knowledge.item-saved', 'knowledge.item-used'], subscribes: {} },
    search: new KnowledgeSearch(ctx),
    context: ctx,
  }
}

export { knowledgeCapability } from './capability.ts'
export type { KnowledgeDeps, KnowledgeContext } from './deps.ts'
export { resolveDeps } from './deps.ts'
export { knowledgeHomeSection } from './home.ts'
export * from './job-defs.ts'
export { registerKnowledgeJobs, scheduleKnowledgeJobs } from './jobs.ts'
export type * from './types.ts'
export { runStaleScan } from './stale.ts'
export { findSuggestion, scoreQuestion, looksLikeQuestion } from './suggestions.ts'
export { parseQuery, buildMatch } from './search-query.ts'
