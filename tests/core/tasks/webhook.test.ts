/**
 * The task webhook against a local HTTP receiver that checks the signature the way a tracker
 * would, and answers with whatever status the test scripts. Real HTTP round trips; the deliveries
 * run on the in-memory queue, which waits out each retry's backoff on the test clock (`drain`), so a
 * busy machine makes the test slower, never different.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { signWebhook, verifyWebhookSignature, webhookBodySchema, type WebhookBody } from '../../../src/core/tasks/webhook-body.ts'
import { harness, type Harness } from './support.ts'

const SECRET = 'whsec-test-123'

interface Hit {
  body: WebhookBody
  verified: boolean
  headers: Record<string, string | string[] | undefined>
  status: number
}

async function receiver(statuses: number[]): Promise<{ url: string; hits: Hit[]; server: Server }> {
  const hits: Hit[] = []
  const server = createServer((req, res) => {
    let raw = ''
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')))
    req.on('end', () => {
      const verified = verifyWebhookSignature(SECRET, {
        signature: req.headers['x-beacon-signature'] as string | undefined,
        timestamp: req.headers['x-beacon-timestamp'] as string | undefined,
        body: raw,
      })
      const status = verified ? (statuses.shift() ?? 200) : 401
      hits.push({ body: webhookBodySchema.parse(JSON.parse(raw)), verified, headers: req.headers, status })
      res.writeHead(status, { 'content-type': 'text/plain' }).end(String(status))
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/beacon`, hits, server }
}

describe('task webhook', () => {
  let h: Harness
  let server: Server | undefined
  afterEach(async () => {
    await h?.close()
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()))
    server = undefined
  })

  it('sends signed created/updated/done events, retrying a 5xx with the same delivery id', async () => {
    const rx = await receiver([500]) // the first delivery fails once
    server = rx.server
    h = await harness({ webhook: { url: rx.url, secret: SECRET, backoffMs: 100, attempts: 4 } })
    await h.command('@Bob ship the release tomorrow 5pm')
    await h.jobs.drain()
    expect(rx.hits.map((x) => [x.body.type, x.status, x.verified])).toEqual([
      ['task.created', 500, true],
      ['task.created', 200, true],
    ])
    expect(rx.hits[0]!.body.id).toBe(rx.hits[1]!.body.id) // receivers can drop duplicates by id
    expect(rx.hits[1]!.headers['x-beacon-signature']).toMatch(/^v1=[0-9a-f]{64}$/)
    expect(rx.hits[1]!.headers['x-beacon-event']).toBe('task.created')
    expect(rx.hits[1]!.body.task).toMatchObject({
      id: 'T-1',
      title: 'ship the release',
      status: 'open',
      creator: { id: 'U_ALICE', name: 'Alice' },
      assignees: [{ id: 'U_BOB', name: 'Bob' }],
      version: 1,
    })

    await h.command('edit T-1 ship release 2.0')
    await h.command('done T-1', 'U_BOB')
    await h.jobs.drain()
    // Receivers cannot rely on order (the real queues deliver concurrently); `task.version` says which is newer.
    const later = rx.hits.slice(2).sort((a, b) => a.body.task.version - b.body.task.version)
    expect(later.map((x) => [x.body.type, x.body.task.status, x.body.task.version])).toEqual([
      ['task.updated', 'open', 2],
      ['task.done', 'done', 3],
    ])
  })

  it('a 4xx (other than 429) is a permanent failure: no retries; 429 is retried', async () => {
    const rx = await receiver([422, 429])
    server = rx.server
    h = await harness({ webhook: { url: rx.url, secret: SECRET, backoffMs: 100, attempts: 4 } })
    await h.command('first')
    await h.jobs.drain() // a retry would have run: drain waits out every backoff
    expect(rx.hits.map((x) => x.status)).toEqual([422])
    await h.command('second')
    await h.jobs.drain()
    expect(rx.hits.slice(1).map((x) => [x.body.task.id, x.status])).toEqual([
      ['T-2', 429],
      ['T-2', 200],
    ])
  })

  it('an unreachable receiver is retried until it answers', async () => {
    const rx = await receiver([])
    server = rx.server
    let calls = 0
    // The first attempt hits a closed port (network error); later ones reach the receiver.
    const fetchOnce: typeof fetch = async (input, init) => fetch(++calls === 1 ? 'http://127.0.0.1:1/' : input, init)
    h = await harness({ webhook: { url: rx.url, secret: SECRET, backoffMs: 100, attempts: 3 }, fetch: fetchOnce })
    await h.command('reach me')
    await h.jobs.drain()
    expect(calls).toBe(2)
    expect(rx.hits).toHaveLength(1)
    expect(rx.hits[0]!.verified).toBe(true)
  })

  it('without a secret the webhook stays off; signatures reject tampering and old timestamps', async () => {
    const sent: unknown[] = []
    h = await harness({
      webhook: { url: 'http://127.0.0.1:1/x', secret: '' },
      fetch: async (...a) => {
        sent.push(a)
        return new Response('')
      },
    })
    await h.command('quiet')
    await h.jobs.drain()
    expect(sent).toHaveLength(0)
    const ts = String(Math.floor(Date.now() / 1000))
    const sig = signWebhook(SECRET, ts, '{"a":1}')
    expect(verifyWebhookSignature(SECRET, { signature: sig, timestamp: ts, body: '{"a":1}' })).toBe(true)
    expect(verifyWebhookSignature(SECRET, { signature: sig, timestamp: ts, body: '{"a":2}' })).toBe(false)
    expect(verifyWebhookSignature('other', { signature: sig, timestamp: ts, body: '{"a":1}' })).toBe(false)
    const old = String(Math.floor(Date.now() / 1000) - 3600)
    expect(verifyWebhookSignature(SECRET, { signature: signWebhook(SECRET, old, 'x'), timestamp: old, body: 'x' })).toBe(false)
  })
})
