/** PostgreSQL as a `Storage`: loaded by src/storage/open.ts only when DATABASE_URL is set. */
import type { PostgresStorage } from '../open.ts'
import { closePostgres, openPostgres, pingPostgres } from './db.ts'
import { PgInbox } from './repositories/inbox.ts'
import { postgresRepositories } from './repositories/index.ts'
import { PgJobOutbox } from './repositories/job-outbox.ts'
import { PgSlackInstallationRepository } from './repositories/slack-installations.ts'
import { PgTeamsReferenceRepository } from './repositories/teams-references.ts'

/** Opens and migrates the database at `url`; `where` names it for messages (no password). */
export async function openPostgresStorage(url: string, where: string, opts: { onIdleError?: (err: Error) => void }): Promise<PostgresStorage> {
  const db = await openPostgres(url, opts.onIdleError ? { onIdleError: opts.onIdleError } : {})
  return {
    kind: 'postgres',
    db,
    repos: postgresRepositories(db),
    inbox: new PgInbox(db),
    slackInstallations: new PgSlackInstallationRepository(db),
    teamsReferences: new PgTeamsReferenceRepository(db),
    jobOutbox: new PgJobOutbox(db),
    where,
    ping: () => pingPostgres(db),
    close: () => closePostgres(db),
  }
}
