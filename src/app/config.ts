import { z } from 'zod'
import { BeaconError } from '../core/errors.ts'

const optional = z.string().trim().min(1).optional()
const flag = z
  .enum(['true', 'false', '1', '0', ''])
  .optional()
  .transform((v) => v === 'true' || v === '1')

const httpUrl = () => z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' })

/** Every environment variable of the public contract (see .env.example), validated together. */
const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_PATH: z.string().trim().min(1).default('./data/beacon.db'),
  REDIS_URL: z.url({ protocol: /^rediss?$/, message: 'must be a redis:// or rediss:// URL' }).optional(),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, "_" and "-" only')
    .default('beacon'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PUBLIC_URL: httpUrl().optional(),
  KNOWLEDGE_REACTION: z
    .string()
    .trim()
    .regex(/^:?[a-z0-9_+'-]+:?$/, 'a reaction name such as bookmark (no spaces)')
    .transform((s) => s.replace(/^:|:$/g, ''))
    .default('bookmark'),
  BEACON_ENCRYPTION_KEY: z
    .string()
    .regex(/^[A-Za-z0-9+/=]{44}$|^[0-9a-fA-F]{64}$/, 'must be 32 bytes as base64 (44 chars) or hex (64 chars)')
    .optional(),

  TASK_WEBHOOK_URL: httpUrl().optional(),
  TASK_WEBHOOK_SECRET: z.string().min(16, 'at least 16 characters').optional(),

  SLACK_SIGNING_SECRET: optional,
  SLACK_BOT_TOKEN: z.string().trim().startsWith('xoxb-', 'must start with xoxb-').optional(),
  SLACK_CLIENT_ID: optional,
  SLACK_CLIENT_SECRET: optional,
  SLACK_STATE_SECRET: optional,
  SLACK_APP_TOKEN: z.string().trim().startsWith('xapp-', 'must start with xapp-').optional(),
  SLACK_API_URL: httpUrl().default('https://slack.com/api/'),

  MICROSOFT_APP_ID: optional,
  MICROSOFT_APP_PASSWORD: optional,
  MICROSOFT_APP_TENANT_ID: optional,
  MICROSOFT_APP_TYPE: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant'),
  TEAMS_ANONYMOUS: flag,
  GRAPH_API_URL: httpUrl().default('https://graph.microsoft.com/v1.0/'),
  MICROSOFT_LOGIN_URL: httpUrl().default('https://login.microsoftonline.com'),
  BOT_OPENID_METADATA_URL: httpUrl().default('https://login.botframework.com/v1/.well-known/openidconfiguration'),
})

export interface SlackConfig {
  signingSecret?: string
  botToken?: string
  appToken?: string
  oauth?: { clientId: string; clientSecret: string; stateSecret: string }
  apiUrl: string
}

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

export interface Config {
  /** "serve" when any Slack or Teams setting is present, otherwise the local shell. */
  mode: 'serve' | 'shell'
  port: number
  databasePath: string
  redisUrl?: string
  queuePrefix: string
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL']
  publicUrl: string
  knowledgeReaction: string
  /** 32-byte key for secrets at rest (Slack OAuth tokens). */
  encryptionKey?: Buffer
  /** Where task events are POSTed, signed with the secret (HMAC-SHA256). */
  taskWebhook?: { url: string; secret: string }
  slack?: SlackConfig
  teams?: TeamsConfig
}

export class ConfigError extends BeaconError {
  constructor(readonly problems: string[]) {
    super('config_invalid', `Beacon cannot start; fix the environment:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
  }
}

type Env = Record<string, string | undefined>

/** Empty strings count as unset, as in most .env tooling. */
function clean(env: Env): Env {
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''))
}

export function loadConfig(rawEnv: Env = process.env): Config {
  const parsed = envSchema.safeParse(clean(rawEnv))
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || 'environment'}: ${i.message}`))
  }
  const e = parsed.data
  const problems: string[] = []
  const need = (cond: boolean, msg: string) => {
    if (!cond) problems.push(msg)
  }

  const oauthAny = Boolean(e.SLACK_CLIENT_ID || e.SLACK_CLIENT_SECRET || e.SLACK_STATE_SECRET)
  if (oauthAny) {
    need(Boolean(e.SLACK_CLIENT_ID), 'SLACK_CLIENT_ID: required with SLACK_CLIENT_SECRET / SLACK_STATE_SECRET (Slack OAuth)')
    need(Boolean(e.SLACK_CLIENT_SECRET), 'SLACK_CLIENT_SECRET: required for Slack OAuth')
    need(Boolean(e.SLACK_STATE_SECRET), 'SLACK_STATE_SECRET: required for Slack OAuth')
    need(Boolean(e.SLACK_SIGNING_SECRET) || Boolean(e.SLACK_APP_TOKEN), 'SLACK_SIGNING_SECRET: required for Slack OAuth over HTTP')
    need(Boolean(e.BEACON_ENCRYPTION_KEY), 'BEACON_ENCRYPTION_KEY: required for Slack OAuth (installation tokens are encrypted at rest)')
  }
  const slackAny = Boolean(e.SLACK_SIGNING_SECRET || e.SLACK_BOT_TOKEN || e.SLACK_APP_TOKEN || oauthAny)
  if (slackAny && !oauthAny) {
    need(Boolean(e.SLACK_BOT_TOKEN), 'SLACK_BOT_TOKEN: required with SLACK_SIGNING_SECRET or SLACK_APP_TOKEN (or set up OAuth)')
    need(Boolean(e.SLACK_SIGNING_SECRET || e.SLACK_APP_TOKEN), 'SLACK_SIGNING_SECRET: required with SLACK_BOT_TOKEN (or SLACK_APP_TOKEN for Socket Mode)')
  }
  if (e.MICROSOFT_APP_ID && e.MICROSOFT_APP_TYPE !== 'UserAssignedMSI') {
    need(Boolean(e.MICROSOFT_APP_PASSWORD), 'MICROSOFT_APP_PASSWORD: required with MICROSOFT_APP_ID')
  }
  if (e.MICROSOFT_APP_TYPE === 'SingleTenant') {
    need(Boolean(e.MICROSOFT_APP_TENANT_ID), 'MICROSOFT_APP_TENANT_ID: required when MICROSOFT_APP_TYPE=SingleTenant')
  }
  if (e.TASK_WEBHOOK_URL) need(Boolean(e.TASK_WEBHOOK_SECRET), 'TASK_WEBHOOK_SECRET: required with TASK_WEBHOOK_URL (every delivery is signed)')
  if (problems.length) throw new ConfigError(problems)

  const teamsAny = Boolean(e.MICROSOFT_APP_ID || e.TEAMS_ANONYMOUS)
  const serve = slackAny || teamsAny
  return {
    mode: serve ? 'serve' : 'shell',
    port: e.PORT,
    databasePath: e.DATABASE_PATH,
    ...(e.REDIS_URL ? { redisUrl: e.REDIS_URL } : {}),
    queuePrefix: e.QUEUE_PREFIX,
    logLevel: e.LOG_LEVEL,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    knowledgeReaction: e.KNOWLEDGE_REACTION,
    ...(e.BEACON_ENCRYPTION_KEY ? { encryptionKey: decodeKey(e.BEACON_ENCRYPTION_KEY) } : {}),
    ...(e.TASK_WEBHOOK_URL && e.TASK_WEBHOOK_SECRET ? { taskWebhook: { url: e.TASK_WEBHOOK_URL, secret: e.TASK_WEBHOOK_SECRET } } : {}),
    ...(slackAny
      ? {
          slack: {
            ...(e.SLACK_SIGNING_SECRET ? { signingSecret: e.SLACK_SIGNING_SECRET } : {}),
            ...(e.SLACK_BOT_TOKEN ? { botToken: e.SLACK_BOT_TOKEN } : {}),
            ...(e.SLACK_APP_TOKEN ? { appToken: e.SLACK_APP_TOKEN } : {}),
            ...(oauthAny
              ? { oauth: { clientId: e.SLACK_CLIENT_ID!, clientSecret: e.SLACK_CLIENT_SECRET!, stateSecret: e.SLACK_STATE_SECRET! } }
              : {}),
            apiUrl: e.SLACK_API_URL.endsWith('/') ? e.SLACK_API_URL : `${e.SLACK_API_URL}/`,
          },
        }
      : {}),
    ...(teamsAny
      ? {
          teams: {
            ...(e.MICROSOFT_APP_ID ? { appId: e.MICROSOFT_APP_ID } : {}),
            ...(e.MICROSOFT_APP_PASSWORD ? { appPassword: e.MICROSOFT_APP_PASSWORD } : {}),
            ...(e.MICROSOFT_APP_TENANT_ID ? { tenantId: e.MICROSOFT_APP_TENANT_ID } : {}),
            appType: e.MICROSOFT_APP_TYPE,
            anonymous: e.TEAMS_ANONYMOUS,
            graphApiUrl: e.GRAPH_API_URL.endsWith('/') ? e.GRAPH_API_URL : `${e.GRAPH_API_URL}/`,
            loginUrl: e.MICROSOFT_LOGIN_URL.replace(/\/+$/, ''),
            openIdMetadataUrl: e.BOT_OPENID_METADATA_URL,
          },
        }
      : {}),
  }
}

function decodeKey(s: string): Buffer {
  return s.length === 64 ? Buffer.from(s, 'hex') : Buffer.from(s, 'base64')
}
