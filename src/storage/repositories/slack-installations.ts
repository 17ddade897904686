import { and, eq } from 'drizzle-orm'
import type { SlackInstallationRepository, SlackInstallationRow } from '../../core/adapter-stores.ts'
import type { Db } from '../db.ts'
import { slackInstallations } from '../schema/index.ts'

export type { SlackInstallationRepository, SlackInstallationRow } from '../../core/adapter-stores.ts'

/**
 * Rows of Slack OAuth installations. Knows nothing about encryption: the Slack adapter encrypts
 * `secret` before it gets here, so this layer never sees a token in clear.
 */
export class SqliteSlackInstallationRepository implements SlackInstallationRepository {
  constructor(private readonly db: Db) {}

  async upsert(row: Omit<SlackInstallationRow, 'installedAt' | 'updatedAt'>, at: Date = new Date()): Promise<void> {
    const values = { ...row, installedAt: at, updatedAt: at }
    const { installedAt: _keep, ...update } = values
    this.db.insert(slackInstallations).values(values).onConflictDoUpdate({ target: slackInstallations.key, set: update }).run()
  }

  async get(key: string): Promise<SlackInstallationRow | undefined> {
    return this.db.select().from(slackInstallations).where(eq(slackInstallations.key, key)).get()
  }

  /** Replaces the sealed secret only if it is still `was` (another process may have re-sealed or reinstalled). */
  async reseal(key: string, was: string, secret: string): Promise<void> {
    this.db
      .update(slackInstallations)
      .set({ secret })
      .where(and(eq(slackInstallations.key, key), eq(slackInstallations.secret, was)))
      .run()
  }

  /** True when a row was removed. */
  async remove(key: string): Promise<boolean> {
    return this.db.delete(slackInstallations).where(eq(slackInstallations.key, key)).run().changes > 0
  }
}
