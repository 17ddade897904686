import { readFileSync } from 'node:fs'
import { z } from 'zod'
import { createAdoptionFeature, parseDepartmentsFile, parseTeamsFile, type AdoptionFeature } from '../core/adoption/index.ts'
import type { Capability } from '../core/capability.ts'
import { createDomainEventBus } from '../core/domain-events.ts'
import { assembleFeatures } from '../core/feature.ts'
import { createImpactFeature, type ImpactFeature } from '../core/impact/index.ts'
import { createRoleResolver } from '../core/people/roles.ts'
import { orgAdoption } from '../core/org/adoption.ts'
import { OrgIdentity } from '../core/org/identity.ts'
import { placeOf } from '../core/org/places.ts'
import { orgRecognition } from '../core/org/recognition.ts'
import { orgHelpNote } from '../core/org/help-note.ts'
import { createKnowledge } from '../core/knowledge/index.ts'
import type { Logger } from '../core/logger.ts'
import { createTasksFeature } from '../core/tasks/index.ts'
import type { Clock, JobDefinition, JobQueue, PlatformDirectory } from '../core/ports.ts'
import { createRecognitionFeature } from '../core/recognition/index.ts'
import type { Repositories } from '../storage/repositories/index.ts'
import type { Config } from './config.ts'
import { deriveKey } from './keys.ts'

export interface CapabilityDeps {
  config: Config
  log: Logger
  repos: Repositories
  queue: JobQueue
  platforms: PlatformDirectory
  clock: Clock
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
  /** Adoption analytics: the dashboard routes read its reports. */
  adoption: AdoptionFeature
  /** Business impact: the dashboard's impact section reads its reports. */
  impact: ImpactFeature
  /** The organisation link, shown to admins under `/beacon help`. */
  beaconHelpNote: (workspace: string, personId: string) => Promise<string | undefined>
}

/** Reads a start-up file, or stops start-up with a message naming it. */
function readConfigFile(path: string | undefined, what: string): { text: string; file: string } | undefined {
  if (!path) return undefined
  try {
    return { text: readFileSync(path, 'utf8'), file: path }
  } catch (err) {
    throw new Error(`${what} ${path} cannot be read: ${err instanceof Error ? err.message : String(err)}`, { cause: err })
  }
}

export function buildCapabilities(deps: CapabilityDeps): Features {
  const { config, log, repos, queue, platforms, clock } = deps
  // Features publish domain events here and subscribe to each other's through it (src/core/domain-events.ts).
  const events = createDomainEventBus()
  // One answer to "is this person an admin?" for every feature (platform flags + BEACON_ADMINS).
  const roles = createRoleResolver({ platforms, admins: config.admins, clock, log })
  // One person across an organisation's linked workspaces (same verified email): permissions follow them.
  const identity = new OrgIdentity({ orgs: repos.orgs, platforms, clock, log })
  const orgKudos = orgRecognition(identity, repos.orgKudos)
  // Matching the giver and receivers across the organisation never fails the kudos itself.
  events.subscribe(
    'kudos.given',
    ({ kudos }) => orgKudos.remember(kudos).catch((err: unknown) => log.warn({ err }, 'could not match kudos people across the organisation')),
    { phase: 'record' },
  )
  const adoption = createAdoptionFeature({
    activity: repos.activity,
    settings: repos.adoptionSettings,
    people: repos.people,
    platforms,
    queue,
    clock,
    log,
    roles,
    org: orgAdoption({ identity, orgs: repos.orgs, platforms, clock }),
    minGroupSize: config.adoption.minGroupSize,
    retentionMonths: config.adoption.retentionMonths,
    publicUrl: config.publicUrl,
    ...(config.encryptionKey ? { dashboardKey: deriveKey(config.encryptionKey, 'link-signing') } : {}),
    dashboardTtlMs: config.adoption.dashboardTtlMs,
  })
  // Business impact: reads adoption's teams and rollups, counts what the other features publish.
  const impact = createImpactFeature({ adoption: adoption.context, impact: repos.impact, sponsors: repos.sponsors })
  const recognition = createRecognitionFeature({
    repo: repos.kudos,
    people: repos.people,
    platforms,
    queue,
    clock,
    log,
    events,
    ...config.recognition,
    mayManageDigest: async (workspace, personId, conversationId) =>
      (await roles.isAdmin(workspace, personId)) ||
      (await adoption.context.settings.teams(workspace)).some((t) => t.channels.includes(conversationId) && t.managers.includes(personId)),
    org: orgKudos,
  })
  const knowledge = createKnowledge({
    repo: repos.knowledge,
    people: repos.people,
    conversations: repos.conversations,
    platforms,
    queue,
    clock,
    log,
    events,
    reaction: config.knowledgeReaction,
    reach: async (workspace, personId) => (await identity.reach(workspace, personId)).accounts,
    placeOf: placeOf(repos.workspaces),
    ...(config.knowledgeRefreshDebounceMs !== undefined ? { refreshDebounceMs: config.knowledgeRefreshDebounceMs } : {}),
  })
  const tasks = createTasksFeature({
    repo: repos.tasks,
    people: repos.people,
    platforms,
    queue,
    clock,
    log,
    events,
    reminderLeadMs: config.taskReminderLeadMs,
    recognition: recognition.taskRecognition,
    ...(config.taskWebhook ? { webhook: config.taskWebhook } : {}),
  })
  // The order of `help` and of chat-event handling; App Home shows tasks, then knowledge.
  // `/beacon impact` and `/beacon sponsor` are answered by impact, the rest of `/beacon` by adoption.
  const beacon = { ...adoption, capability: impact.withBeacon(adoption.capability) }
  const features = assembleFeatures([beacon, knowledge, tasks, recognition, impact], { bus: events, platforms, homeOrder: ['tasks', 'knowledge'] })
  // Parsed now so a broken file stops start-up with its name; applied to the database at start.
  const adoptionFiles = {
    teams: readConfigFile(config.adoption.teamsFile, 'ADOPTION_TEAMS_FILE'),
    departments: readConfigFile(config.adoption.departmentsFile, 'DEPARTMENTS_FILE'),
  }
  if (adoptionFiles.teams) parseTeamsFile(adoptionFiles.teams.text, adoptionFiles.teams.file)
  if (adoptionFiles.departments) parseDepartmentsFile(adoptionFiles.departments.text, adoptionFiles.departments.file)
  return {
    adoption,
    impact,
    capabilities: features.capabilities,
    beaconHelpNote: orgHelpNote(identity, roles, repos.workspaces),
    registerJobs() {
      queue.register(purgeProcessedEvents, async ({ keepDays }) => {
        const n = await repos.processedEvents.purgeBefore(new Date(clock.now().getTime() - keepDays * 86_400_000))
        log.info({ purged: n }, 'purged old event claims')
      })
      features.registerJobs()
    },
    async scheduleJobs() {
      // Database only (no Redis), so first: teams and departments are in place even if Redis is slow.
      await adoption.loadFiles({
        ...(adoptionFiles.teams ? { teams: adoptionFiles.teams } : {}),
        ...(adoptionFiles.departments ? { departments: adoptionFiles.departments } : {}),
      })
      await queue.schedule(purgeProcessedEvents, '17 3 * * *', { keepDays: 7 })
      await features.scheduleJobs()
    },
  }
}
