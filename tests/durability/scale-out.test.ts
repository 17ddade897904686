/**
 * Issue 15's proof: two `--role web` processes and two `--role worker` processes on one PostgreSQL
 * and one Redis, behind no load balancer but the test, which sends each Slack delivery to one web
 * process and Slack's retry of it to the other. A worker is SIGKILLed inside the capture job (the
 * fake Slack holds its thread read open); the other worker takes the job over once its lock runs
 * out. In the end every thread is saved once, every "Saved" confirmation posted once, every
 * command answered once, and every retry was a duplicate.
 */
import { afterAll, beforeAll, expect, it } from 'vitest'
import { SIGNING_SECRET } from '../adapters/slack/harness.ts'
import { visibleText } from '../e2e/slack-driver.ts'
import { FakeSlackApi } from '../support/fake-slack-api.ts'
import { describeWithPostgres, withPostgresDatabase } from '../support/postgres.ts'
import { getTestRedis, type TestRedis } from '../support/redis.ts'
import { killHard, startBeacon } from '../support/run-beacon.ts'
import { post, signedForm, signedJson, type SignedRequest } from '../support/slack-signing.ts'
import { waitFor } from '../support/wait.ts'

const describePg = await describeWithPostgres()
const THREADS = [
  { channel: 'C1', ts: '1700000100.000100', event: 'EvSCALE1' },
  { channel: 'C1', ts: '1700000110.000100', event: 'EvSCALE2' },
]

const reaction = (t: (typeof THREADS)[number]) => ({
  token: 'legacy',
  team_id: 'T1',
  api_app_id: 'A1',
  type: 'event_callback',
  event_id: t.event,
  event_time: 1700000200,
  event: {
    type: 'reaction_added',
    user: 'UALICE',
    reaction: 'bookmark',
    item: { type: 'message', channel: t.channel, ts: t.ts },
    item_user: 'UBOB',
    event_ts: `${t.ts}1`,
  },
})

const command = (fake: FakeSlackApi, n: number) => ({
  token: 'legacy',
  team_id: 'T1',
  team_domain: 'acme',
  channel_id: 'C1',
  channel_name: 'general',
  user_id: 'UALICE',
  user_name: 'alice',
  command: '/task',
  text: `task number ${n} <@UBOB> in 3 days`,
  api_app_id: 'A1',
  is_enterprise_install: 'false',
  response_url: fake.responseUrl(`task-${n}`),
  trigger_id: `trig.scale-${n}`,
})

