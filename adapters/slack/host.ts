/**
 * What the Slack adapter receives from the composition root: the core's services, its settings as a
 * plain object, the inbox, and (OAuth) the installation store with the keys that seal its tokens.
 */
import type { AdapterHost, OpenInbox } from '../../src/core/adapter-host.ts'
import type { SlackInstallationRepository } from '../../src/core/adapter-stores.ts'

export interface SlackConfig {
  signingSecret?: string
  botToken?: string
  appToken?: string
  oauth?: { clientId: string; clientSecret: string; stateSecret: string }
  apiUrl: string
  /** SLACK_DEPARTMENT_FIELD: a custom profile field id ("Xf…") or label; people's department is read from it. */
  departmentField?: string
}

export interface SlackHost extends AdapterHost {
  config: SlackConfig
  /** PUBLIC_URL: where Slack's OAuth redirect comes back to. */
  publicUrl: string
  /** OAuth installs: where they are kept; tokens are sealed with `key` and opened with it or `previousKeys`. */
  installations?: { rows: SlackInstallationRepository; key: Buffer; previousKeys: Buffer[] }
  openInbox: OpenInbox
}
