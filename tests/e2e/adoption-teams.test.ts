/**
 * Adoption on Microsoft Teams, end to end: composeBeacon with BullMQ on a real Redis, Bot Framework
 * activities signed by the local issuer, the fake Bot Connector. The manager asks `beacon stats` in
 * their personal chat (which also teaches Beacon where to reach them); the weekly job run twice
 * delivers exactly one proactive nudge there.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { composeBeacon, type Beacon } from '../../src/app/compose.ts'
import { loadConfig } from '../../src/app/config.ts'
import { silentLogger } from '../../src/core/logger.ts'
import { ALICE, TENANT, personalMessage } from '../adapters/teams/activities.ts'
import { APP_ID, APP_PASSWORD } from '../adapters/teams/harness.ts'
import { startFakeBotFrameworkIssuer, type FakeBotFrameworkIssuer } from '../support/bot-framework-auth.ts'
import { startFakeBotConnector, type FakeBotConnector } from '../support/fake-bot-connector.ts'
import { startFakeGraph, type FakeGraph } from '../support/fake-graph.ts'
import { BullmqObserver } from '../support/jobs.ts'
import { describeWithRedis, getTestRedis, type TestRedis } from '../support/redis.ts'
import { clock, seedSilentTeam } from './adoption-support.ts'
import { waitFor } from '../support/wait.ts'

const WS = `teams:${TENANT}`
const MANAGER = ALICE.aadObjectId
const CHAT = 'a:1personal-alice'
const describeRedis = describeWithRedis()

describeRedis('adoption on Teams with BullMQ', () => {
  let redis: TestRedis
  let connector: FakeBotConnector
  let graph: FakeGraph
  let issuer: FakeBotFrameworkIssuer
  let beacon: Beacon
  let url: string
  let dir: string

  beforeAll(async () => {
    redis = await getTestRedis()
    ;[connector, graph, issuer] = await Promise.all([
      startFakeBotConnector(),
      startFakeGraph({ clientId: APP_ID, clientSecret: APP_PASSWORD }),
      startFakeBotFrameworkIssuer(),
    ])
    dir = mkdtempSync(join(tmpdir(), 'beacon-adoption-teams-'))
    const config = loadConfig({
      DATABASE_PATH: join(dir, 'beacon.db'),
      GRAPH_API_URL: graph.graphUrl,
      MICROSOFT_LOGIN_URL: graph.loginUrl,
      BOT_OPENID_METADATA_URL: issuer.metadataUrl,
      MICROSOFT_APP_ID: APP_ID,
      MICROSOFT_APP_PASSWORD: APP_PASSWORD,
      LOG_LEVEL: 'silent',
      PORT: '0',
      REDIS_URL: redis.url,
      QUEUE_PREFIX: redis.prefix,
    })
    beacon = await composeBeacon(config, { log: silentLogger, clock })
    url = `http://127.0.0.1:${await beacon.listen(0)}`
    await seedSilentTeam(beacon.ctx.db, WS, '19:abc@thread.tacv2', MANAGER)
  })

  afterAll(async () => {
    await beacon?.close()
    await Promise.all([connector?.close(), graph?.close(), issuer?.close()])
    await redis?.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  async function say(text: string) {
    const activity = { ...personalMessage(connector.serviceUrl, text), conversation: { id: CHAT, conversationType: 'personal', tenantId: TENANT } }
    const res = await fetch(`${url}/api/messages`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${issuer.token({ audience: APP_ID, serviceUrl: connector.serviceUrl })}`,
      },
      body: JSON.stringify(activity),
    })
    expect(res.status).toBe(200)
  }

  it('`beacon stats` in a personal chat answers with the team and its diagnosis', async () => {
    const before = connector.messages().length
    await say('beacon stats')
    const reply = await waitFor(
      () =>
        connector
          .messages()
          .slice(before)
          .find((c) => c.conversationId === CHAT),
      'the stats reply',
    )
    expect(JSON.stringify(reply.body)).toMatch(/Platform/)
    expect(JSON.stringify(reply.body)).toMatch(/Silent leaders/)
  })

  it('the weekly job run twice sends exactly one proactive nudge to the manager', async () => {
    const before = connector.messages().length
    await beacon.ctx.queue.runNow('adoption.weekly')
    await beacon.ctx.queue.runNow('adoption.weekly')
    const nudge = await waitFor(
      () =>
        connector
          .messages()
          .slice(before)
          .find((c) => c.conversationId === CHAT && c.kind === 'send'),
      'the nudge',
      10_000,
    )
    const body = JSON.stringify(nudge.body)
    expect(body).toMatch(/Silent leaders/)
    expect(body).toMatch(/Set objective/)
    expect(body).not.toMatch(/Name of|"p\d+"/)
    const observer = new BullmqObserver(redis.url, redis.prefix, beacon.ctx.db)
    await observer.idle().finally(() => observer.close()) // both runs (and any retry) are done
    expect(
      connector
        .messages()
        .slice(before)
        .filter((c) => c.conversationId === CHAT),
    ).toHaveLength(1)
  })
})
