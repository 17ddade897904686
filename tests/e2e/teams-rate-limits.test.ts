/**
 * Teams' rate limits end to end: composeBeacon with Bot Framework authentication on, the real
 * in-process job queue and the real adoption and recognition jobs, against a fake Bot Connector that
 * enforces Teams' limits (429 + Retry-After past 7/s or 60/30 s per conversation, 50/s per tenant).
 * 200 managers' weekly nudges and the channel's kudos digest go out at once: every one delivered,
 * none twice, and Teams never has to throttle. The adapter's limiter and backoff and the fake read
 * one virtual clock, so the test does not wait out real seconds. (The jobs produce posts slower than
 * Teams allows; tests/adapters/teams/rate-limits.test.ts pushes the limiter itself harder.)
 */
import { afterAll, beforeAll, expect, it } from 'vitest'
import { TEAMS_CONVERSATION_LIMITS, TEAMS_TENANT_LIMITS } from '../../adapters/teams/rate-limiter.ts'
import { SqliteActivityRepository } from '../../src/storage/repositories/adoption-activity.ts'
import { SqliteAdoptionSettingsRepository } from '../../src/storage/repositories/adoption-settings.ts'
import { SqliteTeamsReferenceRepository } from '../../src/storage/repositories/teams-references.ts'
import {
  ALICE,
  BOB,
  CHANNEL,
  TEAM,
  TENANT,
  channelMessage,
  installationUpdate,
  personalConversation,
  personalMessage,
} from '../adapters/teams/activities.ts'
import { viaCompose, type Harness } from '../adapters/teams/harness.ts'
import { crowd, historyEvents, people } from '../core/adoption/support.ts'
import { TestClock } from '../support/test-clock.ts'
import { clock, NOW } from './adoption-support.ts'
import { failedJobs } from './knowledge-support.ts'
import { waitFor } from '../support/wait.ts'

const WS = `teams:${TENANT}`
const MANAGERS = Array.from({ length: 200 }, (_, i) => `aad-manager-${i}`)
const chatOf = (manager: string) => `a:1personal-${manager}`

const time = TestClock.at().timers
let h: Harness

beforeAll(async () => {
  h = await viaCompose({
    // Alice administers Beacon: only an admin or the channel's team manager may switch a digest on.
    env: { BEACON_ADMINS: ALICE.aadObjectId },
    clock,
    timers: time,
    connector: { clock: time, enforce: { conversation: TEAMS_CONVERSATION_LIMITS, tenant: TEAMS_TENANT_LIMITS } },
  })
  h.connector.members.set(TEAM.id, [ALICE, BOB])
  expect((await h.post(installationUpdate(h.connector.serviceUrl, 'add', 'channel'))).status).toBe(200)
  expect((await h.post(personalMessage(h.connector.serviceUrl, 'help'))).status).toBe(200)
  // One team with 200 managers, all silent for the last three weeks: each gets a nudge in their own chat.
  await new SqliteAdoptionSettingsRepository(h.ctx.db).syncTeam(WS, 'Platform', [CHANNEL.id], MANAGERS, new Date(NOW))
  const crew = people('p', 12)
  const weeks = Array.from({ length: 6 }, (_, i) => (i < 3 ? crowd([...crew, ...MANAGERS], 1) : crowd(crew, 1)))
  await new SqliteActivityRepository(h.ctx.db).recordMany(
    historyEvents(weeks, { channel: CHANNEL.id, now: NOW }).map((e) => ({ ...e, workspace: WS })),
  )
  const repo = new SqliteTeamsReferenceRepository(h.ctx.db)
  const alice = repo.get(WS, personalConversation.id)!.reference as { conversation: Record<string, unknown> }
  for (const m of MANAGERS)
    repo.upsert({
      workspace: WS,
      conversationId: chatOf(m),
      kind: 'personal',
      personId: m,
      reference: { ...alice, conversation: { ...alice.conversation, id: chatOf(m) } },
    })
  // The channel has the kudos digest on and a kudos this week.
  for (const text of ['kudos digest on', 'kudos <at>Bob Chen</at> for the launch demo']) {
    const a = channelMessage(h.connector.serviceUrl, text, { mention: true })
    if (text.startsWith('kudos <at>'))
      a.entities.push({ type: 'mention', text: '<at>Bob Chen</at>', mentioned: { id: BOB.id, name: BOB.name } } as never)
    expect((await h.post(a)).status).toBe(200)
  }
  await waitFor(() => h.connector.messages().some((c) => String(c.body?.text).includes('gave kudos')), 'the kudos')
})
afterAll(async () => h?.close())

it('200 nudges and the kudos digest: all delivered, none twice, never throttled', { timeout: 90_000 }, async () => {
  const mark = h.connector.calls.length
  const startedAt = time.now()
  await h.ctx.queue.runNow('adoption.weekly')
  await h.ctx.queue.runNow('recognition.weekly-digest', {})
  const delivered = () => h.connector.calls.slice(mark).filter((c) => (c.kind === 'send' || c.kind === 'reply') && c.status === 201)
  await waitFor(() => MANAGERS.every((m) => delivered().some((c) => c.conversationId === chatOf(m))), 'every nudge delivered', 60_000)
  // Anything late (a retry, a duplicate) would show up now.
  await h.ctx.queue.runNow('adoption.weekly')
  await waitFor(
    async () =>
      ((await h.ctx.db.$client.prepare(`SELECT count(*) AS n FROM jobs WHERE status IN ('waiting', 'running')`).get()) as { n: number }).n === 0,
    'the queue idle',
    30_000,
  )

  for (const m of MANAGERS) {
    const nudges = delivered().filter((c) => c.conversationId === chatOf(m))
    expect(nudges, m).toHaveLength(1)
    expect(JSON.stringify(nudges[0]!.body)).toContain('Silent leaders')
  }
  const digests = delivered().filter((c) => c.conversationId?.startsWith(CHANNEL.id) && JSON.stringify(c.body).includes('This week in kudos'))
  expect(digests).toHaveLength(1)
  expect(h.connector.throttled).toEqual([])
  expect(failedJobs(h.ctx.db)).toEqual([])
  // 200 DMs at 50 per second per tenant take at least 3 s of (virtual) time.
  expect(time.now() - startedAt).toBeGreaterThanOrEqual(3_000)
})
