/**
 * What the Teams adapter receives from the composition root: the core's services, its settings as a
 * plain object, the inbox, and the store of conversation references (SQLite or PostgreSQL).
 */
import type { AdapterHost, OpenInbox } from '../../src/core/adapter-host.ts'
import type { TeamsReferenceRepository } from '../../src/core/adapter-stores.ts'

export interface TeamsConfig {
  appId?: string
  appPassword?: string
  tenantId?: string
  appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI'
  anonymous: boolean
  graphApiUrl: string
  /** Azure AD authority host for app-only tokens (sovereign clouds, tests' local issuer). */
  loginUrl: string
  /** Where the Bot Framework publishes the keys that sign inbound requests. */
  openIdMetadataUrl: string
}

export interface TeamsHost extends AdapterHost {
  config: TeamsConfig
  references: TeamsReferenceRepository
  openInbox: OpenInbox
}
