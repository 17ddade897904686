/**
 * The event loop never stalls (README "Operating Beacon"). One composed Beacon serving Slack and
 * Teams on a real port, SQLite file, in-process jobs; `monitorEventLoopDelay` runs inside it while
 * signed Slack events are acked alongside each hostile input:
 *
 * - a 1 MB Teams channel message of tag soup (old html-to-markdown: 282 s),
 * - saving and refreshing a Slack thread of 50 messages × 40,000 characters of unclosed brackets
 *   (old link regex: ~20 s per refresh),
 * - the adoption dashboard, its CSV and `/beacon stats` over 8 nested teams of 40 channels and 30,000
 *   events (old metrics: seconds, growing with history).
 *
 * Each input is sized so the old code blocks the loop for seconds, far past the bounds below; the
 * new code's longest turn is a few milliseconds. A shared machine can also leave the whole
 * process unscheduled for 100 ms and more (measured here: 70–160 ms with nothing but acks), which
 * is no stall of Beacon's: the bound applies to lateness the process spent working (see Window).
 * Latency figures belong to `npm run bench -- event-loop`, not here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { channelMessage } from '../adapters/teams/activities.ts'
import { APP_ID, APP_PASSWORD } from '../adapters/teams/harness.ts'
import { envelope, SIGNING_SECRET, startHarness, type Harness } from '../adapters/slack/harness.ts'
import { deriveKey } from '../../src/app/keys.ts'
import { signDashboardToken } from '../../src/core/adoption/index.ts'
import type { ActivityEvent, ActivityKind } from '../../src/core/adoption/types.ts'
import { dayToDate, lastCompleteWeeks } from '../../src/core/time/iso-weeks.ts'
import { seededRandom } from '../../src/core/seeded-random.ts'
import { SqliteActivityRepository } from '../../src/storage/repositories/adoption-activity.ts'
import { SqliteAdoptionSettingsRepository } from '../../src/storage/repositories/adoption-settings.ts'
import { startFakeBotFrameworkIssuer, type FakeBotFrameworkIssuer } from '../support/bot-framework-auth.ts'
import { startFakeBotConnector, type FakeBotConnector } from '../support/fake-bot-connector.ts'
import { FakeSlackApi } from '../support/fake-slack-api.ts'
import { startFakeGraph, type FakeGraph } from '../support/fake-graph.ts'
import { post, signedForm, signedJson } from '../support/slack-signing.ts'
import { sampleEventLoop, type LoopDelays } from '../support/event-loop-sampler.ts'
import { failedJobs, itemsOfThread, jobsIdle } from '../e2e/knowledge-support.ts'
import { waitFor } from '../support/wait.ts'

/**
 * The guarantee: no turn of the event loop is late by more than this while the loop's own thread
 * was working, and no ack takes longer. The event-loop sampler counts that thread's CPU time only
 * (V8's GC and compiler threads beside it used to read up to ~110 ms on two cores where the loop
 * was busy for far less). A real stall (the 340 ms dashboard one, or a planted 300 ms loop) is far above.
 */
const MAX_DELAY_MS = 100
const MAX_ACK_MS = 3_000
const KEY_HEX = 'c'.repeat(64)
const WS = 'slack:T1'
const ROOT = '1700000200.000100'

interface Window extends LoopDelays {
  acks: { status: number; ms: number }[]
}

let h: Harness
let fake: FakeSlackApi
let connector: FakeBotConnector
let graph: FakeGraph
let issuer: FakeBotFrameworkIssuer
let ackSeq = 0

/**
 * Runs `hostile` while a signed Slack message event is sent every 20 ms and the event loop is
 * sampled every 10 ms; resolves with the worst delays and every ack.
 */
async function underLoad(hostile: () => Promise<void>): Promise<Window> {
  const acks: Promise<{ status: number; ms: number }>[] = []
  const sampler = sampleEventLoop()
  let delays: LoopDelays | undefined
  const sender = setInterval(() => {
    const event = {
      type: 'message',
      channel: 'CACK',
      user: 'UACK',
      text: `ack ${++ackSeq}`,
      ts: `1700000300.${String(ackSeq).padStart(6, '0')}`,
      channel_type: 'channel',
    }
    acks.push(post(h.eventsUrl, signedJson(SIGNING_SECRET, envelope(event))))
  }, 20)
  try {
    await hostile()
    // However fast the hostile input went, some acks must have run alongside it.
    await waitFor(() => acks.length >= 6, 'acks alongside the hostile input', 10_000)
  } finally {
    clearInterval(sender)
    delays = sampler.stop()
  }
  return { ...delays!, acks: await Promise.all(acks) }
}

