/**
 * SQLite busy: another process holds the write lock. Held briefly, Beacon's write waits for it
 * (busy_timeout) and the command succeeds; held longer, the delivery cannot be stored before its
 * ack (the inbox waits at most 1 s there), so the person gets a clear "nothing was changed" answer
 * in the ack itself, and nothing is half-written (no task, no claim, no inbox row).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createRequire } from 'node:module'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FakeSlackApi } from '../support/fake-slack-api.ts'
import { join } from 'node:path'
import { SIGNING_SECRET } from '../adapters/slack/harness.ts'
import { SlackDriver, visibleText } from '../e2e/slack-driver.ts'
import { taskRows } from '../e2e/support.ts'
import { post, signedForm } from '../support/slack-signing.ts'
import { taskCommand } from '../support/slack-fixtures.ts'
import { startBeacon, tempDataDir } from '../support/run-beacon.ts'
import { closeDb, openDb, type Db } from '../../src/storage/db.ts'

const BETTER_SQLITE3 = createRequire(import.meta.url).resolve('better-sqlite3')

/** A second process that takes SQLite's write lock (BEGIN IMMEDIATE) and holds it for `ms`. */
async function holdWriteLock(file: string, ms: number): Promise<{ child: ChildProcess; released: Promise<void> }> {
  const script = `
    const Database = require(${JSON.stringify(BETTER_SQLITE3)})
    const db = new Database(${JSON.stringify(file)})
    db.exec('BEGIN IMMEDIATE')
    process.stdout.write('locked\\n')
    setTimeout(() => { db.exec('COMMIT'); db.close(); process.exit(0) }, ${ms})`
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] })
  const released = new Promise<void>((r) => child.once('exit', () => r()))
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (b: Buffer) => b.toString().includes('locked') && resolve())
    child.once('exit', (code) => reject(new Error(`locker exited (${code})`)))
  })
  return { child, released }
}

// Beacon runs as its own process (as `npm start`), so a synchronous wait for the lock inside it
// cannot hold up this test's HTTP client and the ack time measured is the one Slack would see.
describe('SQLite busy', () => {
  const fake = new FakeSlackApi()
  const file = join(tempDataDir(), 'beacon.db')
  let beacon: ReturnType<typeof startBeacon>
  let slack: SlackDriver
  let db: Db

  beforeAll(async () => {
    await fake.start()
    fake.users.set('UALICE', { id: 'UALICE', name: 'alice', real_name: 'Alice', tz: 'UTC' })
    fake.channels.set('C1', { id: 'C1', name: 'general' })
    beacon = startBeacon('main', {
      env: {
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_BOT_TOKEN: 'xoxb-test-token',
        SLACK_API_URL: fake.apiUrl,
        DATABASE_PATH: file,
        PORT: '0',
        LOG_LEVEL: 'info',
      },
      ready: /Beacon listening on :(\d+)/,
    })
    const port = (await beacon.ready)[1]
    slack = new SlackDriver(`http://127.0.0.1:${port}/slack/events`, fake)
    db = openDb(file, { migrate: false })
  })
  afterAll(async () => {
    if (db) closeDb(db)
    beacon?.child.kill('SIGTERM')
    await beacon?.exited
    await fake.stop()
  })

  it('a lock held briefly by another process: the write waits for it and the task is created', { timeout: 20_000 }, async () => {
    const lock = await holdWriteLock(file, 800)
    const reply = visibleText(await slack.command('renew the wildcard certificate'))
    await lock.released
    expect(reply).not.toMatch(/went wrong/i)
    expect(taskRows(db).map((t) => t.title)).toEqual(['renew the wildcard certificate'])
  })

  it('a lock held past the busy timeout: a clear failure, nothing half-written, and the next try works', { timeout: 90_000 }, async () => {
    const claims = () => (db.$client.prepare('SELECT count(*) AS n FROM processed_events').get() as { n: number }).n
    const inbox = () => (db.$client.prepare('SELECT count(*) AS n FROM inbox').get() as { n: number }).n
    const before = { tasks: taskRows(db).length, claims: claims(), inbox: inbox() }
    const lock = await holdWriteLock(file, 7000) // busy_timeout is 5 s
    // The ack still leaves inside Slack's 3 s, and is the answer: the delivery could not be stored.
    const id = `busy-${Date.now()}`
    const res = await post(slack.eventsUrl, signedForm(SIGNING_SECRET, taskCommand(fake, 'archive the old dashboards', id)))
    expect(res.status).toBe(200)
    expect(res.ms).toBeLessThan(3000)
    expect(visibleText(JSON.parse(res.text) as { text?: unknown })).toMatch(/Beacon is busy right now and nothing was changed/)
    await lock.released
    expect(taskRows(db)).toHaveLength(before.tasks)
    expect(claims()).toBe(before.claims)
    expect(inbox()).toBe(before.inbox)
    expect(fake.responses.filter((r) => r.id === id)).toEqual([])
    // Nothing is stuck: the same request again succeeds once the lock is gone.
    expect(visibleText(await slack.command('archive the old dashboards'))).not.toMatch(/went wrong/i)
    expect(taskRows(db).map((t) => t.title)).toContain('archive the old dashboards')
  })
})
