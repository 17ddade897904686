/**
 * The Slack adapter as `npm start` runs it: composeBeacon + listen(0), a real SQLite file, the real
 * capability set, signed requests to /slack/events and the fake Web API on SLACK_API_URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { jobsIdle } from '../../support/jobs.ts'
import { post, signedForm, signedJson } from '../../support/slack-signing.ts'
import { envelope, SIGNING_SECRET, startHarness, type Harness } from './harness.ts'
import { waitFor } from '../../support/wait.ts'

let h: Harness

beforeAll(async () => {
  h = await startHarness({ compose: true })
}, 30_000)
afterAll(async () => {
  await h?.close()
})

describe('Slack through composeBeacon', () => {
  it('checked the bot token with auth.test at start-up and registered the workspace', async () => {
    expect(h.fake.callsOf('auth.test')[0]!.token).toBe('xoxb-test-token')
    expect(await h.ctx.repos.workspaces.get('slack:T1')).toEqual({ id: 'slack:T1', platform: 'slack', name: 'Acme' })
    expect(h.ctx.platforms.forWorkspace('slack:T1').name).toBe('slack')
  })

  it('answers url_verification and refuses an unsigned request', async () => {
    const ok = await post(h.eventsUrl, signedJson(SIGNING_SECRET, { type: 'url_verification', challenge: 'abc' }))
    expect(JSON.parse(ok.text)).toEqual({ challenge: 'abc' })
    const bad = await post(h.eventsUrl, { body: '{"type":"url_verification","challenge":"x"}', headers: { 'content-type': 'application/json' } })
    expect(bad.status).toBe(401)
  })

  it('/beacon help: a real signed round trip answered on response_url', async () => {
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
        text: 'help',
        api_app_id: 'A1',
        is_enterprise_install: 'false',
        response_url: h.fake.responseUrl('compose-help'),
        trigger_id: 'trig.compose.1',
      }),
    )
    expect(r.status).toBe(200)
    expect(r.ms).toBeLessThan(3000)
    const answer = await waitFor(() => h.fake.responses.find((x) => x.id === 'compose-help'))
    expect(answer.body).toMatchObject({ response_type: 'ephemeral' })
    expect(String(answer.body.text)).toContain('/beacon')
    // `/beacon help` lists /beacon's own subcommands, then everyone's commands (Slack has no /help).
    expect(String(answer.body.text)).toContain('`/beacon stats [team]`')
    expect(String(answer.body.text)).toContain('`/kb`') // escaped for mrkdwn
  })

  it('acks events and records each event id once', async () => {
    const body = envelope({ type: 'message', channel: 'C1', channel_type: 'channel', user: 'U1', text: 'hello', ts: `${Date.now() / 1000}` })
    const a = await post(h.eventsUrl, signedJson(SIGNING_SECRET, body))
    const b = await post(h.eventsUrl, signedJson(SIGNING_SECRET, body, { extraHeaders: { 'x-slack-retry-num': '1' } }))
    expect([a.status, b.status]).toEqual([200, 200])
    // The inbox row is the claim: one row for the event id, done once its work ran, and the message
    // counted once as activity although Slack delivered it twice.
    const inbox = () =>
      h.ctx.db.$client
        .prepare("select count(*) as n, sum(state = 'done') as done from inbox where source = 'slack' and key = 'event:' || ?")
        .get(String(body.event_id)) as { n: number; done: number }
    await waitFor(() => inbox().done === 1, 'the delivery marked done')
    await jobsIdle(h.ctx.db)
    expect(inbox()).toEqual({ n: 1, done: 1 })
    expect(h.ctx.db.$client.prepare("select count(*) as n from adoption_events where kind = 'message'").get()).toEqual({ n: 1 })
  })

  it('healthz still answers beside the Slack routes, unknown routes 404', async () => {
    expect((await fetch(`${h.url}/healthz`)).status).toBe(200)
    expect((await fetch(`${h.url}/slack/nope`)).status).toBe(404)
  })
})
