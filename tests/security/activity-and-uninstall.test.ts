/**
 * The smaller leaks, through signed Slack requests: a reaction in a DM is not channel activity;
 * opting out covers being pointed at (reactions to, kudos to and replies to an opted-out person leave
 * no link to them); uninstalling removes the workspace's job payloads — SQLite jobs and outbox rows
 * with the in-process queue, Redis jobs with BullMQ — and leaves other workspaces' alone.
 */
import { Queue } from 'bullmq'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { kudosDmJob } from '../../src/core/recognition/job-defs.ts'
import { describeWithRedis, getTestRedis, type TestRedis } from '../support/redis.ts'
import { EMPLOYEE, EVE, GENERAL, LONER, startWorld, WS, type World } from './support.ts'
import { waitFor } from '../support/wait.ts'

const DM = `D${EMPLOYEE}`
const rows = (w: World, sql: string, ...args: string[]) => w.h.ctx.db.$client.prepare(sql).all(...args) as Record<string, unknown>[]

describe('activity: DMs and opted-out people', () => {
  let w: World
  let ts = 1750240000

  beforeAll(async () => {
    w = await startWorld()
    w.h.fake.channels.set(DM, { id: DM, is_im: true, user: EMPLOYEE })
  })
  afterAll(async () => w?.close())

  const react = (user: string, channel: string, itemUser: string) =>
    w.slack.event({
      type: 'reaction_added',
      user,
      reaction: 'tada',
      item_user: itemUser,
      item: { type: 'message', channel, ts: `${++ts}.000100` },
      event_ts: `${ts}.000200`,
    })

  it('a reaction in a DM is not counted as channel activity', async () => {
    await react(EMPLOYEE, DM, 'UBOT')
    await waitFor(() => w.h.fake.callsOf('conversations.info').some((c) => c.params.channel === DM), 'Beacon asking Slack where the reaction was')
    await react(EMPLOYEE, GENERAL, EVE)
    await waitFor(
      () => rows(w, "select 1 from adoption_events where conversation_id = ? and kind = 'reaction'", GENERAL).length > 0,
      'the #general reaction',
    )
    expect(rows(w, 'select conversation_id from adoption_events where conversation_id = ?', DM)).toEqual([])
  })

  it('reactions, kudos and replies to an opted-out person are counted for the actor without a link to them', async () => {
    expect(await w.say(LONER, 'privacy optout')).toMatch(/you are out of Beacon’s analytics/)
    // Eve reacts to Pia's message, thanks her, and replies in her thread.
    await react(EVE, GENERAL, LONER)
    await waitFor(() => rows(w, "select 1 from adoption_events where person_id = ? and kind = 'reaction'", EVE).length > 0, 'Eve’s reaction')
    expect(await w.say(EVE, `<@${LONER}> for the incident write-up`, GENERAL, '/kudos')).toMatch(/gave kudos to/)
    const root = `${++ts}.000100`
    await w.slack.event({ type: 'message', channel: GENERAL, user: LONER, text: 'postmortem notes', ts: root, channel_type: 'channel' })
    await w.slack.event({
      type: 'message',
      channel: GENERAL,
      user: EVE,
      text: 'thanks!',
      ts: `${++ts}.000100`,
      thread_ts: root,
      channel_type: 'channel',
    })
    await waitFor(() => rows(w, "select 1 from adoption_events where person_id = ? and kind = 'reply'", EVE).length > 0, 'Eve’s reply')

    expect(rows(w, 'select kind from adoption_events where person_id = ? or target_person_id = ?', LONER, LONER)).toEqual([])
    const links = await w.activity.links(WS, [GENERAL], '2000-01-01', '2100-01-01')
    expect(links.filter((l) => l.toId === LONER || l.fromId === LONER)).toEqual([])
    // Eve's own activity still counts.
    expect(rows(w, 'select kind from adoption_events where person_id = ? order by kind', EVE).map((r) => r.kind)).toEqual(
      expect.arrayContaining(['kudos_given', 'reaction', 'reply']),
    )
  })
})

