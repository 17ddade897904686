import { and, eq } from 'drizzle-orm'
import type { Db } from '../db.ts'
import { slackInstallations } from '../schema/index.ts'

export type SlackInstallationRow = typeof slackInstallations.$inferSelect

/**
 * The Slack adapter's installation rows, on either backend (SQLite here, PostgreSQL in
 * src/storage/pg/repositories/slack-installations.ts). Storage for the adapter only, so not a core port.
 */
export interface SlackInstallationRepository {
  upsert(row: Omit<SlackInstallationRow, 'installedAt' | 'updatedAt'>, at?: Date): Promise<void>
  get(key: string): Promise<SlackInstallationRow | undefined>
  /** Replaces the sealed secret only if it is still `was` (another process may have re-sealed or reinstalled). */
  reseal(key: string, was: string, secret: string): Promise<void>
  /** True when a row was removed. */
  remove(key: string): Promise<boolean>
}

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
