/**
 * Beacon as a real process on PostgreSQL (DATABASE_URL, a database of its own) and Redis (a queue
 * prefix of its own), talking to a fake Slack: a bookmark reaction saves the thread once and says
 * "Saved" once, `/task` creates the task and answers, /readyz reports both backends healthy, and
 * Slack retrying a delivery is a duplicate.
 */
import { afterAll, beforeAll, expect, it } from 'vitest'
import { SIGNING_SECRET } from '../adapters/slack/harness.ts'
import { visibleText } from '../e2e/slack-driver.ts'
import { FakeSlackApi } from '../support/fake-slack-api.ts'
import { describeWithPostgres, withPostgresDatabase } from '../support/postgres.ts'
import { getTestRedis, type TestRedis } from '../support/redis.ts'
import { killHard, startBeacon } from '../support/run-beacon.ts'
import { post, signedForm, signedJson } from '../support/slack-signing.ts'
import { addThread, bookmarkReaction, retried, savedConfirmations, seedWorkspace, taskCommand } from '../support/slack-fixtures.ts'
import { waitFor } from '../support/wait.ts'

const describePg = await describeWithPostgres()
const ROOT = { channel: 'C1', ts: '1700000100.000100' }
const THREAD = `slack:T1:${ROOT.channel}:${ROOT.ts}`

const reaction = bookmarkReaction(ROOT, 'EvPG1')
const command = (fake: FakeSlackApi) => taskCommand(fake, 'renew the wildcard certificate <@UBOB> in 3 days', 'task-pg')

describePg('beacon serve on PostgreSQL and Redis', () => {
  const pg = withPostgresDatabase()
  const fake = new FakeSlackApi()
  let redis: TestRedis
  let beacon: ReturnType<typeof startBeacon> | undefined

  beforeAll(async () => {
    redis = await getTestRedis()
    await fake.start()
    seedWorkspace(fake)
    addThread(fake, ROOT, 'Can someone rotate the staging keys by friday?')
  })
  afterAll(async () => {
    if (beacon && beacon.child.exitCode === null) {
      killHard(beacon.child)
      await beacon.exited
    }
    await fake.stop()
    await redis?.stop()
  })

  const count = async (sql: string, ...params: unknown[]) => Number((await pg.db.$client.query<{ n: string }>(sql, params)).rows[0]!.n)

  it('saves a thread once, answers /task, and is ready', { timeout: 120_000 }, async () => {
    beacon = startBeacon('main', {
      env: {
        DATABASE_URL: pg.url,
        REDIS_URL: redis.url,
        QUEUE_PREFIX: redis.prefix,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_BOT_TOKEN: 'xoxb-test-token',
        SLACK_API_URL: fake.apiUrl,
        PORT: '0',
        LOG_LEVEL: 'info',
      },
      ready: /Beacon listening on :(\d+)/,
    })
    const url = `http://127.0.0.1:${(await beacon.ready)[1]}`
    const events = `${url}/slack/events`

    const ready = await fetch(`${url}/readyz`)
    expect(ready.status).toBe(200)
    expect(await ready.json()).toEqual({ ok: true, checks: { database: true, queue: true } })

    const acks = await Promise.all([post(events, signedJson(SIGNING_SECRET, reaction)), post(events, signedForm(SIGNING_SECRET, command(fake)))])
    expect(acks.map((a) => a.status)).toEqual([200, 200])

    const saved = () => savedConfirmations(fake, ROOT)
    await waitFor(() => saved().length > 0, 'the "Saved" confirmation', 30_000)
    await waitFor(() => fake.responses.some((r) => r.id === 'task-pg'), 'the /task answer', 30_000)
    expect(fake.responses.filter((r) => r.id === 'task-pg').map((r) => visibleText(r.body))).toEqual([
      expect.stringMatching(/Created \*T-1\*: renew the wildcard certificate/),
    ])
    expect(await count('select count(*) as n from tasks where title = $1', 'renew the wildcard certificate')).toBe(1)
    expect(await count('select count(*) as n from knowledge_items where thread_id = $1', THREAD)).toBe(1)

    // Slack retries both: acked, recognised from the PostgreSQL inbox, nothing happens again.
    const again = await Promise.all([
      post(events, retried(signedJson(SIGNING_SECRET, reaction))),
      post(events, retried(signedForm(SIGNING_SECRET, command(fake)))),
    ])
    expect(again.map((a) => a.status)).toEqual([200, 200])
    await waitFor(
      () => (beacon!.output().stdout.match(/duplicate slack delivery acked and ignored/g) ?? []).length === 2,
      'two duplicates logged',
      10_000,
    )
    expect(await count(`select count(*) as n from inbox where source = 'slack' and state = 'done'`)).toBe(2)
    expect(saved()).toHaveLength(1)
    expect(fake.responses.filter((r) => r.id === 'task-pg')).toHaveLength(1)
    expect(await count('select count(*) as n from knowledge_items')).toBe(1)
    expect(await count('select count(*) as n from tasks')).toBe(1)

    beacon.child.kill('SIGTERM')
    expect((await beacon.exited).code).toBe(0)
  })
})
