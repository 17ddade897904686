/**
 * Socket Mode (SLACK_APP_TOKEN): Beacon opens the WebSocket that apps.connections.open hands out,
 * acks each envelope by its envelope_id, and processes it like an HTTP delivery.
 */
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocketServer, type WebSocket } from 'ws'
import { FakeSlackApi } from '../../support/fake-slack-api.ts'
import { envelope, startHarness, type Harness } from './harness.ts'
import { waitFor } from '../../support/wait.ts'

let h: Harness
let wss: WebSocketServer
let socket: WebSocket | undefined
const acks: Record<string, unknown>[] = []

beforeAll(async () => {
  wss = new WebSocketServer({ port: 0, host: '127.0.0.1' })
  await new Promise((r) => wss.once('listening', r))
  wss.on('connection', (ws) => {
    socket = ws
    ws.on('message', (data) => acks.push(JSON.parse(String(data)) as Record<string, unknown>))
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: 1,
        connection_info: { app_id: 'A1' },
        debug_info: { host: 'fake', approximate_connection_time: 3600 },
      }),
    )
  })
  const fake = await new FakeSlackApi().start()
  fake.on('apps.connections.open', (_p, call) =>
    call.token === 'xapp-1-test'
      ? { ok: true, url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/link` }
      : { ok: false, error: 'invalid_auth' },
  )
  h = await startHarness({ fake, env: { SLACK_SIGNING_SECRET: '', SLACK_APP_TOKEN: 'xapp-1-test' } })
}, 20_000)

afterAll(async () => {
  await h.close()
  for (const c of wss.clients) c.terminate()
  await new Promise((r) => wss.close(r))
})

describe('Socket Mode', () => {
  it('connects with the app token and has no HTTP events endpoint', async () => {
    await waitFor(() => socket)
    expect(h.fake.callsOf('apps.connections.open')[0]!.token).toBe('xapp-1-test')
    const r = await fetch(h.eventsUrl, { method: 'POST', body: '{}' })
    expect(r.status).toBe(404)
  })

  it('acks a slash command envelope and answers /beacon help on response_url', async () => {
    await waitFor(() => socket)
    socket!.send(
      JSON.stringify({
        envelope_id: 'env-cmd-1',
        type: 'slash_commands',
        accepts_response_payload: true,
        payload: {
          team_id: 'T1',
          channel_id: 'C1',
          user_id: 'U1',
          command: '/beacon',
          text: 'help',
          response_url: h.fake.responseUrl('socket-help'),
          trigger_id: 'trig.sock.1',
        },
      }),
    )
    await waitFor(() => acks.find((a) => a.envelope_id === 'env-cmd-1'))
    const answer = await waitFor(() => h.fake.responses.find((x) => x.id === 'socket-help'))
    expect(answer.body.response_type).toBe('ephemeral')
    expect(String(answer.body.text)).toContain('/beacon')
  })

  it('processes a redelivered events_api envelope once', async () => {
    const body = envelope({
      type: 'message',
      channel: 'C1',
      channel_type: 'channel',
      user: 'U1',
      text: 'over the socket',
      ts: `${Date.now() / 1000}`,
    })
    for (const [id, attempt] of [
      ['env-ev-1', 0],
      ['env-ev-2', 1],
    ] as const) {
      socket!.send(
        JSON.stringify({
          envelope_id: id,
          type: 'events_api',
          accepts_response_payload: false,
          retry_attempt: attempt,
          retry_reason: attempt ? 'timeout' : '',
          payload: body,
        }),
      )
    }
    await waitFor(() => acks.some((a) => a.envelope_id === 'env-ev-1') && acks.some((a) => a.envelope_id === 'env-ev-2'))
    // Both are acked; the second is known in the inbox (same event_id) and never reaches the core.
    await waitFor(() => h.dispatcher!.seen.some((s) => s.event.eventId === body.event_id))
    expect(h.dispatcher!.seen.filter((s) => s.event.eventId === body.event_id).map((s) => s.result)).toEqual(['handled'])
  })
})