/** Jobs of both workspaces, then T1 uninstalls: T1's payloads are gone, T2's stay. */
async function uninstallScenario(w: World, jobsOfWorkspace: (workspace: string) => Promise<number>): Promise<void> {
  // A kudos given in a DM enqueues a DM job for the person thanked (it runs, and its finished row stays as dedupe memory).
  expect(await w.say(EVE, `<@${EMPLOYEE}> for the secret salary spreadsheet fix`, `D${EVE}`, '/kudos')).toMatch(/gave kudos to/)
  await waitFor(() => w.h.fake.callsOf('chat.postMessage').some((c) => c.params.channel === DM), 'the kudos DM')
  // And one waiting for later, plus another workspace's.
  await w.h.ctx.queue.enqueue(kudosDmJob, { workspace: WS, personId: EMPLOYEE, text: 'later, in T1' }, { delayMs: 3_600_000, dedupeKey: 't1-later' })
  await w.h.ctx.queue.enqueue(
    kudosDmJob,
    { workspace: 'slack:T2', personId: 'UOTHER', text: 'later, in T2' },
    { delayMs: 3_600_000, dedupeKey: 't2-later' },
  )
  expect(await jobsOfWorkspace(WS)).toBeGreaterThanOrEqual(2)
  expect(await jobsOfWorkspace('slack:T2')).toBe(1)

  await w.slack.event({ type: 'app_uninstalled', event_ts: '1.2' })
  await waitFor(async () => (await jobsOfWorkspace(WS)) === 0, 'T1’s jobs removed', 10_000)
  expect(await jobsOfWorkspace('slack:T2')).toBe(1)
  expect(rows(w, 'select 1 from kudos where workspace_id = ?', WS)).toEqual([])
}

describe('uninstall removes job payloads (in-process queue: SQLite jobs and outbox)', () => {
  let w: World
  beforeAll(async () => {
    w = await startWorld()
  })
  afterAll(async () => w?.close())

  it('deletes the workspace’s jobs and leftover outbox rows, and only those', async () => {
    // A row a BullMQ deployment on the same file left behind.
    w.h.ctx.db.$client
      .prepare('insert into job_outbox (job_id, name, data, run_at, attempts, backoff_ms, created_at) values (?, ?, ?, 0, 1, 1000, 0)')
      .run('left-over', kudosDmJob.name, JSON.stringify({ workspace: WS, personId: EMPLOYEE, text: 'left over' }))
    const count = async (workspace: string) =>
      [...rows(w, 'select data from jobs'), ...rows(w, 'select data from job_outbox')].filter(
        (r) => (JSON.parse(String(r.data)) as { workspace?: string }).workspace === workspace,
      ).length
    await uninstallScenario(w, count)
    expect(rows(w, 'select 1 from job_outbox')).toEqual([])
  })
})

describeWithRedis()('uninstall removes job payloads (BullMQ on Redis)', () => {
  let w: World
  let redis: TestRedis
  let queue: Queue
  let conn: Redis

  beforeAll(async () => {
    redis = await getTestRedis()
    w = await startWorld({ REDIS_URL: redis.url, QUEUE_PREFIX: redis.prefix })
    conn = new Redis(redis.url, { maxRetriesPerRequest: null })
    queue = new Queue('beacon', { connection: conn, prefix: redis.prefix })
  })
  afterAll(async () => {
    await queue?.close()
    conn?.disconnect()
    await w?.close()
    await redis?.stop()
  })

  it('deletes the workspace’s jobs in Redis, and only those', async () => {
    const count = async (workspace: string) => {
      const jobs = await queue.getJobs(['waiting', 'delayed', 'prioritized', 'waiting-children', 'completed', 'failed', 'active'])
      const outbox = rows(w, 'select data from job_outbox').filter((r) => String(r.data).includes(`"${workspace}"`)).length
      return jobs.filter((j) => (j.data as { workspace?: string }).workspace === workspace).length + outbox
    }
    await uninstallScenario(w, count)
  })
})
