import { sqliteTable, text, integer, primaryKey, index } from 'drizzle-orm/sqlite-core'

/**
 * Slack workspaces and Teams tenants an operator linked into one organisation (`beacon org link`).
 * A workspace belongs to at most one organisation; one left alone is its own island.
 */
export const organisations = sqliteTable('organisations', {
  id: text('id').primaryKey(),
  createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
})

export const organisationWorkspaces = sqliteTable(
  'organisation_workspaces',
  {
    /** Primary key: a workspace is in one organisation at most. */
    workspaceId: text('workspace_id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    linkedAt: integer('linked_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('organisation_workspaces_org').on(t.orgId)],
)

/**
 * Who is the same person across an organisation's workspaces: each account whose platform gave a
 * verified email, keyed by that email (trimmed, lower case). Accounts sharing an email within one
 * organisation are one person; the mapping never reaches across organisations.
 */
export const organisationIdentities = sqliteTable(
  'organisation_identities',
  {
    orgId: text('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    workspaceId: text('workspace_id').notNull(),
    personId: text('person_id').notNull(),
    emailKey: text('email_key').notNull(),
    seenAt: integer('seen_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.personId] }), index('organisation_identities_email').on(t.orgId, t.emailKey)],
)
