/**
 * Uninstalling Slack workspace T1 removes everything of T1 and nothing of T2. Both workspaces get a
 * row in every table that holds workspace data (knowledge items with their search index, tasks,
 * kudos, adoption events and rollups incl. adoption_weekly / adoption_first_seen, …: see
 * tests/support/workspace-footprint.ts), jobs in BullMQ on a real Redis (waiting, and one that ran
 * and finished), leftover outbox rows, and inbox rows (a parked delivery, one still in hand).
 * Slack then revokes the token and uninstalls, signed, through /slack/events, as it does.
 */
import { Redis } from 'ioredis'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { kudosDmJob } from '../../src/core/recognition/job-defs.ts'
import { dedupeJobId } from '../../src/jobs/bullmq-jobs.ts'
import { processOwner } from '../../src/jobs/process-owner.ts'
import { SIGNING_SECRET } from '../adapters/slack/harness.ts'
import { inboxDone } from '../durability/support.ts'
import { describeWithRedis, getTestRedis, type TestRedis } from '../support/redis.ts'
import { post, signedJson } from '../support/slack-signing.ts'
import { footprintMarked, ftsHits, redisKeysMarked, rowsMarked, seedEveryTable } from '../support/workspace-footprint.ts'
import { EMPLOYEE, startWorld, type World } from './support.ts'
import { waitFor } from '../support/wait.ts'

const GONE = 'slack:T1'
const STAYS = 'slack:T2'

describeWithRedis()('uninstall removes everything of the workspace (Slack, BullMQ)', () => {
  let w: World
  let redis: TestRedis
  let conn: Redis

  beforeAll(async () => {
    redis = await getTestRedis()
    w = await startWorld({ REDIS_URL: redis.url, QUEUE_PREFIX: redis.prefix })
    conn = new Redis(redis.url, { maxRetriesPerRequest: 1 })
  })
  afterAll(async () => {
    conn?.disconnect()
    await w?.close()
    await redis?.stop()
  })

  const envelope = (teamId: string, eventId: string, event: Record<string, unknown>) => ({
    token: 'legacy',
    team_id: teamId,
    api_app_id: 'A1',
    type: 'event_callback',
    event_id: eventId,
    event_time: 1750240000,
    event,
  })

  it('app_uninstalled leaves no row, index entry, job, outbox or inbox row of T1, and T2 untouched', { timeout: 60_000 }, async () => {
    const db = w.h.ctx.db
    const queue = w.h.ctx.queue
    const seeded = seedEveryTable(db, GONE, 'slack', 101)
    seedEveryTable(db, STAYS, 'slack', 201)
    expect(seeded).toEqual(expect.arrayContaining(['knowledge_items', 'tasks', 'kudos', 'adoption_events', 'adoption_weekly', 'adoption_first_seen']))
    expect(ftsHits(db, GONE)).toBe(1)

    for (const [ws, team] of [
      [GONE, 'T1'],
      [STAYS, 'T2'],
    ] as const) {
      // Waiting in Redis, and one that runs now and stays as finished (dedupe memory holding its payload).
      await queue.enqueue(kudosDmJob, { workspace: ws, personId: EMPLOYEE, text: `${ws} later` }, { delayMs: 3_600_000, dedupeKey: `${ws}-later` })
      // Accepted by a process that died before relaying it.
      db.$client
        .prepare('INSERT INTO job_outbox (job_id, name, data, run_at, attempts, backoff_ms, created_at) VALUES (?, ?, ?, ?, 1, 1000, 0)')
        .run(`left-${team}`, kudosDmJob.name, JSON.stringify({ workspace: ws, personId: EMPLOYEE, text: `${ws} left over` }), Date.now() + 3_600_000)
      // A delivery that kept failing (parked, body kept for inspection), and one this process has in hand.
      const inbox = db.$client.prepare('INSERT INTO inbox (source, key, body, state, owner, lease_until, received_at) VALUES (?, ?, ?, ?, ?, ?, 0)')
      inbox.run(
        'slack',
        `event:Ev${team}PARKED`,
        JSON.stringify(envelope(team, `Ev${team}PARKED`, { type: 'message', text: `${ws} parked` })),
        'parked',
        null,
        null,
      )
      inbox.run(
        'slack',
        `message_action:trig.${team}`,
        JSON.stringify({ type: 'message_action', team: { id: team }, message: { text: `${ws} in hand` } }),
        'pending',
        processOwner(),
        Date.now() + 3_600_000,
      )
    }
    await queue.enqueue(kudosDmJob, { workspace: GONE, personId: EMPLOYEE, text: `${GONE} now` })
    await waitFor(() => w.h.fake.callsOf('chat.postMessage').some((c) => String(c.params.text).includes(`${GONE} now`)), 'the job that runs now')
    await waitFor(async () => (await redisKeysMarked(conn, redis.prefix, GONE)).length >= 2, 'T1’s jobs in Redis', 10_000)

    // T2's leftover row may reach Redis at any time (the relay's timer), before or after this: a job moved is still there.
    const staysBefore = await footprintMarked(db, conn, redis.prefix, STAYS)
    expect(staysBefore.jobs.map((j) => j.split(' ', 1)[0])).toEqual([dedupeJobId(kudosDmJob.name, `${STAYS}-later`), 'left-T2'])

    // What Slack sends when a workspace removes the app: the token revoked, then app_uninstalled.
    const events = w.h.eventsUrl
    expect(
      (await post(events, signedJson(SIGNING_SECRET, envelope('T1', 'EvREVOKED', { type: 'tokens_revoked', tokens: { bot: ['UBOT'] } })))).status,
    ).toBe(200)
    expect((await post(events, signedJson(SIGNING_SECRET, envelope('T1', 'EvUNINSTALL', { type: 'app_uninstalled' })))).status).toBe(200)
    await inboxDone(db, 'slack', 'event:EvUNINSTALL')

    expect(rowsMarked(db, GONE)).toEqual([])
    expect(ftsHits(db, GONE)).toBe(0)
    expect(await redisKeysMarked(conn, redis.prefix, GONE)).toEqual([])
    expect(db.$client.prepare('SELECT id FROM workspaces WHERE id = ?').all(GONE)).toEqual([])

    expect(await footprintMarked(db, conn, redis.prefix, STAYS)).toEqual(staysBefore)
    expect(ftsHits(db, STAYS)).toBe(1)
  })
})