const retried = (r: SignedRequest): SignedRequest => ({
  ...r,
  headers: { ...r.headers, 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
})

describePg('scale out: web × 2, worker × 2, one PostgreSQL, one Redis', () => {
  const pg = withPostgresDatabase()
  const fake = new FakeSlackApi()
  let redis: TestRedis
  const procs: ReturnType<typeof startBeacon>[] = []

  beforeAll(async () => {
    redis = await getTestRedis()
    await fake.start()
    fake.users.set('UALICE', { id: 'UALICE', name: 'alice', real_name: 'Alice', tz: 'UTC' })
    fake.users.set('UBOB', { id: 'UBOB', name: 'bob', real_name: 'Bob', tz: 'UTC' })
    fake.channels.set('C1', { id: 'C1', name: 'general' })
    for (const t of THREADS) {
      fake.addMessage('C1', { ts: t.ts, thread_ts: t.ts, user: 'UBOB', text: `Question ${t.event}: who rotates the staging keys?` })
      fake.addMessage('C1', {
        ts: t.ts.replace('.000100', '.000200'),
        thread_ts: t.ts,
        user: 'UALICE',
        text: 'Run `rotate.sh staging`, it takes a minute.',
      })
    }
  })
  afterAll(async () => {
    for (const p of procs) {
      if (p.child.exitCode === null) {
        killHard(p.child)
        await p.exited
      }
    }
    await fake.stop()
    await redis?.stop()
  })

  const start = async (role: 'web' | 'worker') => {
    const p = startBeacon('cli', {
      args: ['serve', '--role', role],
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
      ready: /Beacon (?:web |worker )?listening on :(\d+)/,
      timeoutMs: 90_000,
    })
    procs.push(p)
    return { p, url: `http://127.0.0.1:${(await p.ready)[1]}` }
  }
  const count = async (sql: string, ...params: unknown[]) => Number((await pg.db.$client.query<{ n: string }>(sql, params)).rows[0]!.n)
  const saved = (t: (typeof THREADS)[number]) =>
    fake
      .callsOf('chat.postMessage')
      .filter((c) => c.params.channel === t.channel && c.params.thread_ts === t.ts && /Saved to knowledge/.test(String(c.params.text)))

  it('every thread saved once, every confirmation and answer once, across retries and a killed worker', { timeout: 240_000 }, async () => {
    const [webA, webB, doomed] = await Promise.all([start('web'), start('web'), start('worker')])
    const events = (w: { url: string }) => `${w.url}/slack/events`

    // The first capture job will be inside its thread read when the only worker dies.
    const capture = fake.holdNext('conversations.replies')
    const acks = await Promise.all([
      post(events(webA), signedJson(SIGNING_SECRET, reaction(THREADS[0]!))),
      post(events(webB), signedForm(SIGNING_SECRET, command(fake, 1))),
    ])
    expect(acks.map((a) => a.status)).toEqual([200, 200])
    await capture.reached
    killHard(doomed.p.child)
    await doomed.p.exited
    capture.release()

    // Slack retries on the other web process; more traffic arrives meanwhile.
    const more = await Promise.all([
      post(events(webB), retried(signedJson(SIGNING_SECRET, reaction(THREADS[0]!)))),
      post(events(webA), retried(signedForm(SIGNING_SECRET, command(fake, 1)))),
      post(events(webB), signedJson(SIGNING_SECRET, reaction(THREADS[1]!))),
      post(events(webA), signedForm(SIGNING_SECRET, command(fake, 2))),
    ])
    expect(more.map((a) => a.status)).toEqual([200, 200, 200, 200])
    await waitFor(
      () => (webB.p.output().stdout.match(/duplicate slack delivery acked and ignored/g) ?? []).length >= 1,
      'web B to see the reaction retry as a duplicate',
      20_000,
    )
    await waitFor(
      () => (webA.p.output().stdout.match(/duplicate slack delivery acked and ignored/g) ?? []).length >= 1,
      'web A to see the /task retry as a duplicate',
      20_000,
    )

    // Two workers now: the killed one's job is taken over once its lock runs out (BullMQ stalled-job check).
    await Promise.all([start('worker'), start('worker')])
    for (const t of THREADS)
      await waitFor(
        async () =>
          saved(t).length > 0 && (await count('select count(*) as n from knowledge_items where thread_id = $1', `slack:T1:${t.channel}:${t.ts}`)) > 0,
        `thread ${t.event} saved`,
        120_000,
      )
    for (const n of [1, 2]) await waitFor(() => fake.responses.some((r) => r.id === `task-${n}`), `the answer to /task ${n}`, 30_000)

    // A retry of a delivery that arrives after its work finished, on the other process: still nothing new.
    await post(events(webA), retried(signedJson(SIGNING_SECRET, reaction(THREADS[1]!))))
    await waitFor(
      async () => (await count(`select count(*) as n from inbox where source = 'slack' and state = 'done'`)) === 4,
      'four deliveries done',
      30_000,
    )

    for (const t of THREADS) {
      expect(await count('select count(*) as n from knowledge_items where thread_id = $1', `slack:T1:${t.channel}:${t.ts}`)).toBe(1)
      expect(saved(t)).toHaveLength(1)
    }
    for (const n of [1, 2]) {
      expect(fake.responses.filter((r) => r.id === `task-${n}`).map((r) => visibleText(r.body))).toEqual([
        expect.stringMatching(new RegExp(`Created \\*T-\\d\\*: task number ${n}`)),
      ])
      expect(await count('select count(*) as n from tasks where title = $1', `task number ${n}`)).toBe(1)
    }
    expect(await count('select count(*) as n from inbox')).toBe(4)
  })
})