function expectNoStall(w: Window): void {
  expect(w.acks.length).toBeGreaterThan(5)
  expect(w.acks.filter((a) => a.status !== 200)).toEqual([])
  expect(Math.max(...w.acks.map((a) => a.ms))).toBeLessThan(MAX_ACK_MS)
  // Wall-clock lateness (maxDelayMs) also counts time the machine did not run the process at all;
  // bench/event-loop.ts prints both.
  expect(w.maxBusyDelayMs).toBeLessThan(MAX_DELAY_MS)
}

/** 30,000 activity events over 16 weeks in 40 channels; teams of 5, 10, … 40 channels, each inside the next. */
async function seedHistory(): Promise<void> {
  const activity = new SqliteActivityRepository(h.ctx.db)
  const settings = new SqliteAdoptionSettingsRepository(h.ctx.db)
  const now = new Date()
  const start = dayToDate(lastCompleteWeeks(now, 16)[0]!).getTime()
  const rand = seededRandom(13)
  const kinds: ActivityKind[] = ['message', 'reply', 'reply', 'reaction', 'knowledge_saved', 'task_created', 'kudos_given']
  const events: ActivityEvent[] = []
  for (let i = 0; i < 30_000; i++) {
    const kind = kinds[Math.floor(rand() * kinds.length)]!
    const channel = `C${Math.floor(rand() * 40)}`
    events.push({
      workspace: WS,
      conversationId: channel,
      personId: `U${Math.floor(600 * rand() ** 2)}`,
      kind,
      at: new Date(start + Math.floor(rand() * 16 * 7 * 86_400_000)),
      ...(kind === 'message' || kind === 'reply' ? { threadId: `${WS}:${channel}:${Math.floor(rand() * 2000)}` } : {}),
      ...(kind === 'kudos_given' ? { targetPersonId: `U${Math.floor(rand() * 600)}` } : {}),
    })
  }
  await activity.recordMany(events)
  for (let k = 1; k <= 8; k++)
    await settings.syncTeam(
      WS,
      `Team ${k}`,
      Array.from({ length: 5 * k }, (_, i) => `C${i}`),
      ['UBOSS'],
      now,
    )
}

/** 50 messages of 40,000 characters: a link, then unclosed brackets (the old regex rescanned from each). */
function seedLongThread(): void {
  fake.pageSize = 10
  fake.channels.set('CKB', { id: 'CKB', name: 'runbooks', is_private: false })
  for (const id of ['UANN', 'UBEN'])
    fake.users.set(id, { id, name: id.toLowerCase(), real_name: id, tz: 'UTC', profile: { display_name: id, real_name: id } })
  for (let i = 0; i < 50; i++) {
    const head = `part ${i}: see <https://wiki.example.com/${i}|the runbook> `
    fake.addMessage('CKB', {
      ts: i === 0 ? ROOT : `1700000200.${String(100 + i).padStart(6, '0')}`,
      thread_ts: ROOT,
      user: i % 2 ? 'UBEN' : 'UANN',
      text: head + '[a'.repeat((40_000 - head.length) / 2),
    })
  }
}

