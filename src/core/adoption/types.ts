/**
 * The adoption model and the storage ports it needs (implemented in
 * src/storage/repositories/adoption-*.ts). Activity is counted, never read: an event says who did
 * what kind of thing in which conversation and when, and nothing of what was written.
 */
import type { WorkspaceId } from '../model.ts'

export const ACTIVITY_KINDS = [
  'message',
  'reply',
  'reaction',
  'knowledge_saved',
  'task_created',
  'task_done',
  'kudos_given',
  'kudos_received',
] as const
export type ActivityKind = (typeof ACTIVITY_KINDS)[number]

/** Being thanked is not something a person did: it never makes anyone "active". */
export const PASSIVE_KINDS: ReadonlySet<ActivityKind> = new Set(['kudos_received'])

export interface ActivityEvent {
  workspace: WorkspaceId
  conversationId: string
  personId: string
  kind: ActivityKind
  at: Date
  /** The other person of a reaction or kudos, for links across departments. */
  targetPersonId?: string
  /** Thread of a message or reply: a reply is linked to the author of its root. */
  threadId?: string
  /** Idempotency key for hook-fed events ("task:42:created"): recorded once however often it is sent. */
  sourceKey?: string
}

export interface Link {
  fromId: string
  toId: string
  count: number
}

/** A link and the conversation it happened in (the reply's, or the kudos'). */
export interface ChannelLink extends Link {
  conversationId: string
}

export interface ActivityRepository {
  /**
   * Stores the event and bumps its rollup in one transaction; false for an opted-out person, a person
   * the people table marks as a bot, or a repeated sourceKey. The bot check is part of the write (not a
   * read before it), so a chat message costs one statement, batched with its neighbours on PostgreSQL.
   */
  record(e: ActivityEvent): Promise<boolean>
  /** Bulk load (demo seed, benchmark): one transaction; opt-outs are applied, bots are not looked up. */
  recordMany(events: Iterable<ActivityEvent>): Promise<number>
  /** Counts per person and kind in the ISO week starting on `monday` (the weekly rollup). */
  weekCounts(workspace: WorkspaceId, conversationIds: string[], monday: string): Promise<{ personId: string; kind: ActivityKind; count: number }[]>
  /** Distinct active people (any write action) of these conversations in the week starting on `monday`. */
  weekActiveCount(workspace: WorkspaceId, conversationIds: string[], monday: string): Promise<number>
  /**
   * The people active (any write action) in these conversations in the week starting on `monday`.
   * Optional: without it the metrics derive the set from weekCounts, which reads more rows.
   */
  weekActivePeople?(workspace: WorkspaceId, conversationIds: string[], monday: string): Promise<Set<string>>
  /**
   * Monday of the first week each person did something in any of these conversations (whole retained
   * history). With `people`, only they need be answered for (the metrics ask about the window's
   * active people, so the cost follows the window, not everyone ever seen); more is harmless.
   */
  firstSeenWeeks(workspace: WorkspaceId, conversationIds: string[], people?: Iterable<string>): Promise<Map<string, string>>
  /** Reply→root-author and kudos giver→receiver pairs of these conversations in [fromDay, toDay). */
  links(workspace: WorkspaceId, conversationIds: string[], fromDay: string, toDay: string): Promise<Link[]>
  /**
   * The links of every conversation of the workspace in [fromDay, toDay), per conversation: one read
   * serves every team of a report (summed per pair over a team's conversations, it is `links`).
   */
  channelLinks(workspace: WorkspaceId, fromDay: string, toDay: string): Promise<ChannelLink[]>
  /** Distinct active people of these conversations in [fromDay, toDay) (privacy checks). */
  activeCount(workspace: WorkspaceId, conversationIds: string[], fromDay: string, toDay: string): Promise<number>
  /** Deletes raw events and rollups older than the cutoff; returns raw events removed. */
  purgeBefore(cutoff: Date): Promise<number>
  /** Opt-out: the person's raw events and rollups go, and links to them lose their target. */
  forgetPerson(workspace: WorkspaceId, personId: string): Promise<void>
}

