import { z } from 'zod'
import type { Capability } from '../core/capability.ts'
import { homeCapability } from '../core/home.ts'
import { createKnowledge } from '../core/knowledge/index.ts'
import type { Logger } from '../core/logger.ts'
import { createTasksFeature, registerTaskJobs } from '../core/tasks/index.ts'
import type { Clock, JobDefinition, JobQueue, PlatformDirectory } from '../core/ports.ts'
import type { Db } from '../storage/db.ts'
import { SqliteKnowledgeRepository } from '../storage/repositories/knowledge.ts'
import type { Repositories } from '../storage/repositories/index.ts'
import { SqliteTaskRepository } from '../storage/repositories/tasks.ts'
import type { Config } from './config.ts'

export interface CapabilityDeps {
  config: Config
  log: Logger
  db: Db
  repos: Repositories
  queue: JobQueue
  platforms: PlatformDirectory
  clock: Clock
}

/** `/beacon`: the overview help and, later, team and privacy settings. */
const beaconCapability: Capability = {
  name: 'beacon',
  commands: {
    beacon: {
      summary: 'shows this help and Beacon’s settings',
      help: [{ usage: 'help', summary: 'what Beacon can do and how to use it' }],
      run: async (e, turn) => {
        await turn.reply({ text: `I don’t know \`${e.text}\` yet. Try \`help\`.`, visibleTo: e.person.id, publicFallback: true })
      },
    },
  },
}

/** Platforms stop retrying an event within minutes; a week of claims is plenty to stay exactly-once. */
const purgeProcessedEvents: JobDefinition<{ keepDays: number }> = {
  name: 'beacon.purge-processed-events',
  schema: z.object({ keepDays: z.number().int().min(1).max(365) }),
  attempts: 3,
}

/** Every feature Beacon runs, and the jobs they need, wired to this process's ports. */
export interface Features {
  capabilities: Capability[]
  /** Job handlers; before queue.start(). */
  registerJobs(): void
  /** Repeatable schedules; may wait for Redis, so start-up does not block on it. */
  scheduleJobs(): Promise<void>
}

export function buildCapabilities(deps: CapabilityDeps): Features {
  const { config, log, db, repos, queue, platforms, clock } = deps
  const knowledge = createKnowledge({
    repo: new SqliteKnowledgeRepository(db),
    people: repos.people,
    conversations: repos.conversations,
    platforms,
    queue,
    clock,
    log,
    reaction: config.knowledgeReaction,
  })
  const tasks = createTasksFeature({
    repo: new SqliteTaskRepository(db),
    people: repos.people,
    platforms,
    queue,
    clock,
    log,
    ...(config.taskWebhook ? { webhook: config.taskWebhook } : {}),
  })
  return {
    capabilities: [beaconCapability, knowledge.capability, tasks.capability, homeCapability(platforms, [tasks.homeSection, knowledge.homeSection])],
    registerJobs() {
      queue.register(purgeProcessedEvents, async ({ keepDays }) => {
        const n = await repos.processedEvents.purgeBefore(new Date(clock.now().getTime() - keepDays * 86_400_000))
        log.info({ purged: n }, 'purged old event claims')
      })
      knowledge.registerJobs()
      registerTaskJobs(queue, tasks.context)
    },
    async scheduleJobs() {
      await queue.schedule(purgeProcessedEvents, '17 3 * * *', { keepDays: 7 })
      await knowledge.scheduleJobs()
      await tasks.scheduleJobs()
    },
  }
}
