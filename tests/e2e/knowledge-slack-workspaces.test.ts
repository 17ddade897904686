/**
 * Knowledge on Slack across two OAuth installs: what is saved in one workspace is never found from the
 * other, even with the same channel and user ids. Harness as in knowledge-slack-support.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FakeSlackApi } from '../support/fake-slack-api.ts'
import { ENCRYPTION_KEY, startHarness } from '../adapters/slack/harness.ts'
import { failedJobs } from './knowledge-support.ts'
import { waitFor } from '../support/wait.ts'
import { TestClock } from '../support/test-clock.ts'
import { seed, type Slack, sendEvent, event, reaction, kb, confirmations, resultTitles } from './knowledge-slack-support.ts'

// ---------------------------------------------------------------- OAuth: two workspaces in one Beacon

describe('Slack knowledge across workspaces (OAuth, two installs)', () => {
  const fake = new FakeSlackApi()
  const clock = TestClock.followingWallClock()
  let s: Slack

  const TEAMS: Record<string, { token: string; name: string; bot: string }> = {
    T1: { token: 'xoxb-acme', name: 'Acme', bot: 'UBOT' },
    T2: { token: 'xoxb-globex', name: 'Globex', bot: 'UBOT2' },
  }

  async function install(team: string): Promise<void> {
    const res = await fetch(`${s.h.url}/slack/install`)
    const html = await res.text()
    const authorize = new URL(/<a href="([^"]+)"/.exec(html)![1]!.replace(/&amp;/g, '&'))
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!
    const done = await fetch(`${s.h.url}/slack/oauth_redirect?code=code-${team}&state=${encodeURIComponent(authorize.searchParams.get('state')!)}`, {
      headers: { cookie },
    })
    expect(done.status).toBe(200)
  }

  beforeAll(async () => {
    await fake.start()
    seed(fake)
    fake.on('oauth.v2.access', (p) => {
      const team = String(p.code).replace('code-', '')
      const t = TEAMS[team]!
      return {
        ok: true,
        access_token: t.token,
        token_type: 'bot',
        scope: 'commands,chat:write',
        bot_user_id: t.bot,
        app_id: 'A1',
        team: { id: team, name: t.name },
        enterprise: null,
        is_enterprise_install: false,
        authed_user: { id: 'U1' },
      }
    })
    fake.on('auth.test', (_p, call) => {
      const entry = Object.entries(TEAMS).find(([, t]) => t.token === call.token)
      return entry
        ? { ok: true, team_id: entry[0], team: entry[1].name, user_id: entry[1].bot, bot_id: `B${entry[1].bot}`, url: 'https://acme.slack.com/' }
        : { ok: false, error: 'invalid_auth' }
    })
    const h = await startHarness({
      compose: true,
      fake,
      env: {
        SLACK_BOT_TOKEN: '',
        SLACK_CLIENT_ID: '111.222',
        SLACK_CLIENT_SECRET: 'client-secret',
        SLACK_STATE_SECRET: 'state-secret',
        BEACON_ENCRYPTION_KEY: ENCRYPTION_KEY,
      },
      composeOptions: { clock },
    })
    s = { h, fake, clock }
    await install('T1')
    await install('T2')
  })
  afterAll(async () => {
    await s?.h.close()
  })

  it('a thread saved in one workspace is found there, never from the other (even by the same ids)', async () => {
    const X = '1700000600.000100'
    fake.addMessage('C1', { ts: X, thread_ts: X, user: 'U1', text: 'Where do the quarterly okr drafts live?' })
    fake.addMessage('C1', { ts: '1700000600.000200', thread_ts: X, user: 'U2', text: 'In the strategy folder, next to the pelican deck' })
    await sendEvent(s, reaction(s, 'U2', 'C1', X, 'bookmark', 'T1'))
    const [confirmation] = await waitFor(() => confirmations(s, 'C1', X).length === 1 && confirmations(s, 'C1', X), 'the confirmation in T1')
    expect(confirmation!.token).toBe('xoxb-acme') // posted with T1's own installation token
    expect(resultTitles(await kb(s, 'pelican', 'U2', { id: 'C1', name: 'general' }, 'T1'))).toEqual(['Where do the quarterly okr drafts live?'])

    // T2: same user id, same channel id, a public channel: still nothing from T1.
    const other = await kb(s, 'pelican', 'U2', { id: 'C1', name: 'general' }, 'T2')
    expect(other.all).toContain('No saved knowledge matches')
    expect((await kb(s, 'in:#general', 'U2', { id: 'C1', name: 'general' }, 'T2')).all).toContain('No saved knowledge matches')
    expect((await kb(s, '', 'U2', { id: 'C1', name: 'general' }, 'T2')).all).not.toContain('okr drafts')
    const homes = fake.callsOf('views.publish').length
    await sendEvent(s, event(s, { type: 'app_home_opened', user: 'U2', channel: 'D2', tab: 'home', event_ts: `${Date.now() / 1000}` }, 'T2'))
    const [home] = await waitFor(() => fake.callsOf('views.publish').slice(homes).length && fake.callsOf('views.publish').slice(homes), 'T2 App Home')
    expect(home!.token).toBe('xoxb-globex')
    expect(JSON.stringify(home!.params.view)).not.toContain('okr drafts')
    expect(JSON.stringify(home!.params.view)).toContain('Nothing saved yet')
    expect(failedJobs(s.h.ctx.db)).toEqual([])
  })
})
