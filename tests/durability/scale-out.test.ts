/**
 * Issue 15's proof: two `--role web` processes and two `--role worker` processes on one PostgreSQL
 * and one Redis, behind no load balancer but the test, which sends each Slack delivery to one web
 * process and Slack's retry of it to the other.
 *
 * First a worker is SIGKILLed inside a capture job (the fake Slack holds its thread read open); the
 * other worker takes the job over once its lock runs out: every thread is saved once, every "Saved"
 * confirmation posted once, every command answered once, and every retry was a duplicate.
 *
 * Then time: tasks due in three days are made through both web processes, every process's clock
 * jumps (tests/support/process-clock.ts) past their lead reminders, and the worker sending them is
 * SIGKILLed inside both DMs (the fake holds them open, so they never got out); the workers started
 * after it send each once. The due reminders follow, once each; and every activity — messages,
 * reactions, saves, tasks — is counted once in the adoption rollup however many processes saw it.
 */
import { afterAll, beforeAll, expect, it } from 'vitest'
import { SIGNING_SECRET } from '../adapters/slack/harness.ts'
import { visibleText } from '../e2e/slack-driver.ts'
import { FakeSlackApi } from '../support/fake-slack-api.ts'
import { BullmqObserver } from '../support/jobs.ts'
import { describeWithPostgres, withPostgresDatabase } from '../support/postgres.ts'
import { ProcessClock } from '../support/process-clock.ts'
import { getTestRedis, type TestRedis } from '../support/redis.ts'
import { killHard, startBeacon } from '../support/run-beacon.ts'
import { addThread, bookmarkReaction, channelMessage, retried, savedConfirmations, seedWorkspace, taskCommand } from '../support/slack-fixtures.ts'
import { post, signedForm, signedJson } from '../support/slack-signing.ts'
import { waitFor } from '../support/wait.ts'

const describePg = await describeWithPostgres()
const THREADS = [
  { channel: 'C1', ts: '1700000100.000100', event: 'EvSCALE1' },
  { channel: 'C1', ts: '1700000110.000100', event: 'EvSCALE2' },
]
const HOUR = 3_600_000

