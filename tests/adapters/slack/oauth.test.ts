/**
 * OAuth (many workspaces): the real install + redirect flow through Bolt's InstallProvider, tokens
 * encrypted in SQLite, per-team tokens on the Web API, and clean-up on app_uninstalled / tokens_revoked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SecretBox } from '../../../adapters/slack/secret-box.ts'
import { deriveKey } from '../../../src/app/keys.ts'
import type { Capability } from '../../../src/core/capability.ts'
import { slackInstallations } from '../../../src/storage/schema/index.ts'
import { FakeSlackApi } from '../../support/fake-slack-api.ts'
import { post, signedJson } from '../../support/slack-signing.ts'
import { ENCRYPTION_KEY, envelope, SIGNING_SECRET, startHarness, type Harness } from './harness.ts'
import { waitFor } from '../../support/wait.ts'
import { inboxDone } from '../../durability/support.ts'

const echo: Capability = {
  name: 'echo',
  on: {
    'message.posted': async (_e, turn) => {
      await turn.reply({ text: 'seen' })
    },
  },
}

let h: Harness
const fake = new FakeSlackApi()

beforeAll(async () => {
  await fake.start()
  fake.on('oauth.v2.access', (p) => ({
    ok: true,
    access_token: 'xoxb-globex-secret',
    token_type: 'bot',
    scope: 'commands,chat:write',
    bot_user_id: 'UBOT2',
    app_id: 'A1',
    team: { id: 'T2', name: 'Globex' },
    enterprise: null,
    is_enterprise_install: false,
    authed_user: { id: 'U1' },
    code_seen: p.code,
  }))
  fake.on('auth.test', (_p, call) =>
    call.token === 'xoxb-globex-secret'
      ? { ok: true, team_id: 'T2', team: 'Globex', user_id: 'UBOT2', bot_id: 'BBOT2' }
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
      BEACON_ENCRYPTION_KEY: ENCRYPTION_KEY,
    },
  })
})
afterAll(async () => {
  await h.close()
})

const message = (team: string, text: string) =>
  envelope({ type: 'message', channel: 'C1', channel_type: 'channel', user: 'U1', text, ts: `${Date.now() / 1000}` }, { team_id: team })

describe('Slack OAuth', () => {
  it('installs through /slack/install → Slack → /slack/oauth_redirect and stores the token encrypted', async () => {
    const install = await fetch(`${h.url}/slack/install`)
    expect(install.status).toBe(200)
    const html = await install.text()
    const authorize = /<a href="([^"]+)"/.exec(html)?.[1]?.replace(/&amp;/g, '&')
    expect(authorize).toBeDefined()
    const auth = new URL(authorize!)
    expect(auth.searchParams.get('client_id')).toBe('111.222')
    expect(auth.searchParams.get('scope')).toContain('reactions:read')
    const state = auth.searchParams.get('state')!
    const cookie = install.headers.get('set-cookie')!.split(';')[0]!

    const done = await fetch(`${h.url}/slack/oauth_redirect?code=the-code&state=${encodeURIComponent(state)}`, { headers: { cookie } })
    expect(done.status).toBe(200)
    expect(fake.callsOf('oauth.v2.access')[0]!.params.code).toBe('the-code')

    const rows = h.ctx.db.select().from(slackInstallations).all()
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ key: 'T2', teamId: 'T2', botUserId: 'UBOT2', isEnterpriseInstall: false })
    expect(rows[0]!.secret).not.toContain('xoxb-globex-secret')
    expect(new SecretBox(deriveKey(Buffer.from(ENCRYPTION_KEY, 'hex'), 'secrets-at-rest')).open(rows[0]!.secret, 'T2')).toContain(
      'xoxb-globex-secret',
    )
    expect(() => new SecretBox(deriveKey(Buffer.from(ENCRYPTION_KEY, 'hex'), 'secrets-at-rest')).open(rows[0]!.secret, 'T3')).toThrow()
    expect(await h.ctx.repos.workspaces.get('slack:T2')).toEqual({ id: 'slack:T2', platform: 'slack', name: 'Globex' })
  })

  it('refuses a redirect whose state does not match the browser cookie', async () => {
    const before = fake.callsOf('oauth.v2.access').length
    const r = await fetch(`${h.url}/slack/oauth_redirect?code=x&state=forged`)
    expect(r.status).toBeGreaterThanOrEqual(400)
    expect(fake.callsOf('oauth.v2.access')).toHaveLength(before)
  })

  it('answers each team with its own token', async () => {
    const r = await post(h.eventsUrl, signedJson(SIGNING_SECRET, message('T2', 'hello')))
    expect(r.status).toBe(200)
    const call = await waitFor(() => fake.callsOf('chat.postMessage').find((c) => c.params.text === 'seen'))
    expect(call.token).toBe('xoxb-globex-secret')
  })

  it('ignores a team that never installed Beacon', async () => {
    const unknown = message('T404', 'hello')
    const r = await post(h.eventsUrl, signedJson(SIGNING_SECRET, unknown))
    expect(r.status).toBe(200)
    await inboxDone(h.ctx.db, 'slack', `event:${String(unknown.event_id)}`)
    expect(h.dispatcher!.seen.filter((s) => s.event.workspace === 'slack:T404')).toEqual([])
  })

  it('knows each workspace’s own bot: what T2’s bot user does in T2 is ignored, a person’s message there answered', async () => {
    const own = envelope({ type: 'message', subtype: 'channel_convert_to_private', channel: 'C1', user: 'UBOT2', ts: '1.3' }, { team_id: 'T2' })
    const person = message('T2', 'still here')
    for (const b of [own, person]) {
      expect((await post(h.eventsUrl, signedJson(SIGNING_SECRET, b))).status).toBe(200)
      await inboxDone(h.ctx.db, 'slack', `event:${String(b.event_id)}`)
    }
    expect(h.dispatcher!.seen.filter((s) => s.event.eventId === own.event_id)).toEqual([])
    const seen = h.dispatcher!.seen.filter((s) => s.event.eventId === person.event_id).map((s) => s.event)
    expect(seen).toMatchObject([{ type: 'message.posted', workspace: 'slack:T2' }])
  })

  it('tokens_revoked deletes the installation; app_uninstalled also removes the workspace', async () => {
    await post(
      h.eventsUrl,
      signedJson(SIGNING_SECRET, envelope({ type: 'tokens_revoked', tokens: { bot: ['UBOT2'] }, event_ts: '1.1' }, { team_id: 'T2' })),
    )
    await waitFor(() => h.ctx.db.select().from(slackInstallations).all().length === 0)
    await post(h.eventsUrl, signedJson(SIGNING_SECRET, envelope({ type: 'app_uninstalled', event_ts: '1.2' }, { team_id: 'T2' })))
    await waitFor(() => h.dispatcher!.seen.some((s) => s.event.type === 'app.uninstalled'))
    await waitFor(async () => !(await h.ctx.repos.workspaces.get('slack:T2')), 'the workspace to be removed', 8000)
    expect(await h.ctx.repos.workspaces.get('slack:T2')).toBeUndefined()
    // Gone for good: a later event from that team is acked and dropped.
    const late = message('T2', 'anyone?')
    expect((await post(h.eventsUrl, signedJson(SIGNING_SECRET, late))).status).toBe(200)
    await inboxDone(h.ctx.db, 'slack', `event:${String(late.event_id)}`)
    expect(h.dispatcher!.seen.filter((s) => s.event.eventId === late.event_id)).toEqual([])
  })
})
