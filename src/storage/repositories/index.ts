import type { ActivityRepository, AdoptionSettingsRepository } from '../../core/adoption/types.ts'
import type { ImpactRepository, SponsorRepository } from '../../core/impact/types.ts'
import type { KnowledgeRepository } from '../../core/knowledge/types.ts'
import type { ConversationRepository, PeopleRepository, ProcessedEventRepository, WorkspaceRepository } from '../../core/ports.ts'
import type { OrgKudosRepository, OrgRepository } from '../../core/org/types.ts'
import type { KudosRepository } from '../../core/recognition/types.ts'
import type { TaskRepository } from '../../core/tasks/types.ts'
import type { Db } from '../db.ts'
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
