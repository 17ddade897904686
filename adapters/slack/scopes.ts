/**
 * Bot scopes Beacon asks for at OAuth install. Keep in step with manifests/slack/*.yaml, where each
 * one is commented with the feature that needs it.
 */
export const BOT_SCOPES = [
  'app_mentions:read',
  'channels:history',
  'channels:read',
  'chat:write',
  'commands',
  'groups:history',
  'groups:read',
  'im:history',
  'im:read',
  'im:write',
  'mpim:history',
  'mpim:read',
  'reactions:read',
  'users:read',
  // Verified emails: BEACON_ADMINS given as emails (users.info profile.email) and one person across
  // an organisation's Slack and Teams (users.lookupByEmail), see src/core/org/identity.ts.
  'users:read.email',
  // Only used with SLACK_DEPARTMENT_FIELD (adoption departments from a profile field).
  'users.profile:read',
] as const

export const PATHS = {
  events: '/slack/events',
  install: '/slack/install',
  oauthRedirect: '/slack/oauth_redirect',
} as const
