import type { ConversationRepository, PeopleRepository, ProcessedEventRepository, WorkspaceRepository } from '../../core/ports.ts'
import type { Db } from '../db.ts'
import { SqliteConversationRepository } from './conversations.ts'
import { SqlitePeopleRepository } from './people.ts'
import { SqliteProcessedEventRepository } from './processed-events.ts'
import { SqliteWorkspaceRepository } from './workspaces.ts'

export interface Repositories {
  workspaces: WorkspaceRepository
  people: PeopleRepository
  conversations: ConversationRepository
  processedEvents: ProcessedEventRepository
}

export function sqliteRepositories(db: Db): Repositories {
  return {
    workspaces: new SqliteWorkspaceRepository(db),
    people: new SqlitePeopleRepository(db),
    conversations: new SqliteConversationRepository(db),
    processedEvents: new SqliteProcessedEventRepository(db),
  }
}
