import { index, pgTable, primaryKey, text } from 'drizzle-orm/pg-core'
import { at } from './columns.ts'

/** PostgreSQL twin of src/storage/schema/organisations.ts (linked workspaces and cross-platform identities). */
export const organisations = pgTable('organisations', {
  id: text('id').primaryKey(),
  createdAt: at('created_at').notNull(),
})

export const organisationWorkspaces = pgTable(
  'organisation_workspaces',
  {
    workspaceId: text('workspace_id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    linkedAt: at('linked_at').notNull(),
  },
  (t) => [index('organisation_workspaces_org').on(t.orgId)],
)

export const organisationIdentities = pgTable(
  'organisation_identities',
  {
    orgId: text('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    workspaceId: text('workspace_id').notNull(),
    personId: text('person_id').notNull(),
    emailKey: text('email_key').notNull(),
    seenAt: at('seen_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.personId] }), index('organisation_identities_email').on(t.orgId, t.emailKey)],
)
