/**
 * Roles on Teams, through Bot Framework activities to /api/messages: Teams has no tenant-wide admin
 * flag Beacon reads, so an admin is whoever BEACON_ADMINS names — here by email, matched against
 * the roster's userPrincipalName. Alice (listed) sees every team; Bob (not listed, no team) gets
 * only his privacy settings.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { composeBeacon, type Beacon } from '../../src/app/compose.ts'
import { loadConfig } from '../../src/app/config.ts'
import { silentLogger } from '../../src/core/logger.ts'
import { ALICE, BOB, TENANT, personalMessage } from '../adapters/teams/activities.ts'
import { APP_ID, APP_PASSWORD } from '../adapters/teams/harness.ts'
import { startFakeBotFrameworkIssuer, type FakeBotFrameworkIssuer } from '../support/bot-framework-auth.ts'
import { startFakeBotConnector, type FakeBotConnector } from '../support/fake-bot-connector.ts'
import { startFakeGraph, type FakeGraph } from '../support/fake-graph.ts'
import { clock, seedSilentTeam } from '../e2e/adoption-support.ts'
import { waitFor } from '../support/wait.ts'

const WS = `teams:${TENANT}`

describe('admins on Teams come from BEACON_ADMINS', () => {
  let connector: FakeBotConnector
  let graph: FakeGraph
  let issuer: FakeBotFrameworkIssuer
  let beacon: Beacon
  let url: string
  let dir: string

  beforeAll(async () => {
    ;[connector, graph, issuer] = await Promise.all([
      startFakeBotConnector(),
      startFakeGraph({ clientId: APP_ID, clientSecret: APP_PASSWORD }),
      startFakeBotFrameworkIssuer(),
    ])
    dir = mkdtempSync(join(tmpdir(), 'beacon-security-teams-'))
    const config = loadConfig({
      DATABASE_PATH: join(dir, 'beacon.db'),
      GRAPH_API_URL: graph.graphUrl,
      MICROSOFT_LOGIN_URL: graph.loginUrl,
      BOT_OPENID_METADATA_URL: issuer.metadataUrl,
      MICROSOFT_APP_ID: APP_ID,
      MICROSOFT_APP_PASSWORD: APP_PASSWORD,
      LOG_LEVEL: 'silent',
      PORT: '0',
      BEACON_ADMINS: 'alice@contoso.test',
    })
    beacon = await composeBeacon(config, { log: silentLogger, clock })
    url = `http://127.0.0.1:${await beacon.listen(0)}`
    // "Platform" is managed by someone else entirely.
    await seedSilentTeam(beacon.ctx.db, WS, '19:abc@thread.tacv2', 'aad-carol')
    for (const who of [ALICE, BOB])
      connector.members.set(chatOf(who), [{ ...who, userPrincipalName: `${who.name.split(' ')[0]!.toLowerCase()}@contoso.test` }])
  })

  afterAll(async () => {
    await beacon?.close()
    await Promise.all([connector?.close(), graph?.close(), issuer?.close()])
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  const chatOf = (who: { aadObjectId: string }) => `a:1personal-${who.aadObjectId}`

  async function ask(who: typeof ALICE, text: string): Promise<string> {
    const activity = {
      ...personalMessage(connector.serviceUrl, text),
      from: who,
      conversation: { id: chatOf(who), conversationType: 'personal', tenantId: TENANT },
    }
    const before = connector.messages().length
    const res = await fetch(`${url}/api/messages`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${issuer.token({ audience: APP_ID, serviceUrl: connector.serviceUrl })}`,
      },
      body: JSON.stringify(activity),
    })
    expect(res.status).toBe(200)
    const reply = await waitFor(
      () =>
        connector
          .messages()
          .slice(before)
          .find((c) => c.conversationId === chatOf(who)),
      `the reply to ${text}`,
    )
    return JSON.stringify(reply.body)
  }

  it('a person named by email in BEACON_ADMINS sees every team', async () => {
    const text = await ask(ALICE, 'beacon stats')
    expect(text).toMatch(/Platform/)
    expect(text).toMatch(/Active people/)
  })

  it('anyone else who manages no team sees no team', async () => {
    const text = await ask(BOB, 'beacon stats')
    expect(text).not.toMatch(/Platform|Active people/)
    expect(text).toMatch(/for team managers and workspace admins/)
  })
})
