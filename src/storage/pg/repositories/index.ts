/** The PostgreSQL stores; loaded only with DATABASE_URL (src/storage/open.ts), so SQLite runs never load drizzle's pg-core. */
import type { Repositories } from '../../repositories/index.ts'
import type { PgDb } from '../db.ts'
import { PgActivityRepository } from './adoption-activity.ts'
import { PgAdoptionSettingsRepository } from './adoption-settings.ts'
import { PgConversationRepository } from './conversations.ts'
import { PgImpactRepository, PgSponsorRepository } from './impact.ts'
import { PgKnowledgeRepository } from './knowledge.ts'
import { PgOrgKudosRepository } from './org-kudos.ts'
import { PgOrgRepository } from './organisations.ts'
import { PgPeopleRepository } from './people.ts'
import { PgProcessedEventRepository } from './processed-events.ts'
import { PgKudosRepository } from './recognition.ts'
import { PgTaskRepository } from './tasks.ts'
import { PgWorkspaceRepository } from './workspaces.ts'

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
