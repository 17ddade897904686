import type { Logger } from '../logger.ts'
import { silentLogger } from '../logger.ts'
import { createRoleResolver, type RoleResolver } from '../people/roles.ts'
import type { WorkspaceId } from '../model.ts'
import type { Clock, JobQueue, PeopleRepository, PlatformDirectory } from '../ports.ts'
import { systemClock } from '../ports.ts'
import type { ActivityRepository, AdoptionSettingsRepository } from './types.ts'

/**
 * The organisation seen from adoption (implemented by src/core/org/adoption.ts): which workspaces a
 * team's channels may come from, and who an account of another workspace is.
 */
export interface AdoptionOrg {
  /** The other workspaces of `workspace`'s organisation; empty while it stands alone. */
  linkedWith(workspace: WorkspaceId): Promise<WorkspaceId[]>
  /**
   * An account of another workspace seen from `home`: the account with the same verified email in
   * `home` when there is one, else just that email; nothing when its platform gives none.
   */
  counterpart(workspace: WorkspaceId, personId: string, home: WorkspaceId): Promise<{ personId?: string; email?: string }>
  /** This person's own account in `other` (verified email, re-checked), for acting on a team there. */
  accountIn(workspace: WorkspaceId, personId: string, other: WorkspaceId): Promise<string | undefined>
}

/** Groups smaller than this are never shown; configuration may raise it, never lower it. */
export const MIN_GROUP_FLOOR = 5

export interface AdoptionDeps {
  activity: ActivityRepository
  settings: AdoptionSettingsRepository
  people: PeopleRepository
  platforms: PlatformDirectory
  queue: JobQueue
  clock?: Clock
  log?: Logger
  /** Linked workspaces: teams may span them, people are counted once (absent: every workspace alone). */
  org?: AdoptionOrg
  /** Who is a workspace admin (sees every team); default: the platform's own admins/owners only. */
  roles?: RoleResolver
  /** ADOPTION_MIN_GROUP_SIZE; values below 5 are raised to 5. */
  minGroupSize?: number
  /** ADOPTION_RETENTION_MONTHS: raw events older than this are purged (default 13). */
  retentionMonths?: number
  /** Weeks of history shown and diagnosed (default 12). */
  historyWeeks?: number
  /** PUBLIC_URL: base of dashboard links. */
  publicUrl?: string
  /** HMAC key of dashboard links (BEACON_ENCRYPTION_KEY, or a key generated per process). */
  dashboardKey?: Buffer
  /** How long a dashboard link works (default 15 min). */
  dashboardTtlMs?: number
  /** Local working hours in which nudges are delivered, Monday to Friday (default 9–17). */
  workingHours?: { start: number; end: number }
}

export interface AdoptionContext extends Required<Omit<AdoptionDeps, 'clock' | 'log' | 'dashboardKey' | 'publicUrl' | 'roles' | 'org'>> {
  org?: AdoptionOrg
  clock: Clock
  log: Logger
  roles: RoleResolver
  publicUrl: string
  dashboardKey: Buffer | undefined
}

export function resolveAdoptionDeps(d: AdoptionDeps): AdoptionContext {
  const clock = d.clock ?? systemClock
  const log = (d.log ?? silentLogger).child({ capability: 'adoption' })
  return {
    activity: d.activity,
    settings: d.settings,
    people: d.people,
    platforms: d.platforms,
    queue: d.queue,
    ...(d.org ? { org: d.org } : {}),
    clock,
    log,
    roles: d.roles ?? createRoleResolver({ platforms: d.platforms, admins: [], clock, log }),
    minGroupSize: Math.max(MIN_GROUP_FLOOR, Math.floor(d.minGroupSize ?? MIN_GROUP_FLOOR)),
    retentionMonths: Math.max(1, d.retentionMonths ?? 13),
    historyWeeks: Math.min(52, Math.max(7, d.historyWeeks ?? 12)),
    publicUrl: (d.publicUrl ?? 'http://localhost:3000').replace(/\/+$/, ''),
    dashboardKey: d.dashboardKey,
    dashboardTtlMs: d.dashboardTtlMs ?? 15 * 60_000,
    workingHours: d.workingHours ?? { start: 9, end: 17 },
  }
}