describePg('scale out: web × 2, worker × 2, one PostgreSQL, one Redis', () => {
  const pg = withPostgresDatabase()
  const fake = new FakeSlackApi()
  const clock = new ProcessClock()
  let redis: TestRedis
  let jobs: BullmqObserver
  const procs: ReturnType<typeof startBeacon>[] = []
  const web: { a?: Started; b?: Started } = {}
  type Started = Awaited<ReturnType<typeof start>>

  beforeAll(async () => {
    redis = await getTestRedis()
    jobs = new BullmqObserver(redis.url, redis.prefix, (dueBy) => count('select count(*) as n from job_outbox where run_at <= $1', dueBy))
    await fake.start()
    seedWorkspace(fake)
    for (const t of THREADS) addThread(fake, t, `Question ${t.event}: who rotates the staging keys?`)
  })
  afterAll(async () => {
    for (const p of procs) {
      if (p.child.exitCode === null) {
        killHard(p.child)
        await p.exited
      }
    }
    await jobs?.close()
    await fake.stop()
    await redis?.stop()
    clock.dispose()
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
        ...clock.env(),
      },
      ready: /Beacon (?:web |worker )?listening on :(\d+)/,
      timeoutMs: 90_000,
    })
    procs.push(p)
    return { p, url: `http://127.0.0.1:${(await p.ready)[1]}` }
  }
  const events = (w: Started | undefined) => `${w!.url}/slack/events`
  const running = (role: 'worker') =>
    procs.filter((p) => p.child.exitCode === null && p.child.signalCode === null && p.child.spawnargs.includes(role))
  const count = async (sql: string, ...params: unknown[]) => Number((await pg.db.$client.query<{ n: string }>(sql, params)).rows[0]!.n)
  const duplicatesLogged = (w: Started | undefined) => (w!.p.output().stdout.match(/duplicate slack delivery acked and ignored/g) ?? []).length

  it('every thread saved once, every confirmation and answer once, across retries and a killed worker', { timeout: 240_000 }, async () => {
    const [webA, webB, doomed] = await Promise.all([start('web'), start('web'), start('worker')])
    Object.assign(web, { a: webA, b: webB })
    // No due date: the second test's reminders are the only ones.
    const command = (n: number) => taskCommand(fake, `task number ${n} <@UBOB>`, `task-${n}`)

    // The first capture job will be inside its thread read when the only worker dies.
    const capture = fake.holdNext('conversations.replies')
    const acks = await Promise.all([
      post(events(webA), signedJson(SIGNING_SECRET, bookmarkReaction(THREADS[0]!, THREADS[0]!.event))),
      post(events(webB), signedForm(SIGNING_SECRET, command(1))),
    ])
    expect(acks.map((a) => a.status)).toEqual([200, 200])
    await capture.reached
    killHard(doomed.p.child)
    await doomed.p.exited
    capture.release()

    // Slack retries on the other web process; more traffic arrives meanwhile.
    const more = await Promise.all([
      post(events(webB), retried(signedJson(SIGNING_SECRET, bookmarkReaction(THREADS[0]!, THREADS[0]!.event)))),
      post(events(webA), retried(signedForm(SIGNING_SECRET, command(1)))),
      post(events(webB), signedJson(SIGNING_SECRET, bookmarkReaction(THREADS[1]!, THREADS[1]!.event))),
      post(events(webA), signedForm(SIGNING_SECRET, command(2))),
    ])
    expect(more.map((a) => a.status)).toEqual([200, 200, 200, 200])
    await waitFor(() => duplicatesLogged(webB) >= 1, 'web B to see the reaction retry as a duplicate', 20_000)
    await waitFor(() => duplicatesLogged(webA) >= 1, 'web A to see the /task retry as a duplicate', 20_000)

    // Two workers now: the killed one's job is taken over once its lock runs out (BullMQ stalled-job check).
    await Promise.all([start('worker'), start('worker')])
    for (const t of THREADS)
      await waitFor(
        async () =>
          savedConfirmations(fake, t).length > 0 &&
          (await count('select count(*) as n from knowledge_items where thread_id = $1', `slack:T1:${t.channel}:${t.ts}`)) > 0,
        `thread ${t.event} saved`,
        120_000,
      )
    for (const n of [1, 2]) await waitFor(() => fake.responses.some((r) => r.id === `task-${n}`), `the answer to /task ${n}`, 30_000)

    // A retry of a delivery that arrives after its work finished, on the other process: still nothing new.
    await post(events(webA), retried(signedJson(SIGNING_SECRET, bookmarkReaction(THREADS[1]!, THREADS[1]!.event))))
    await waitFor(
      async () => (await count(`select count(*) as n from inbox where source = 'slack' and state = 'done'`)) === 4,
      'four deliveries done',
      30_000,
    )

    for (const t of THREADS) {
      expect(await count('select count(*) as n from knowledge_items where thread_id = $1', `slack:T1:${t.channel}:${t.ts}`)).toBe(1)
      expect(savedConfirmations(fake, t)).toHaveLength(1)
    }
    for (const n of [1, 2]) {
      expect(fake.responses.filter((r) => r.id === `task-${n}`).map((r) => visibleText(r.body))).toEqual([
        expect.stringMatching(new RegExp(`Created \\*T-\\d\\*: task number ${n}`)),
      ])
      expect(await count('select count(*) as n from tasks where title = $1', `task number ${n}`)).toBe(1)
    }
    expect(await count('select count(*) as n from inbox')).toBe(4)
  })

  it('every reminder sent once across a worker killed inside the DMs, every activity counted once', { timeout: 300_000 }, async () => {
    const workers = running('worker')
    expect(workers).toHaveLength(2) // left by the first test
    await jobs.idle(60_000)
    const titles = ['renew the wildcard certificate', 'rotate the staging keys']
    const via = [
      [web.a, web.b],
      [web.b, web.a],
    ] as const

    // Two tasks due in three days, one made through each web process and retried on the other; two
    // channel messages the same way.
    const commands = titles.map((title, i) => signedForm(SIGNING_SECRET, taskCommand(fake, `${title} <@UBOB> in 3 days`, `remind-${i}`)))
    const messages = [
      channelMessage({ channel: 'C1', user: 'UBOB', text: 'The wildcard certificate runs out this week.', at: new Date(clock.now()) }, 'EvMSG1'),
      channelMessage({ channel: 'C1', user: 'UALICE', text: 'I will take the staging keys.', at: new Date(clock.now() + 1000) }, 'EvMSG2'),
    ].map((m) => signedJson(SIGNING_SECRET, m))
    const first = await Promise.all([...commands, ...messages].map((r, i) => post(events(via[i % 2]![0]), r)))
    const again = await Promise.all([...commands, ...messages].map((r, i) => post(events(via[i % 2]![1]), retried(r))))
    expect([...first, ...again].map((a) => a.status)).toEqual(Array(8).fill(200))
    for (const i of [0, 1]) await waitFor(() => fake.responses.some((r) => r.id === `remind-${i}`), `the answer to /task ${titles[i]}`, 30_000)
    await waitFor(async () => (await count(`select count(*) as n from inbox where state = 'done'`)) === 8, 'eight deliveries done', 30_000)
    await jobs.idle(60_000) // Bob has been told about both tasks; nothing else is being posted
    const due = (await pg.db.$client.query<{ id: number; due_at: Date }>('select id, due_at from tasks where title = any($1)', [titles])).rows
    expect(due).toHaveLength(2)
    const lastDue = Math.max(...due.map((t) => t.due_at.getTime()))

    // A rolling restart leaves one worker; it is killed inside both lead-reminder DMs.
    workers[1]!.child.kill('SIGTERM')
    expect((await workers[1]!.exited).code).toBe(0)
    const held = [fake.holdNext('chat.postMessage'), fake.holdNext('chat.postMessage')]
    clock.jumpTo(lastDue - HOUR / 2) // past both lead reminders (an hour before), before either due time
    expect(await clock.promoteDue(redis, ['task.remind'])).toEqual(['task.remind', 'task.remind'])
    await Promise.all(held.map((h) => h.reached))
    killHard(workers[0]!.child)
    await workers[0]!.exited
    await Promise.all(held.map((h) => h.callerGone))
    for (const h of held) h.release()
    await Promise.all([start('worker'), start('worker')])

    const reminders = (kind: 'lead' | 'due', title: string) =>
      fake
        .callsOf('chat.postMessage')
        .filter((c) => c.params.channel === 'DUBOB' && !c.abandoned)
        .filter((c) => String(c.params.text).startsWith(kind === 'lead' ? '⏰ Coming up:' : '⏰') && String(c.params.text).includes(title))
        .filter((c) => kind === 'lead' || /is due now/.test(String(c.params.text)))
    for (const title of titles) await waitFor(() => reminders('lead', title).length > 0, `the lead reminder of "${title}"`, 120_000)
    expect(
      fake
        .callsOf('chat.postMessage')
        .filter((c) => c.abandoned)
        .map((c) => String(c.params.text)),
    ).toEqual([expect.stringMatching(/^⏰ Coming up:/), expect.stringMatching(/^⏰ Coming up:/)])

    clock.jumpTo(lastDue + 60_000)
    expect(await clock.promoteDue(redis, ['task.remind'])).toEqual(['task.remind', 'task.remind'])
    for (const title of titles) await waitFor(() => reminders('due', title).length > 0, `the due reminder of "${title}"`, 60_000)
    await jobs.idle(60_000)

    for (const title of titles) {
      expect(reminders('lead', title)).toHaveLength(1)
      expect(reminders('due', title)).toHaveLength(1)
    }
    for (const t of due) // each claim confirmed sent, none left claimed
      expect(await count(`select count(*) as n from task_notifications where task_id = $1 and key like 'remind:%' and sent`, t.id)).toBe(2)

    // Adoption: each fact once in the events and once in the weekly rollup the stats and dashboard read.
    const counted = async (table: 'adoption_events' | 'adoption_weekly') =>
      Object.fromEntries(
        (
          await pg.db.$client.query<{ kind: string; n: string }>(
            `select kind, ${table === 'adoption_events' ? 'count(*)' : 'sum(count)'} as n from ${table} group by kind order by kind`,
          )
        ).rows.map((r) => [r.kind, Number(r.n)]),
      )
    const expected = { knowledge_saved: 2, message: 2, reaction: 2, task_created: 4 }
    expect(await counted('adoption_events')).toEqual(expected)
    expect(await counted('adoption_weekly')).toEqual(expected)
  })
})
