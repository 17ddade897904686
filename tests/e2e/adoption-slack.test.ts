/**
 * Adoption on Slack, end to end: composeBeacon with BullMQ on a real Redis, signed Events API and
 * slash-command requests, the fake Web API. A message becomes an activity event; `/beacon stats`
 * answers on response_url; the weekly job run twice delivers exactly one nudge DM.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { composeBeacon, type Beacon } from '../../src/app/compose.ts'
import { loadConfig } from '../../src/app/config.ts'
import { silentLogger } from '../../src/core/logger.ts'
import { FakeSlackApi } from '../support/fake-slack-api.ts'
import { BullmqObserver } from '../support/jobs.ts'
import { describeWithRedis, getTestRedis, type TestRedis } from '../support/redis.ts'
import { post, signedForm, signedJson } from '../support/slack-signing.ts'
import { envelope, SIGNING_SECRET } from '../adapters/slack/harness.ts'
import { clock, NOW, seedSilentTeam, WEEK } from './adoption-support.ts'
import { waitFor } from '../support/wait.ts'

const WS = 'slack:T1'
const describeRedis = describeWithRedis()

describeRedis('adoption on Slack with BullMQ', () => {
  let redis: TestRedis
  let fake: FakeSlackApi
  let beacon: Beacon
  let url: string
  let dir: string

  beforeAll(async () => {
    redis = await getTestRedis()
    fake = await new FakeSlackApi().start()
    fake.users.set('UBOSS', { id: 'UBOSS', real_name: 'Bea Boss', tz: 'UTC' })
    dir = mkdtempSync(join(tmpdir(), 'beacon-adoption-slack-'))
    const config = loadConfig({
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_API_URL: fake.apiUrl,
      DATABASE_PATH: join(dir, 'beacon.db'),
      LOG_LEVEL: 'silent',
      PORT: '0',
      REDIS_URL: redis.url,
      QUEUE_PREFIX: redis.prefix,
    })
    beacon = await composeBeacon(config, { log: silentLogger, clock })
    url = `http://127.0.0.1:${await beacon.listen(0)}`
    await beacon.ctx.repos.people.upsert({ workspace: WS, id: 'UBOSS', displayName: 'Bea Boss', timezone: 'UTC', isBot: false })
    await seedSilentTeam(beacon.ctx.db, WS, 'C1', 'UBOSS')
  })

  afterAll(async () => {
    await beacon?.close()
    await fake?.stop()
    await redis?.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('counts a posted message as activity, without its text', async () => {
    const res = await post(
      `${url}/slack/events`,
      signedJson(
        SIGNING_SECRET,
        envelope({ type: 'message', channel: 'C1', user: 'U9', text: 'confidential plans', ts: '1750240000.000100', channel_type: 'channel' }),
      ),
    )
    expect(res.status).toBe(200)
    const row = await waitFor(
      () => beacon.ctx.db.$client.prepare("select * from adoption_events where person_id = 'U9'").get() as Record<string, unknown> | undefined,
      'the activity event',
    )
    expect(row).toMatchObject({ workspace_id: WS, conversation_id: 'C1', kind: 'message' })
    expect(JSON.stringify(row)).not.toContain('confidential')
  })

  it('/beacon stats answers with the team’s numbers and diagnosis', async () => {
    const res = await post(
      `${url}/slack/events`,
      signedForm(SIGNING_SECRET, {
        team_id: 'T1',
        channel_id: 'C1',
        user_id: 'UBOSS',
        command: '/beacon',
        text: 'stats',
        api_app_id: 'A1',
        response_url: fake.responseUrl('stats-1'),
        trigger_id: 'trig.stats.1',
      }),
    )
    expect(res.status).toBe(200)
    const answer = await waitFor(() => fake.responses.find((r) => r.id === 'stats-1'), 'the stats answer')
    const text = JSON.stringify(answer.body)
    expect(text).toMatch(/Platform/)
    expect(text).toMatch(/Active people: \*\*12\*\*|Active people: \*12\*/)
    expect(text).toMatch(/Silent leaders/)
  })

  it('the weekly job run twice sends the manager exactly one nudge DM through BullMQ', async () => {
    expect(new Date(NOW).getUTCDay()).toBe(3)
    await beacon.ctx.queue.runNow('adoption.weekly')
    await beacon.ctx.queue.runNow('adoption.weekly')
    const dm = await waitFor(() => fake.callsOf('chat.postMessage').find((c) => c.params.channel === 'DUBOSS'), 'the nudge DM', 10_000)
    expect(String(dm.params.text)).toMatch(/Silent leaders/)
    const blocks = JSON.stringify(dm.params.blocks)
    expect(blocks).toMatch(/adopt:goal/)
    expect(blocks).toMatch(/adopt:snooze/)
    expect(blocks).not.toMatch(/p\d+|Name of/)
    const observer = new BullmqObserver(redis.url, redis.prefix, beacon.ctx.db)
    await observer.idle().finally(() => observer.close()) // both runs (and any retry) are done
    expect(fake.callsOf('chat.postMessage').filter((c) => c.params.channel === 'DUBOSS')).toHaveLength(1)
    const claims = beacon.ctx.db.$client.prepare('select week from adoption_nudge_claims').all()
    expect(claims).toEqual([{ week: WEEK }])
  })
})