/** What the metrics and the privacy rules read (people-view.ts answers it across an organisation). */
export type ActivityReads = Pick<ActivityRepository, 'weekCounts' | 'weekActivePeople' | 'firstSeenWeeks' | 'links'>

export interface Team {
  id: number
  workspace: WorkspaceId
  name: string
  /** Ids in `workspace`; "<workspace>/<id>" for a channel of another workspace of its organisation (channels.ts). */
  channels: string[]
  managers: string[]
}

export const OBJECTIVE_METRICS = ['active', 'posting', 'contributions', 'knowledge', 'tasks_done', 'kudos', 'wau_mau'] as const
export type ObjectiveMetric = (typeof OBJECTIVE_METRICS)[number]

export interface Objective {
  teamId: number
  metric: ObjectiveMetric
  target: number
  setBy: string
  setAt: Date
}

export interface NudgeSnapshot {
  week: string
  activePeople: number
  contributions: number
}

export interface NudgeRecord {
  id: number
  workspace: WorkspaceId
  teamId: number
  managerId: string
  week: string
  diagnoses: string[]
  before: NudgeSnapshot
  after?: NudgeSnapshot
  sentAt: Date
}

export interface NudgePrefs {
  muted: boolean
  snoozedUntil?: Date
}

export interface AdoptionSettingsRepository {
  createTeam(workspace: WorkspaceId, name: string, at: Date): Promise<Team>
  /** Creates or replaces a team's channels and managers (teams file at start-up). */
  syncTeam(workspace: WorkspaceId, name: string, channels: string[], managers: string[], at: Date): Promise<Team>
  teamByName(workspace: WorkspaceId, name: string): Promise<Team | undefined>
  team(workspace: WorkspaceId, id: number): Promise<Team | undefined>
  teams(workspace: WorkspaceId): Promise<Team[]>
  teamWorkspaces(): Promise<WorkspaceId[]>
  addChannel(teamId: number, conversationId: string): Promise<void>
  removeChannel(teamId: number, conversationId: string): Promise<void>
  addManager(teamId: number, personId: string): Promise<void>
  removeManager(teamId: number, personId: string): Promise<void>
  deleteTeam(teamId: number): Promise<void>

  /** Replaces the whole mapping (departments file read at start-up). */
  replaceDepartments(rows: { workspace: WorkspaceId | '*'; personId: string; department: string }[]): Promise<void>
  /** Adds or updates rows without touching the others (demo seed). */
  addDepartments(rows: { workspace: WorkspaceId | '*'; personId: string; department: string }[]): Promise<void>
  departments(workspace: WorkspaceId): Promise<Map<string, string>>

  optOut(workspace: WorkspaceId, personId: string, at: Date): Promise<void>
  optIn(workspace: WorkspaceId, personId: string): Promise<void>
  isOptedOut(workspace: WorkspaceId, personId: string): Promise<boolean>

  setObjective(o: Objective): Promise<void>
  objectives(teamId: number): Promise<Objective[]>

  /** True for exactly one caller per (manager, ISO week): the right to send that week's nudge. */
  claimNudge(workspace: WorkspaceId, managerId: string, week: string, at: Date): Promise<boolean>
  releaseNudge(workspace: WorkspaceId, managerId: string, week: string): Promise<void>
  saveNudge(n: Omit<NudgeRecord, 'id' | 'after'>): Promise<void>
  nudges(workspace: WorkspaceId, teamId?: number): Promise<NudgeRecord[]>
  /** Nudges about weeks at or before `week` whose "after" snapshot is still missing. */
  nudgesAwaitingEffect(workspace: WorkspaceId, week: string): Promise<NudgeRecord[]>
  setNudgeAfter(id: number, after: NudgeSnapshot): Promise<void>
  nudgePrefs(workspace: WorkspaceId, personId: string): Promise<NudgePrefs>
  setNudgePrefs(workspace: WorkspaceId, personId: string, p: NudgePrefs): Promise<void>
}
