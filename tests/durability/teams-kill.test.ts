/**
 * Persist before ack, on Teams: the "Create task" message-extension submission
 * (composeExtension/submitAction) is answered, then Beacon is SIGKILLed while the task's
 * confirmation to the source thread is held open at the Bot Connector. A new process on the same
 * SQLite file sends that confirmation once; the task exists once; Teams retrying the same invoke
 * is a duplicate. And an invoke accepted by a process that died before running it is run by the
 * next one, its answer posted to the person (the invoke's own answer went nowhere).
 */
import { hostname } from 'node:os'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHANNEL, invoke, messagePayload } from '../adapters/teams/activities.ts'
import { jobsIdle } from '../e2e/knowledge-support.ts'
import { startFakeBotConnector, type ConnectorCall, type FakeBotConnector } from '../support/fake-bot-connector.ts'
import { count, inboxDone, lives, type Lives } from './support.ts'
import { waitFor } from '../support/wait.ts'

type Card = {
  task?: { value?: { card?: { content?: { body?: { id?: string; value?: string }[]; actions?: { data?: Record<string, unknown> }[] } } } }
}

async function send(url: string, activity: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) })
  const text = await res.text()
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined }
}

const text = (c: ConnectorCall) => JSON.stringify(c.body ?? {})

describe('SIGKILL right after the 200 (Teams)', () => {
  let connector: FakeBotConnector
  let beacon: Lives

  beforeAll(async () => {
    connector = await startFakeBotConnector()
    beacon = lives({ TEAMS_ANONYMOUS: 'true' })
  })
  afterAll(async () => {
    await beacon?.close()
    await connector?.close()
  })

  it('a createTask submission answered, then killed while confirming in the thread: ' +
    'after restart one task, one confirmation; the retry is a duplicate', {
    timeout: 120_000,
  }, async () => {
    const first = await beacon.start()
    const payload = messagePayload('1700000000900', '<p>Rotate the staging keys before the audit</p>')
    const fetched = await send(
      first.url,
      invoke(connector.serviceUrl, 'composeExtension/fetchTask', { commandId: 'createTask', commandContext: 'message', messagePayload: payload }),
    )
    const card = (fetched.body as Card).task!.value!.card!.content!
    const inputs = Object.fromEntries((card.body ?? []).filter((b) => b.id).map((b) => [b.id!, b.value ?? '']))
    const form = card.actions![0]!.data!.beaconForm

    const confirmation = connector.holdNext('send')
    const submit = invoke(connector.serviceUrl, 'composeExtension/submitAction', {
      commandId: 'createTask',
      commandContext: 'message',
      messagePayload: payload,
      data: { beaconForm: form, title: inputs.title, assignees: '', due: '' },
    })
    const answered = await send(first.url, submit)
    expect(answered.status).toBe(200)
    expect(JSON.stringify(answered.body)).toContain('T-1')
    await confirmation.reached
    await beacon.kill()

    const db = beacon.db()
    expect(count(db, 'SELECT count(*) AS n FROM tasks')).toBe(1)
    const confirmations = () => connector.messages().filter((c) => c.conversationId?.startsWith(CHANNEL.id) && /T-1/.test(text(c)))
    expect(confirmations()).toEqual([])

    const second = await beacon.start()
    await waitFor(() => confirmations().length >= 1, 'the thread confirmation after the restart', 20_000)
    await jobsIdle(db, 20_000)
    expect(confirmations()).toHaveLength(1)
    expect(count(db, 'SELECT count(*) AS n FROM tasks')).toBe(1)

    // Teams sends the same invoke again: answered, recognised, nothing new.
    const calls = connector.calls.length
    const again = await send(second.url, submit)
    expect(again.status).toBe(200)
    await waitFor(() => /duplicate teams activity answered and ignored/.test(second.stdout()), 'the duplicate logged', 10_000)
    await jobsIdle(db)
    expect(count(db, 'SELECT count(*) AS n FROM tasks')).toBe(1)
    expect(connector.calls.length).toBe(calls)
    confirmation.release()
    await beacon.stop()
  })

  it('an invoke accepted by a process that died before running it: the next process runs it once and tells the person', {
    timeout: 120_000,
  }, async () => {
    const first = await beacon.start()
    const payload = messagePayload('1700000000950', '<p>Book the offsite venue</p>')
    const fetched = await send(
      first.url,
      invoke(connector.serviceUrl, 'composeExtension/fetchTask', { commandId: 'createTask', commandContext: 'message', messagePayload: payload }),
    )
    const form = (fetched.body as Card).task!.value!.card!.content!.actions![0]!.data!.beaconForm
    await beacon.stop()
    // What a SIGKILL between the inbox insert and the turn leaves: a pending row owned by a process that is gone.
    const db = beacon.db()
    const activity = invoke(connector.serviceUrl, 'composeExtension/submitAction', {
      commandId: 'createTask',
      commandContext: 'message',
      messagePayload: payload,
      data: { beaconForm: form, title: 'Book the offsite venue', assignees: '', due: '' },
    })
    const key = `invoke|${CHANNEL.id}|${activity.id}`
    db.$client
      .prepare(`INSERT INTO inbox (source, key, body, owner, lease_until, received_at) VALUES ('teams', ?, ?, ?, ?, ?)`)
      .run(key, JSON.stringify(activity), `${hostname()}|2147483646|gone`, Date.now() + 60_000, Date.now())
    const before = connector.calls.length

    await beacon.start()
    expect(await inboxDone(db, 'teams', key)).toEqual({ state: 'done', attempts: 2 })
    expect(count(db, `SELECT count(*) AS n FROM tasks WHERE title = 'Book the offsite venue'`)).toBe(1)
    // The invoke's own answer could not reach the dialog any more: it went to Alice directly.
    await waitFor(
      () => connector.calls.slice(before).some((c) => /Book the offsite venue/.test(text(c)) && !c.conversationId?.startsWith(CHANNEL.id)),
      'the answer posted to the person',
      10_000,
    )
    await beacon.stop()
  })
})
