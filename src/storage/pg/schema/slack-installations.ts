import { boolean, index, pgTable, text } from 'drizzle-orm/pg-core'
import { at } from './columns.ts'

/** PostgreSQL twin of src/storage/schema/slack-installations.ts (`secret` is sealed by the Slack adapter). */
export const slackInstallations = pgTable(
  'slack_installations',
  {
    key: text('key').primaryKey(),
    teamId: text('team_id'),
    enterpriseId: text('enterprise_id'),
    isEnterpriseInstall: boolean('is_enterprise_install').notNull(),
    botUserId: text('bot_user_id'),
    secret: text('secret').notNull(),
    installedAt: at('installed_at').notNull(),
    updatedAt: at('updated_at').notNull(),
  },
  (t) => [index('slack_installations_enterprise').on(t.enterpriseId)],
)
