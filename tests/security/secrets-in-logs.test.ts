/**
 * Logs are read by more people than secrets should be (ops, log vendors, support bundles). At the
 * chattiest level, a whole OAuth install plus signed traffic must leave no secret in any line:
 * not the client secret, the state secret, the one-time OAuth code, the bot token Slack hands
 * back, the signing secret (nor a request signature made with it) or the encryption key.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLogger } from '../../src/app/logger.ts'
import { FakeSlackApi } from '../support/fake-slack-api.ts'
import { post, signedJson } from '../support/slack-signing.ts'
import { envelope, SIGNING_SECRET, startHarness, type Harness } from '../adapters/slack/harness.ts'

const CLIENT_SECRET = 'cs-7f3a9c2e51d04b86'
const STATE_SECRET = 'ss-0b1e5d77c3f2a948'
const CODE = 'oauthcode-4e2d9b1a7c6f'
const BOT_TOKEN = 'xoxb-2222-bot-9d8c7b6a5f4e'
const USER_TOKEN = 'xoxp-3333-user-1a2b3c4d5e6f'
const REFRESH_TOKEN = 'xoxe-1-refresh-5a6b7c8d9e0f'
const ENCRYPTION_KEY = `${'5ec7e7'.repeat(10)}5ec7`

describe('secrets never reach the log, even at LOG_LEVEL=debug', () => {
  const fake = new FakeSlackApi()
  const lines: string[] = []
  let h: Harness

  beforeAll(async () => {
    await fake.start()
    fake.on('oauth.v2.access', () => ({
      ok: true,
      access_token: BOT_TOKEN,
      refresh_token: REFRESH_TOKEN,
      token_type: 'bot',
      scope: 'commands,chat:write',
      bot_user_id: 'UBOT2',
      app_id: 'A1',
      team: { id: 'T2', name: 'Globex' },
      enterprise: null,
      is_enterprise_install: false,
      authed_user: { id: 'U1', access_token: USER_TOKEN, scope: 'identify' },
    }))
    fake.on('auth.test', (_p, call) =>
      call.token === BOT_TOKEN
        ? { ok: true, team_id: 'T2', team: 'Globex', user_id: 'UBOT2', bot_id: 'BBOT2' }
        : { ok: false, error: 'invalid_auth' },
    )
    h = await startHarness({
      fake,
      compose: true,
      env: {
        LOG_LEVEL: 'debug',
        SLACK_BOT_TOKEN: '',
        SLACK_CLIENT_ID: '111.222',
        SLACK_CLIENT_SECRET: CLIENT_SECRET,
        SLACK_STATE_SECRET: STATE_SECRET,
        BEACON_ENCRYPTION_KEY: ENCRYPTION_KEY,
      },
      composeOptions: { log: createLogger('debug', { write: (s: string) => void lines.push(s) }) },
    })
  })
  afterAll(async () => {
    await h?.close()
  })

  it('a full OAuth install and signed events log nothing secret', async () => {
    const install = await fetch(`${h.url}/slack/install`)
    const authorize = /<a href="([^"]+)"/.exec(await install.text())![1]!.replace(/&amp;/g, '&')
    const state = new URL(authorize).searchParams.get('state')!
    const cookie = install.headers.get('set-cookie')!.split(';')[0]!
    const done = await fetch(`${h.url}/slack/oauth_redirect?code=${CODE}&state=${encodeURIComponent(state)}`, { headers: { cookie } })
    expect(done.status).toBe(200)
    expect(fake.callsOf('oauth.v2.access')[0]!.params.client_secret).toBe(CLIENT_SECRET)

    // Traffic for the new workspace, signed with the signing secret, making Beacon call Slack with the token.
    const signed = signedJson(
      SIGNING_SECRET,
      envelope({ type: 'message', channel: 'C1', channel_type: 'channel', user: 'U1', text: 'hello', ts: `${Date.now() / 1000}` }, { team_id: 'T2' }),
    )
    expect((await post(h.eventsUrl, signed)).status).toBe(200)
    await expect.poll(() => fake.calls.some((c) => c.token === BOT_TOKEN)).toBe(true)
    // A badly signed request is logged as refused, never with what it carried.
    await post(h.eventsUrl, { ...signed, headers: { ...signed.headers, 'x-slack-signature': `v0=${'f'.repeat(64)}` } })

    // The log really is at debug and really covered the install (otherwise "no secret" means nothing).
    expect(lines.some((l) => l.includes('"level":20'))).toBe(true)
    expect(lines.some((l) => /oauth|install/i.test(l))).toBe(true)

    const signature = String(signed.headers['x-slack-signature']).slice(3)
    const secrets = { CLIENT_SECRET, STATE_SECRET, CODE, BOT_TOKEN, USER_TOKEN, REFRESH_TOKEN, ENCRYPTION_KEY, SIGNING_SECRET, signature }
    const leaks = Object.entries(secrets).flatMap(([name, secret]) =>
      lines.filter((l) => l.includes(secret)).map((l) => `${name}: ${l.slice(0, 300)}`),
    )
    expect(leaks).toEqual([])
  })
})
