/**
 * Socket Mode while shutting down: an envelope that arrives after stop() began is not acked (so
 * Slack redelivers it), while the work Beacon already accepted still finishes and its envelope was
 * acked. The next process gets the redelivery and processes it once.
 */
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocketServer, type WebSocket } from 'ws'
import { FakeSlackApi } from '../support/fake-slack-api.ts'
import { tempDataDir } from '../support/run-beacon.ts'
import { envelope, startHarness, type Harness } from '../adapters/slack/harness.ts'
import { waitFor } from '../support/wait.ts'

let wss: WebSocketServer
let socket: WebSocket | undefined
const acks: string[] = []
const fake = new FakeSlackApi()
const env = { SLACK_SIGNING_SECRET: '', SLACK_APP_TOKEN: 'xapp-1-test' }

beforeAll(async () => {
  wss = new WebSocketServer({ port: 0, host: '127.0.0.1' })
  await new Promise((r) => wss.once('listening', r))
  wss.on('connection', (ws) => {
    socket = ws
    ws.on('message', (data) => {
      const m = JSON.parse(String(data)) as { envelope_id?: string }
      if (m.envelope_id) acks.push(m.envelope_id)
    })
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: 1,
        connection_info: { app_id: 'A1' },
        debug_info: { host: 'fake', approximate_connection_time: 3600 },
      }),
    )
  })
  await fake.start()
  fake.on('apps.connections.open', () => ({ ok: true, url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/link` }))
})

afterAll(async () => {
  for (const c of wss.clients) c.terminate()
  await new Promise((r) => wss.close(r))
  await fake.stop()
})

const commandEnvelope = (id: string) => ({
  envelope_id: id,
  type: 'slash_commands',
  accepts_response_payload: true,
  payload: {
    team_id: 'T1',
    channel_id: 'C1',
    user_id: 'UALICE',
    command: '/task',
    text: 'water the office plants',
    response_url: fake.responseUrl(id),
    trigger_id: `trig.${id}`,
  },
})

describe('Socket Mode shutdown', () => {
  it('an envelope arriving during shutdown is not acked, and is processed once after the redelivery', { timeout: 60_000 }, async () => {
    const dataDir = tempDataDir()
    let h: Harness = await startHarness({ fake, env, dataDir, keepFake: true })
    await waitFor(() => socket !== undefined, 'the socket', 10_000)
    const first = socket!

    // Accepted work in flight: a /task whose person lookup the fake holds open.
    const lookup = fake.holdNext('users.info')
    first.send(JSON.stringify(commandEnvelope('env-busy')))
    await lookup.reached
    expect(acks).toContain('env-busy')

    const stopping = h.adapter.stop()
    const late = envelope({
      type: 'message',
      channel: 'C1',
      channel_type: 'channel',
      user: 'UALICE',
      text: 'sent while Beacon stops',
      ts: '1700000500.000100',
    })
    first.send(
      JSON.stringify({
        envelope_id: 'env-late',
        type: 'events_api',
        accepts_response_payload: false,
        retry_attempt: 0,
        retry_reason: '',
        payload: late,
      }),
    )
    // A ping after it comes back only once Beacon's client has read (and refused) the envelope.
    await new Promise<void>((r) => {
      first.once('pong', () => r())
      first.ping()
    })
    lookup.release()
    await stopping
    expect(fake.responses.filter((r) => r.id === 'env-busy')).toHaveLength(1) // the accepted one finished
    await h.close()
    expect(acks).not.toContain('env-late')

    // Slack redelivers the un-acked envelope on the next connection.
    socket = undefined
    h = await startHarness({ fake, env, dataDir, keepFake: true })
    try {
      await waitFor(() => socket !== undefined, 'the new socket', 10_000)
      socket!.send(
        JSON.stringify({
          envelope_id: 'env-late-2',
          type: 'events_api',
          accepts_response_payload: false,
          retry_attempt: 1,
          retry_reason: 'timeout',
          payload: late,
        }),
      )
      await waitFor(() => acks.includes('env-late-2'), 'the redelivery acked', 10_000)
      await waitFor(() => h.dispatcher!.seen.some((s) => s.event.eventId === late.event_id), 'the redelivery processed', 10_000)
      expect(h.dispatcher!.seen.filter((s) => s.event.eventId === late.event_id).map((s) => s.result)).toEqual(['handled'])
    } finally {
      await h.close()
    }
  })
})