describe('the event loop never stalls', () => {
  beforeAll(async () => {
    ;[fake, connector, graph, issuer] = await Promise.all([
      new FakeSlackApi().start(),
      startFakeBotConnector(),
      startFakeGraph({ clientId: APP_ID, clientSecret: APP_PASSWORD }),
      startFakeBotFrameworkIssuer(),
    ])
    fake.storePosts = true
    h = await startHarness({
      compose: true,
      fake,
      env: {
        MICROSOFT_APP_ID: APP_ID,
        MICROSOFT_APP_PASSWORD: APP_PASSWORD,
        GRAPH_API_URL: graph.graphUrl,
        MICROSOFT_LOGIN_URL: graph.loginUrl,
        BOT_OPENID_METADATA_URL: issuer.metadataUrl,
        BEACON_ENCRYPTION_KEY: KEY_HEX,
        BEACON_ADMINS: 'UBOSS', // the one who may open the dashboard of every team
        KNOWLEDGE_REFRESH_DEBOUNCE_MS: '100',
      },
    })
    await seedHistory()
    seedLongThread()
  }, 120_000)

  afterAll(async () => {
    const failed = h ? failedJobs(h.ctx.db) : []
    await h?.close()
    await Promise.all([connector?.close(), graph?.close(), issuer?.close()])
    expect(failed).toEqual([])
  })

  it('a 1 MB Teams channel message of tag soup', async () => {
    const html = `<p>Release notes</p>${'x<p><li><b>y</b><a href=https://x.test/>z'.repeat(1_000_000 / 41)}`
    expect(html.length).toBeGreaterThan(990_000)
    const w = await underLoad(async () => {
      for (let i = 0; i < 3; i++) {
        const activity = channelMessage(connector.serviceUrl, 'Release notes', { html })
        const res = await fetch(`${h.url}/api/messages`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${issuer.token({ audience: APP_ID, serviceUrl: connector.serviceUrl })}`,
          },
          body: JSON.stringify(activity),
        })
        expect([res.status, res.status < 300 ? '' : await res.text()]).toEqual([res.status < 300 ? res.status : 200, ''])
      }
      await jobsIdle(h.ctx.db, 30_000)
    })
    expectNoStall(w)
  }, 60_000)

  it('saving, then refreshing, a thread of 50 messages × 40,000 characters', async () => {
    const threadId = `${WS}:CKB:${ROOT}`
    const w = await underLoad(async () => {
      const reaction = {
        type: 'reaction_added',
        user: 'UANN',
        reaction: 'bookmark',
        item_user: 'UANN',
        item: { type: 'message', channel: 'CKB', ts: ROOT },
        event_ts: `${Date.now() / 1000}`,
      }
      expect((await post(h.eventsUrl, signedJson(SIGNING_SECRET, envelope(reaction)))).status).toBe(200)
      await waitFor(() => /41 more messages/.test(itemsOfThread(h.ctx.db, threadId)[0]?.body ?? ''), 'the long thread to be saved', 30_000)
      const reply = {
        type: 'message',
        channel: 'CKB',
        user: 'UBEN',
        text: 'one more thing',
        ts: '1700000200.000999',
        thread_ts: ROOT,
        channel_type: 'channel',
      }
      fake.addMessage('CKB', { ts: reply.ts, thread_ts: ROOT, user: 'UBEN', text: reply.text })
      expect((await post(h.eventsUrl, signedJson(SIGNING_SECRET, envelope(reply)))).status).toBe(200)
      await waitFor(() => /42 more messages/.test(itemsOfThread(h.ctx.db, threadId)[0]?.body ?? ''), 'the refresh to see 51 messages', 30_000)
      await jobsIdle(h.ctx.db, 30_000)
    })
    expectNoStall(w)
    // What was kept reads as the thread, and says what was left out.
    const body = itemsOfThread(h.ctx.db, threadId)[0]!.body
    expect(body).toContain('part 0: see [the runbook](https://wiki.example.com/0)')
    expect(body).toMatch(/_…this thread was longer: 42 more messages \([\d,]+ characters\) not saved\./)
  }, 120_000)

  it('the adoption dashboard, its CSV and /beacon stats over a long history of nested teams', async () => {
    const token = encodeURIComponent(
      signDashboardToken(deriveKey(Buffer.from(KEY_HEX, 'hex'), 'link-signing'), {
        workspace: WS,
        personId: 'UBOSS',
        expiresAt: new Date(Date.now() + 600_000),
      }),
    )
    const w = await underLoad(async () => {
      const [page, csv] = await Promise.all([fetch(`${h.url}/dashboard?token=${token}`), fetch(`${h.url}/dashboard.csv?token=${token}`)])
      expect(page.status).toBe(200)
      const html = await page.text()
      for (let k = 1; k <= 8; k++) expect(html).toContain(`Team ${k}`)
      expect(csv.status).toBe(200)
      expect((await csv.text()).split('\n').length).toBeGreaterThan(8 * 12)
      const stats = await post(
        h.eventsUrl,
        signedForm(SIGNING_SECRET, {
          team_id: 'T1',
          channel_id: 'C1',
          channel_name: 'c1',
          user_id: 'UBOSS',
          user_name: 'boss',
          command: '/beacon',
          text: 'stats',
          response_url: fake.responseUrl('stats'),
          trigger_id: 't.stats',
        }),
      )
      expect(stats.status).toBe(200)
      await waitFor(() => fake.responses.find((r) => r.id === 'stats'), 'the /beacon stats answer', 60_000)
    })
    expectNoStall(w)
  }, 120_000)
})
