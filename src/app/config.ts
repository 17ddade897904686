import { isIP } from 'node:net'
import { z } from 'zod'
import type { SlackConfig } from '../../adapters/slack/host.ts'
import type { TeamsConfig } from '../../adapters/teams/host.ts'
import { BeaconError } from '../core/errors.ts'

// Each adapter's settings are its own type: the app fills them in, the adapter never sees Config.
export type { SlackConfig, TeamsConfig }

const optional = z.string().trim().min(1).optional()
const flag = z
  .enum(['true', 'false', '1', '0', ''])
  .optional()
  .transform((v) => v === 'true' || v === '1')

const httpUrl = () => z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' })

/** Every environment variable of the public contract (see .env.example), validated together. */
const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Listen address; unset: 127.0.0.1 for the local shell, every interface for `serve`. */
  HOST: z
    .string()
    .trim()
    .refine(
      (v) => isIP(v) !== 0 || /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/.test(v),
      {
        message: 'an IP address (127.0.0.1, 0.0.0.0, ::) or a host name such as localhost',
      },
    )
    .optional(),
  DATABASE_PATH: z.string().trim().min(1).default('./data/beacon.db'),
  DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/, message: 'must be a postgres:// or postgresql:// URL (or unset it to use the SQLite file at DATABASE_PATH)' })
    .refine(
      (u) => !URL.canParse(u) || (new URL(u).hostname !== '' && new URL(u).pathname.length > 1),
      'must name a host and a database, e.g. postgres://beacon@db.internal:5432/beacon',
    )
    .optional(),
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
  KNOWLEDGE_REFRESH_DEBOUNCE_MS: z.coerce.number().int().min(100, 'at least 100 (ms)').max(3_600_000, 'at most 3600000 (one hour)').optional(),
  BEACON_ENCRYPTION_KEY: z
    .string()
    .regex(/^[A-Za-z0-9+/=]{44}$|^[0-9a-fA-F]{64}$/, 'must be 32 bytes as base64 (44 chars) or hex (64 chars)')
    .optional(),

  KUDOS_VALUES: z
    .string()
    .trim()
    .regex(/^#?[\p{L}\p{N}_-]+(\s*,\s*#?[\p{L}\p{N}_-]+)*$/u, 'comma-separated words, e.g. teamwork,ownership,customer,craft')
    .default('teamwork,ownership,customer,craft'),
  KUDOS_REACTION: z
    .string()
    .trim()
    .regex(/^:?[a-z0-9_+'-]+:?$/, 'a reaction name such as clap (no spaces)')
    .transform((s) => s.replace(/^:|:$/g, ''))
    .default('clap'),
  KUDOS_DAILY_ALLOWANCE: z.coerce.number().int().min(1, 'at least 1').max(100, 'at most 100').default(5),
  KUDOS_WEEKLY_PER_PERSON: z.coerce.number().int().min(1, 'at least 1').max(100, 'at most 100').default(3),

  TASK_WEBHOOK_URL: httpUrl().optional(),
  TASK_WEBHOOK_SECRET: z.string().min(16, 'at least 16 characters').optional(),
  /** Minutes before a task's due time that the first reminder goes out; fractions allowed, 0 = only at the due time. */
  TASK_REMINDER_LEAD_MINUTES: z.coerce.number().min(0, 'must be 0 or more').max(10_080, 'at most 10080 (a week)').default(60),

  SLACK_SIGNING_SECRET: optional,
  SLACK_BOT_TOKEN: z.string().trim().startsWith('xoxb-', 'must start with xoxb-').optional(),
  SLACK_CLIENT_ID: optional,
  SLACK_CLIENT_SECRET: optional,
  SLACK_STATE_SECRET: optional,
  SLACK_APP_TOKEN: z.string().trim().startsWith('xapp-', 'must start with xapp-').optional(),
  SLACK_API_URL: httpUrl().default('https://slack.com/api/'),
  /** Adoption departments from a Slack profile field: its id (Xf…) or its label, matched case-insensitively. */
  SLACK_DEPARTMENT_FIELD: z.string().trim().min(1).max(100, 'at most 100 characters (a field id such as Xf01ABCD or a label)').optional(),

  MICROSOFT_APP_ID: optional,
  MICROSOFT_APP_PASSWORD: optional,
  MICROSOFT_APP_TENANT_ID: optional,
  MICROSOFT_APP_TYPE: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant'),
  TEAMS_ANONYMOUS: flag,
  GRAPH_API_URL: httpUrl().default('https://graph.microsoft.com/v1.0/'),
  MICROSOFT_LOGIN_URL: httpUrl().default('https://login.microsoftonline.com'),
  BOT_OPENID_METADATA_URL: httpUrl().default('https://login.botframework.com/v1/.well-known/openidconfiguration'),

  /** Adoption analytics: groups smaller than this are never shown. Privacy floor: can be raised, never set below 5. */
  ADOPTION_MIN_GROUP_SIZE: z.coerce
    .number()
    .int()
    .min(5, 'must be 5 or more (the privacy minimum can be raised, never lowered)')
    .max(1000)
    .default(5),
  ADOPTION_RETENTION_MONTHS: z.coerce.number().int().min(1, 'at least 1').max(120, 'at most 120').default(13),
  ADOPTION_TEAMS_FILE: optional,
  DEPARTMENTS_FILE: optional,
  DASHBOARD_LINK_TTL_MINUTES: z.coerce.number().int().min(1).max(1440, 'at most 1440 (a day)').default(15),
  /** People who administer Beacon besides the workspace's own admins/owners: emails or platform ids, comma-separated. */
  BEACON_ADMINS: z
    .string()
    .trim()
    .regex(/^[^,\s]+(\s*,\s*[^,\s]+)*$/, 'comma-separated emails or platform ids, e.g. ada@example.com,U0123ABCD')
    .optional(),
})

export interface Config {
  /** "serve" when any Slack or Teams setting is present, otherwise the local shell. */
  mode: 'serve' | 'shell'
  port: number
  /** HOST: the listen address when set; otherwise the mode's default (see `listenHost`). */
  host?: string
  databasePath: string
  /** DATABASE_URL: PostgreSQL instead of the SQLite file (several processes on several hosts). */
  databaseUrl?: string
  redisUrl?: string
  queuePrefix: string
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL']
  publicUrl: string
  knowledgeReaction: string
  /** Replies and edits in a saved thread are gathered this long before one refresh (default 15 s in the core). */
  knowledgeRefreshDebounceMs?: number
  /** 32-byte key for secrets at rest (Slack OAuth tokens). */
  encryptionKey?: Buffer
  /** KUDOS_*: company values, the kudos reaction, the daily allowance and the per-person weekly cap. */
  recognition: { values: string[]; reaction: string; dailyAllowance: number; weeklyPerReceiver: number }
  /** Where task events are POSTed, signed with the secret (HMAC-SHA256). */
  taskWebhook?: { url: string; secret: string }
  /** TASK_REMINDER_LEAD_MINUTES in ms: how long before the due time the first reminder goes out. */
  taskReminderLeadMs: number
  /** BEACON_ADMINS: emails (lower case) or platform ids of Beacon administrators. */
  admins: string[]
  /** Adoption analytics (ADOPTION_*, DEPARTMENTS_FILE, DASHBOARD_LINK_TTL_MINUTES). */
  adoption: { minGroupSize: number; retentionMonths: number; teamsFile?: string; departmentsFile?: string; dashboardTtlMs: number }
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
    need(
      Boolean(e.SLACK_SIGNING_SECRET || e.SLACK_APP_TOKEN),
      'SLACK_SIGNING_SECRET: required with SLACK_BOT_TOKEN (or SLACK_APP_TOKEN for Socket Mode)',
    )
  }
  if (e.MICROSOFT_APP_ID && e.MICROSOFT_APP_TYPE !== 'UserAssignedMSI') {
    need(Boolean(e.MICROSOFT_APP_PASSWORD), 'MICROSOFT_APP_PASSWORD: required with MICROSOFT_APP_ID')
  }
  if (e.MICROSOFT_APP_TYPE === 'SingleTenant') {
    need(Boolean(e.MICROSOFT_APP_TENANT_ID), 'MICROSOFT_APP_TENANT_ID: required when MICROSOFT_APP_TYPE=SingleTenant')
  }
  // One reaction cannot both save a thread and thank its author.
  need(e.KUDOS_REACTION !== e.KNOWLEDGE_REACTION, `KUDOS_REACTION: must differ from KNOWLEDGE_REACTION (both are "${e.KUDOS_REACTION}")`)
  if (e.TASK_WEBHOOK_URL) need(Boolean(e.TASK_WEBHOOK_SECRET), 'TASK_WEBHOOK_SECRET: required with TASK_WEBHOOK_URL (every delivery is signed)')
  if (problems.length) throw new ConfigError(problems)

  const teamsAny = Boolean(e.MICROSOFT_APP_ID || e.TEAMS_ANONYMOUS)
  const serve = slackAny || teamsAny
  return {
    mode: serve ? 'serve' : 'shell',
    port: e.PORT,
    ...(e.HOST ? { host: e.HOST } : {}),
    databasePath: e.DATABASE_PATH,
    ...(e.DATABASE_URL ? { databaseUrl: e.DATABASE_URL } : {}),
    ...(e.REDIS_URL ? { redisUrl: e.REDIS_URL } : {}),
    queuePrefix: e.QUEUE_PREFIX,
    logLevel: e.LOG_LEVEL,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    knowledgeReaction: e.KNOWLEDGE_REACTION,
    ...(e.KNOWLEDGE_REFRESH_DEBOUNCE_MS !== undefined ? { knowledgeRefreshDebounceMs: e.KNOWLEDGE_REFRESH_DEBOUNCE_MS } : {}),
    ...(e.BEACON_ENCRYPTION_KEY ? { encryptionKey: decodeKey(e.BEACON_ENCRYPTION_KEY) } : {}),
    taskReminderLeadMs: Math.round(e.TASK_REMINDER_LEAD_MINUTES * 60_000),
    admins: (e.BEACON_ADMINS ?? '')
      .split(',')
      .map((a) => a.trim())
      .filter(Boolean)
      .map((a) => (a.includes('@') ? a.toLowerCase() : a)),
    adoption: {
      minGroupSize: e.ADOPTION_MIN_GROUP_SIZE,
      retentionMonths: e.ADOPTION_RETENTION_MONTHS,
      ...(e.ADOPTION_TEAMS_FILE ? { teamsFile: e.ADOPTION_TEAMS_FILE } : {}),
      ...(e.DEPARTMENTS_FILE ? { departmentsFile: e.DEPARTMENTS_FILE } : {}),
      dashboardTtlMs: e.DASHBOARD_LINK_TTL_MINUTES * 60_000,
    },
    recognition: {
      values: [...new Set(e.KUDOS_VALUES.split(',').map((v) => v.trim().replace(/^#/, '').toLowerCase()))],
      reaction: e.KUDOS_REACTION,
      dailyAllowance: e.KUDOS_DAILY_ALLOWANCE,
      weeklyPerReceiver: e.KUDOS_WEEKLY_PER_PERSON,
    },
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
            ...(e.SLACK_DEPARTMENT_FIELD ? { departmentField: e.SLACK_DEPARTMENT_FIELD } : {}),
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

/** Where HTTP listens: HOST, else only this machine for the shell and every interface for `serve`. */
export function listenHost(config: Pick<Config, 'host'>, mode: Config['mode']): string | undefined {
  return config.host ?? (mode === 'shell' ? '127.0.0.1' : undefined)
}

function decodeKey(s: string): Buffer {
  return s.length === 64 ? Buffer.from(s, 'hex') : Buffer.from(s, 'base64')
}
