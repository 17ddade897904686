import type { ActivityRepository, AdoptionSettingsRepository } from '../../core/adoption/types.ts'
import type { ImpactRepository, SponsorRepository } from '../../core/impact/types.ts'
import type { KnowledgeRepository } from '../../core/knowledge/types.ts'
import type { ConversationRepository, PeopleRepository, ProcessedEventRepository, WorkspaceRepository } from '../../core/ports.ts'
import type { OrgKudosRepository, OrgRepository } from '../../core/org/types.ts'
import type { KudosRepository } from '../../core/recognition/types.ts'
import type { TaskRepository } from '../../core/tasks/types.ts'
import type { Db } from '../db.ts'
import type { PgDb } from '../pg/db.ts'
import { PgActivityRepository } from '../pg/repositories/adoption-activity.ts'
import { PgAdoptionSettingsRepository } from '../pg/repositories/adoption-settings.ts'
import { PgConversationRepository } from '../pg/repositories/conversations.ts'
import { PgImpactRepository, PgSponsorRepository } from '../pg/repositories/impact.ts'
import { PgKnowledgeRepository } from '../pg/repositories/knowledge.ts'
import { PgOrgKudosRepository } from '../pg/repositories/org-kudos.ts'
import { PgOrgRepository } from '../pg/repositories/organisations.ts'
import { PgPeopleRepository } from '../pg/repositories/people.ts'
import { PgProcessedEventRepository } from '../pg/repositories/processed-events.ts'
import { PgKudosRepository } from '../pg/repositories/recognition.ts'
import { PgTaskRepository } from '../pg/repositories/tasks.ts'
import { PgWorkspaceRepository } from '../pg/repositories/workspaces.ts'
import { SqliteActivityRepository } from './adoption-activity.ts'
import { SqliteAdoptionSettingsRepository } from './adoption-settings.ts'
import { SqliteConversationRepository } from './conversations.ts'
import { SqliteImpactRepository, SqliteSponsorRepository } from './impact.ts'
import { SqliteKnowledgeRepository } from './knowledge.ts'
import { SqliteOrgRepository } from './organisations.ts'
import { SqliteOrgKudosRepository } from './org-kudos.ts'
import { SqlitePeopleRepository } from './people.ts'
import { SqliteProcessedEventRepository } from './processed-events.ts'
import { SqliteKudosRepository } from './recognition.ts'
import { SqliteTaskRepository } from './tasks.ts'
import { SqliteWorkspaceRepository } from './workspaces.ts'

/** Every store the core uses, built in one place per backend so the rest never names one. */
export interface Repositories {
  workspaces: WorkspaceRepository
  people: PeopleRepository
  conversations: ConversationRepository
  processedEvents: ProcessedEventRepository
  tasks: TaskRepository
  knowledge: KnowledgeRepository
  kudos: KudosRepository
  activity: ActivityRepository
  adoptionSettings: AdoptionSettingsRepository
  impact: ImpactRepository
  sponsors: SponsorRepository
  /** Organisations: linked workspaces and who is the same person across them. */
  orgs: OrgRepository
  orgKudos: OrgKudosRepository
}

export function sqliteRepositories(db: Db): Repositories {
  return {
    workspaces: new SqliteWorkspaceRepository(db),
    people: new SqlitePeopleRepository(db),
    conversations: new SqliteConversationRepository(db),
    processedEvents: new SqliteProcessedEventRepository(db),
    tasks: new SqliteTaskRepository(db),
    knowledge: new SqliteKnowledgeRepository(db),
    kudos: new SqliteKudosRepository(db),
    activity: new SqliteActivityRepository(db),
    adoptionSettings: new SqliteAdoptionSettingsRepository(db),
    impact: new SqliteImpactRepository(db),
    sponsors: new SqliteSponsorRepository(db),
    orgs: new SqliteOrgRepository(db),
    orgKudos: new SqliteOrgKudosRepository(db),
  }
}

export function postgresRepositories(db: PgDb): Repositories {
  return {
    workspaces: new PgWorkspaceRepository(db),
    people: new PgPeopleRepository(db),
    conversations: new PgConversationRepository(db),
    processedEvents: new PgProcessedEventRepository(db),
    tasks: new PgTaskRepository(db),
    knowledge: new PgKnowledgeRepository(db),
    kudos: new PgKudosRepository(db),
    activity: new PgActivityRepository(db),
    adoptionSettings: new PgAdoptionSettingsRepository(db),
    impact: new PgImpactRepository(db),
    sponsors: new PgSponsorRepository(db),
    orgs: new PgOrgRepository(db),
    orgKudos: new PgOrgKudosRepository(db),
  }
}
