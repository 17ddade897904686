/**
 * Persist before ack, on Slack over HTTP: Beacon is SIGKILLed right after Slack got its 200, while
 * it is inside a Web API call the fake holds open (so the kill point is chosen, not timed). A new
 * process on the same SQLite file finishes the work, and every effect exists exactly once: one
 * knowledge item and one "Saved" post for a bookmark reaction, one task and one answer for `/task`
 * and for the "Create task" shortcut. Slack retrying the same delivery afterwards is a duplicate.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SIGNING_SECRET } from '../adapters/slack/harness.ts'
import { jobsIdle } from '../e2e/knowledge-support.ts'
import { visibleText } from '../e2e/slack-driver.ts'
import { FakeSlackApi } from '../support/fake-slack-api.ts'
import { post, signedForm, signedInteraction, signedJson } from '../support/slack-signing.ts'
import { addThread, bookmarkReaction, retried, savedConfirmations, seedWorkspace, taskCommand } from '../support/slack-fixtures.ts'
import { count, inboxDone, inboxRow, lives, type Lives } from './support.ts'
import { waitFor } from '../support/wait.ts'

const ROOT = { channel: 'C1', ts: '1700000100.000100' }
const THREAD = `slack:T1:${ROOT.channel}:${ROOT.ts}`

const reaction = bookmarkReaction(ROOT, 'EvKILL1')
const command = (fake: FakeSlackApi) => taskCommand(fake, 'renew the wildcard certificate <@UBOB> in 3 days', 'task-kill')

const shortcut = (fake: FakeSlackApi) => ({
  type: 'message_action',
  token: 'legacy',
  action_ts: '1700000300.000100',
  team: { id: 'T1', domain: 'acme' },
  user: { id: 'UALICE', username: 'alice', team_id: 'T1', name: 'alice' },
  channel: { id: 'C1', name: 'general' },
  is_enterprise_install: false,
  callback_id: 'create_task',
  trigger_id: 'trig.shortcut-kill',
  response_url: fake.responseUrl('shortcut-kill'),
  message_ts: ROOT.ts,
  message: { type: 'message', ts: ROOT.ts, user: 'UBOB', text: 'Can someone rotate the staging keys by friday?' },
})

describe('SIGKILL right after the 200 (Slack)', () => {
  const fake = new FakeSlackApi()
  let beacon: Lives

  beforeAll(async () => {
    await fake.start()
    seedWorkspace(fake)
    addThread(fake, ROOT, 'Can someone rotate the staging keys by friday?')
    beacon = lives({ SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_API_URL: fake.apiUrl })
  })
  afterAll(async () => {
    await beacon?.close()
    await fake.stop()
  })

  it('a reaction, a /task and a shortcut acked, then killed mid-work: after restart each effect exactly once, and retries are duplicates', {
    timeout: 120_000,
  }, async () => {
    const first = await beacon.start()
    const events = `${first.url}/slack/events`
    // Where each delivery's work will be when the process dies (after its 200 in every case):
    const capture = fake.holdNext('conversations.replies') // the reaction's capture job, reading the thread
    const taskAnswer = fake.holdNext('response:task-kill') // /task: the task is stored, its answer on its way
    const form = fake.holdNext('views.open') // the shortcut: opening the form

    const acks = await Promise.all([
      post(events, signedJson(SIGNING_SECRET, reaction)),
      post(events, signedForm(SIGNING_SECRET, command(fake))),
      post(events, signedInteraction(SIGNING_SECRET, shortcut(fake))),
    ])
    expect(acks.map((a) => a.status)).toEqual([200, 200, 200])
    await Promise.all([capture.reached, taskAnswer.reached, form.reached])
    await beacon.kill()

    const db = beacon.db()
    // The kill happened mid-work: the task row exists, nothing was answered, nothing was saved.
    expect(count(db, 'SELECT count(*) AS n FROM tasks')).toBe(1)
    expect(fake.responses).toEqual([])
    expect(count(db, 'SELECT count(*) AS n FROM knowledge_items')).toBe(0)
    expect(inboxRow(db, 'slack', 'command:trig.task-kill')?.state).toBe('pending')
    expect(inboxRow(db, 'slack', 'message_action:trig.shortcut-kill')?.state).toBe('pending')
    const viewsOpened = fake.callsOf('views.open').length

    const second = await beacon.start()
    await inboxDone(db, 'slack', 'command:trig.task-kill')
    await inboxDone(db, 'slack', 'message_action:trig.shortcut-kill')
    await waitFor(
      () => count(db, 'SELECT count(*) AS n FROM knowledge_items WHERE thread_id = ?', THREAD) === 1,
      'the thread saved after the restart',
      20_000,
    )
    await jobsIdle(db, 20_000)

    // /task: the replay found its task (same origin) and answered once; its follow-ups exist once.
    const tasks = db.$client.prepare('SELECT id, title, source_message_id FROM tasks ORDER BY id').all() as {
      id: number
      title: string
      source_message_id: string | null
    }[]
    const byCommand = tasks.filter((t) => t.title === 'renew the wildcard certificate')
    expect(byCommand).toHaveLength(1)
    expect(fake.responses.filter((r) => r.id === 'task-kill').map((r) => visibleText(r.body))).toEqual([
      expect.stringMatching(/Created \*T-1\*: renew the wildcard certificate/),
    ])
    const jobsFor = (name: string) =>
      count(db, 'SELECT count(*) AS n FROM jobs WHERE name = ? AND data LIKE ?', name, `%"taskId":${byCommand[0]!.id},%`)
    expect(jobsFor('task.remind')).toBe(2) // lead + due
    expect(jobsFor('task.notify')).toBe(1)
    // Bob's DM was being sent by a job when the process died (whether it got out is timing): never lost.
    expect(
      fake.callsOf('chat.postMessage').filter((c) => c.params.channel === 'DUBOB' && /renew the wildcard/.test(JSON.stringify(c.params))).length,
    ).toBeGreaterThanOrEqual(1)

    // The shortcut: its trigger is long dead, so the replay creates the task from the message and says so.
    const fromMessage = tasks.filter((t) => t.source_message_id === ROOT.ts)
    expect(fromMessage).toHaveLength(1)
    expect(fake.responses.filter((r) => r.id === 'shortcut-kill').map((r) => visibleText(r.body))).toEqual([expect.stringMatching(/Created \*T-2\*/)])
    expect(fake.callsOf('views.open')).toHaveLength(viewsOpened) // no modal with an expired trigger_id

    // The reaction: one item, one confirmation in the thread.
    expect(savedConfirmations(fake, ROOT)).toHaveLength(1)

    // Slack retries each delivery after the restart: acked, recognised, nothing happens again.
    const before = { calls: fake.calls.length, responses: fake.responses.length, tasks: tasks.length }
    const again = await Promise.all([
      post(`${second.url}/slack/events`, retried(signedJson(SIGNING_SECRET, reaction))),
      post(`${second.url}/slack/events`, retried(signedForm(SIGNING_SECRET, command(fake)))),
      post(`${second.url}/slack/events`, retried(signedInteraction(SIGNING_SECRET, shortcut(fake)))),
    ])
    expect(again.map((a) => a.status)).toEqual([200, 200, 200])
    await waitFor(() => (second.stdout().match(/duplicate slack delivery acked and ignored/g) ?? []).length === 3, 'three duplicates logged', 10_000)
    await jobsIdle(db)
    expect({ calls: fake.calls.length, responses: fake.responses.length, tasks: count(db, 'SELECT count(*) AS n FROM tasks') }).toEqual(before)
    expect(count(db, 'SELECT count(*) AS n FROM knowledge_items')).toBe(1)

    for (const h of [capture, taskAnswer, form]) h.release()
    await beacon.stop()
  })
})
