/**
 * BEACON_ENCRYPTION_KEY used to be both the AES-GCM key of Slack installation tokens and the HMAC
 * key of dashboard links. One key, two purposes: whoever learns either use can abuse the other. Now
 * each purpose gets its own key, derived with HKDF-SHA256 (info "beacon <purpose> v1"), and rows
 * sealed with the raw key by an older Beacon still open (decrypt-with-fallback) and are re-sealed
 * with the derived key the first time they are read.
 */
import { hkdfSync } from 'node:crypto'
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SecretBox } from '../../adapters/slack/secret-box.ts'
import { signDashboardToken } from '../../src/core/adoption/dashboard-token.ts'
import type { Capability } from '../../src/core/capability.ts'
import { slackInstallations } from '../../src/storage/schema/index.ts'
import { FakeSlackApi } from '../support/fake-slack-api.ts'
import { post, signedForm, signedJson } from '../support/slack-signing.ts'
import { envelope, SIGNING_SECRET, startHarness, type Harness } from '../adapters/slack/harness.ts'

const MASTER_HEX = '3c'.repeat(32)
const MASTER = Buffer.from(MASTER_HEX, 'hex')
const derived = (purpose: string) => Buffer.from(hkdfSync('sha256', MASTER, 'beacon', `beacon ${purpose} v1`, 32))

describe('dashboard links are not signed with the encryption key', () => {
  let h: Harness
  beforeAll(async () => {
    const fake = await new FakeSlackApi().start()
    fake.users.set('U1', { id: 'U1', name: 'ada', real_name: 'Ada', tz: 'UTC', profile: { display_name: 'Ada' } })
    fake.channels.set('C1', { id: 'C1', name: 'general', is_private: false })
    h = await startHarness({ compose: true, fake, env: { BEACON_ENCRYPTION_KEY: MASTER_HEX, BEACON_ADMINS: 'U1', PUBLIC_URL: 'http://beacon.test' } })
  })
  afterAll(async () => {
    await h?.close()
  })

  it('a link forged with the AES key is refused; the link Beacon hands out is signed with a derived key and opens', async () => {
    const forged = signDashboardToken(MASTER, { workspace: 'slack:T1', personId: 'U1', expiresAt: new Date(Date.now() + 600_000) })
    const refused = await fetch(`${h.url}/dashboard?token=${encodeURIComponent(forged)}`)
    expect(refused.status).toBe(403)

    const r = await post(
      h.eventsUrl,
      signedForm(SIGNING_SECRET, {
        token: 't',
        team_id: 'T1',
        team_domain: 'acme',
        channel_id: 'C1',
        channel_name: 'general',
        user_id: 'U1',
        user_name: 'ada',
        command: '/beacon',
        text: 'dashboard',
        api_app_id: 'A1',
        response_url: h.fake.responseUrl('dash'),
        trigger_id: 'trig.dash',
      }),
    )
    expect(r.status).toBe(200)
    await expect.poll(() => h.fake.responses.some((x) => x.id === 'dash')).toBe(true)
    const said = JSON.stringify(h.fake.responses.find((x) => x.id === 'dash')!.body)
    const link = /http:\/\/beacon\.test(\/dashboard\?token=[^"\s)|>\\]+)/.exec(said)?.[1]
    expect(link).toBeDefined()
    expect((await fetch(`${h.url}${link}`)).status).toBe(200)
  })
})

describe('installation tokens are sealed with a derived key', () => {
  const fake = new FakeSlackApi()
  let h: Harness
  const echo: Capability = { name: 'echo', on: { 'message.posted': async (_e, turn) => void (await turn.reply({ text: 'seen' })) } }

  beforeAll(async () => {
    await fake.start()
    fake.on('oauth.v2.access', () => ({
      ok: true,
      access_token: 'xoxb-globex',
      token_type: 'bot',
      scope: 'commands,chat:write',
      bot_user_id: 'UBOT2',
      app_id: 'A1',
      team: { id: 'T2', name: 'Globex' },
      enterprise: null,
      is_enterprise_install: false,
      authed_user: { id: 'U1' },
    }))
    fake.on('auth.test', (_p, call) =>
      call.token === 'xoxb-globex'
        ? { ok: true, team_id: 'T2', team: 'Globex', user_id: 'UBOT2', bot_id: 'B2' }
        : call.token === 'xoxb-initech'
          ? { ok: true, team_id: 'T3', team: 'Initech', user_id: 'UBOT3', bot_id: 'B3' }
          : { ok: false, error: 'invalid_auth' },
    )
    h = await startHarness({
      fake,
      capabilities: [echo],
      env: {
        SLACK_BOT_TOKEN: '',
        SLACK_CLIENT_ID: '111.222',
        SLACK_CLIENT_SECRET: 'client-secret',
        SLACK_STATE_SECRET: 'state-secret',
        BEACON_ENCRYPTION_KEY: MASTER_HEX,
      },
    })
  })
  afterAll(async () => {
    await h?.close()
  })

  const row = (key: string) => h.ctx.db.select().from(slackInstallations).where(eq(slackInstallations.key, key)).get()!

  it('a new install cannot be opened with the raw key, only with the derived one', async () => {
    const install = await fetch(`${h.url}/slack/install`)
    const state = new URL(/<a href="([^"]+)"/.exec(await install.text())![1]!.replace(/&amp;/g, '&')).searchParams.get('state')!
    const done = await fetch(`${h.url}/slack/oauth_redirect?code=c&state=${encodeURIComponent(state)}`, {
      headers: { cookie: install.headers.get('set-cookie')!.split(';')[0]! },
    })
    expect(done.status).toBe(200)
    expect(() => new SecretBox(MASTER).open(row('T2').secret, 'T2')).toThrow()
    expect(new SecretBox(derived('secrets-at-rest')).open(row('T2').secret, 'T2')).toContain('xoxb-globex')
    expect(() => new SecretBox(derived('link-signing')).open(row('T2').secret, 'T2')).toThrow()
  })

  it('a row an older Beacon sealed with the raw key still works, and is re-sealed with the derived key on first use', async () => {
    const legacy = {
      team: { id: 'T3', name: 'Initech' },
      bot: { token: 'xoxb-initech', id: 'B3', userId: 'UBOT3', scopes: ['chat:write'] },
      isEnterpriseInstall: false,
      enterprise: undefined,
      tokenType: 'bot',
    }
    h.ctx.db
      .insert(slackInstallations)
      .values({
        key: 'T3',
        teamId: 'T3',
        enterpriseId: null,
        isEnterpriseInstall: false,
        botUserId: 'UBOT3',
        secret: new SecretBox(MASTER).seal(JSON.stringify(legacy), 'T3'),
        installedAt: new Date(),
        updatedAt: new Date(),
      })
      .run()

    const res = await post(
      h.eventsUrl,
      signedJson(
        SIGNING_SECRET,
        envelope({ type: 'message', channel: 'C9', channel_type: 'channel', user: 'U7', text: 'hi', ts: `${Date.now() / 1000}` }, { team_id: 'T3' }),
      ),
    )
    expect(res.status).toBe(200)
    await expect.poll(() => fake.callsOf('chat.postMessage').some((c) => c.token === 'xoxb-initech' && c.params.text === 'seen')).toBe(true)
    expect(new SecretBox(derived('secrets-at-rest')).open(row('T3').secret, 'T3')).toContain('xoxb-initech')
    expect(() => new SecretBox(MASTER).open(row('T3').secret, 'T3')).toThrow()
  })
})
