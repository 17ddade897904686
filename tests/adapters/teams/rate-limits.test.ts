/**
 * Teams' limits, against a fake Bot Connector that enforces them the way Teams does (429 with
 * Retry-After once a conversation passes 7/s or 60/30 s, or a tenant 50/s) and a fake Graph that
 * enforces 4 requests/s per channel. Time is virtual: the adapter's limiter and backoff and both
 * fakes read one clock that moves only when someone waits, so a minute of throttled traffic takes
 * milliseconds and the outcome does not depend on the machine's load.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TEAMS_CONVERSATION_LIMITS, TEAMS_TENANT_LIMITS } from '../../../adapters/teams/rate-limiter.ts'
import { encodeThreadId } from '../../../src/core/thread-id.ts'
import { SqliteTeamsReferenceRepository } from '../../../src/storage/repositories/teams-references.ts'
import type { GraphMessageFixture } from '../../support/fake-graph.ts'
import { TestClock } from '../../support/test-clock.ts'
import { ALICE, CHANNEL, TEAM, TENANT, installationUpdate, personalConversation, personalMessage } from './activities.ts'
import { withCapabilities, type Harness } from './harness.ts'

const WS = `teams:${TENANT}`
const MANAGERS = 200
const manager = (i: number) => ({ id: `aad-manager-${i}`, chat: `a:1personal-manager-${i}` })

describe('Teams rate limits: every message delivered once, none throttled', () => {
  const time = TestClock.at().timers
  let h: Harness

  beforeAll(async () => {
    h = await withCapabilities([], {
      timers: time,
      connector: { clock: time, enforce: { conversation: TEAMS_CONVERSATION_LIMITS, tenant: TEAMS_TENANT_LIMITS } },
      graph: { clock: time, limitPerChannel: 4 },
    })
    expect((await h.post(installationUpdate(h.connector.serviceUrl, 'add', 'channel'))).status).toBe(200)
    expect((await h.post(personalMessage(h.connector.serviceUrl, 'hello'))).status).toBe(200)
    // 200 managers who have each chatted with Beacon: their personal chats are known.
    const repo = new SqliteTeamsReferenceRepository(h.ctx.db)
    const alice = repo.get(WS, personalConversation.id)!.reference as { conversation: Record<string, unknown> }
    for (let i = 0; i < MANAGERS; i++) {
      const m = manager(i)
      repo.upsert({
        workspace: WS,
        conversationId: m.chat,
        kind: 'personal',
        personId: m.id,
        reference: { ...alice, conversation: { ...alice.conversation, id: m.chat } },
      })
    }
  })
  afterAll(() => h?.close())

  it('200 nudges (one DM each), a digest and 100 posts in one channel: all delivered exactly once, no 429', async () => {
    const start = time.now()
    const channel = { workspace: WS, id: CHANNEL.id }
    const sends = [
      ...Array.from({ length: MANAGERS }, (_, i) => h.adapter.platform.post({ dmTo: { workspace: WS, id: manager(i).id } }, { text: `nudge ${i}` })),
      h.adapter.platform.post({ conversation: channel }, { text: 'weekly kudos digest' }),
      ...Array.from({ length: 100 }, (_, i) => h.adapter.platform.post({ conversation: channel }, { text: `channel post ${i}` })),
    ]
    const results = await Promise.allSettled(sends)
    expect(results.filter((r) => r.status === 'rejected')).toEqual([])

    const delivered = h.connector.messages().filter((c) => c.status === 201)
    const texts = delivered.map((c) => String(c.body?.text))
    for (let i = 0; i < MANAGERS; i++)
      expect(
        texts.filter((t) => t === `nudge ${i}`),
        `nudge ${i}`,
      ).toHaveLength(1)
    expect(texts.filter((t) => t === 'weekly kudos digest')).toHaveLength(1)
    for (let i = 0; i < 100; i++) expect(texts.filter((t) => t === `channel post ${i}`)).toHaveLength(1)
    for (let i = 0; i < MANAGERS; i++) expect(delivered.filter((c) => c.conversationId === manager(i).chat)).toHaveLength(1)
    // The limiter kept under Teams' limits, so Teams never had to say "slow down".
    expect(h.connector.throttled).toHaveLength(0)
    // 101 posts in one channel at 60 per 30 s cannot take less than 30 s; 200 DMs at 50/s not less than 3 s.
    expect(time.now() - start).toBeGreaterThanOrEqual(30_000)
  })

  it('429 with Retry-After, 412, 502 and 504 are retried (after the Retry-After), delivered once', async () => {
    const channel = { workspace: WS, id: CHANNEL.id }
    h.connector.failures.push(
      { status: 429, retryAfter: '7', code: 'Throttled' },
      { status: 412, code: 'PreconditionFailed' },
      { status: 502 },
      { status: 504 },
    )
    const before = h.connector.calls.length
    const sleepsBefore = time.sleeps.length
    await h.adapter.platform.post({ conversation: channel }, { text: 'after a rough patch' })
    const attempts = h.connector.calls.slice(before).filter((c) => c.kind === 'send')
    expect(attempts.map((c) => c.status)).toEqual([429, 412, 502, 504, 201])
    expect(time.sleeps.slice(sleepsBefore)).toContain(7_000)
    expect(h.connector.messages().filter((c) => c.body?.text === 'after a rough patch')).toHaveLength(1)
  })

  it('a permanent refusal is not retried: 403 BotNotInConversationRoster fails at once', async () => {
    h.connector.notInRoster.add(CHANNEL.id)
    const before = h.connector.calls.length
    await expect(h.adapter.platform.post({ conversation: { workspace: WS, id: CHANNEL.id } }, { text: 'into the void' })).rejects.toMatchObject({
      code: 'job_permanent',
    })
    expect(h.connector.calls.slice(before)).toHaveLength(1)
    h.connector.notInRoster.delete(CHANNEL.id)
    // Failing again does not ask Teams again.
    await expect(h.adapter.platform.post({ conversation: { workspace: WS, id: CHANNEL.id } }, { text: 'into the void' })).rejects.toMatchObject({
      code: 'job_permanent',
    })
    expect(h.connector.calls.slice(before)).toHaveLength(1)
    // Beacon is added back (any activity from the channel says so): posting works again.
    expect((await h.post(installationUpdate(h.connector.serviceUrl, 'add', 'channel'))).status).toBe(200)
    await h.adapter.platform.post({ conversation: { workspace: WS, id: CHANNEL.id } }, { text: 'back again' })
    expect(h.connector.messages().filter((c) => c.body?.text === 'back again' && c.status === 201)).toHaveLength(1)
  })

  it('reading a long thread stays within Graph’s 4 requests per second per channel', async () => {
    const root = '1736150000000'
    const thread: GraphMessageFixture[] = Array.from({ length: 41 }, (_, i) => ({
      id: String(Number(root) + i),
      replyToId: i === 0 ? null : root,
      messageType: 'message',
      createdDateTime: new Date(Date.UTC(2025, 0, 6, 9, i)).toISOString(),
      from: { user: { id: ALICE.aadObjectId, displayName: ALICE.name }, application: null },
      body: { contentType: 'text', content: `line ${i}` },
    }))
    h.graph.threads.set(`${TEAM.aadGroupId}/${CHANNEL.id}/${root}`, thread)
    const start = time.now()
    const messages = await h.adapter.platform.fetchThread(
      encodeThreadId({ platform: 'teams', workspaceExternalId: TENANT, conversationId: CHANNEL.id, rootId: root }),
    )
    expect(messages.map((m) => m.text)).toEqual(thread.map((_, i) => `line ${i}`))
    expect(h.graph.throttled).toEqual([])
    // 1 root + 20 pages of 2 = 21 requests at 4/s: at least 5 s.
    expect(time.now() - start).toBeGreaterThanOrEqual(5_000)
  })
})
