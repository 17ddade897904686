import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core'

/**
 * Slack OAuth installations (one per workspace, or per Enterprise Grid org for org-wide installs).
 * `secret` holds the whole Bolt Installation (tokens included) encrypted with AES-256-GCM by the
 * Slack adapter; the other columns are the non-secret keys it is looked up by.
 */
export const slackInstallations = sqliteTable(
  'slack_installations',
  {
    /** The team id, or the enterprise id for an org-wide install. */
    key: text('key').primaryKey(),
    teamId: text('team_id'),
    enterpriseId: text('enterprise_id'),
    isEnterpriseInstall: integer('is_enterprise_install', { mode: 'boolean' }).notNull(),
    botUserId: text('bot_user_id'),
    /** base64(iv | tag | ciphertext) of the Installation JSON. */
    secret: text('secret').notNull(),
    installedAt: integer('installed_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('slack_installations_enterprise').on(t.enterpriseId)],
)
