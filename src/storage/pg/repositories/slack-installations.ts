import { and, eq } from 'drizzle-orm'
import type { SlackInstallationRepository, SlackInstallationRow } from '../../repositories/slack-installations.ts'
import type { PgDb } from '../db.ts'
import { slackInstallations } from '../schema/slack-installations.ts'

/** Slack OAuth installation rows on PostgreSQL; `secret` arrives sealed by the Slack adapter. */
export class PgSlackInstallationRepository implements SlackInstallationRepository {
  constructor(private readonly db: PgDb) {}

  async upsert(row: Omit<SlackInstallationRow, 'installedAt' | 'updatedAt'>, at: Date = new Date()): Promise<void> {
    const values = { ...row, installedAt: at, updatedAt: at }
    const { installedAt: _keep, ...update } = values
    await this.db.insert(slackInstallations).values(values).onConflictDoUpdate({ target: slackInstallations.key, set: update })
  }

  async get(key: string): Promise<SlackInstallationRow | undefined> {
    const [row] = await this.db.select().from(slackInstallations).where(eq(slackInstallations.key, key))
    return row
  }

  async reseal(key: string, was: string, secret: string): Promise<void> {
    await this.db
      .update(slackInstallations)
      .set({ secret })
      .where(and(eq(slackInstallations.key, key), eq(slackInstallations.secret, was)))
  }

  async remove(key: string): Promise<boolean> {
    return ((await this.db.delete(slackInstallations).where(eq(slackInstallations.key, key))).rowCount ?? 0) > 0
  }
}
