/**
 * The task webhook against a local HTTP receiver that checks the signature the way a tracker
 * would, and answers with whatever status the test scripts. Real HTTP round trips, so this runs on
 * the real in-process queue and waits for the receiver to see each delivery.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { signWebhook, verifyWebhookSignature, webhookBodySchema, type WebhookBody } from '../../../src/core/tasks/webhook-body.ts'
import { jobsIdle } from '../../support/jobs.ts'
import { silentLogger } from '../../../src/core/logger.ts'
import { InProcessJobQueue } from '../../../src/jobs/in-process-queue.ts'
import { closeDb, openMemoryDb } from '../../../src/storage/db.ts'
import { harness as memoryHarness, type Harness, type HarnessOptions } from './support.ts'

/** The tasks harness on the real in-process queue (its own in-memory database). */
async function harness(opts: HarnessOptions): Promise<Harness> {
  const db = openMemoryDb()
  const h = await memoryHarness({ ...opts, db, queue: new InProcessJobQueue({ db, log: silentLogger, pollMs: 200 }) })
  const close = h.close
  h.close = async () => {
    await close()
    closeDb(db)
  }
  return h
}
import { waitFor } from '../../support/wait.ts'

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

  it('sends signed created/updated/done events, retrying a 5xx with the same delivery id', { timeout: 10_000 }, async () => {
    const rx = await receiver([500]) // the first delivery fails once
    server = rx.server
    h = await harness({ webhook: { url: rx.url, secret: SECRET, backoffMs: 100, attempts: 4 } })
    await h.command('@Bob ship the release tomorrow 5pm')
    await waitFor(() => rx.hits.filter((x) => x.status === 200).length === 1, 'the created event after one retry', 4000)
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
    await waitFor(() => rx.hits.length === 4, 'updated and done events', 4000)
    // Deliveries run concurrently, so order is not guaranteed; `task.version` says which is newer.
    const later = rx.hits.slice(2).sort((a, b) => a.body.task.version - b.body.task.version)
    expect(later.map((x) => [x.body.type, x.body.task.status, x.body.task.version])).toEqual([
      ['task.updated', 'open', 2],
      ['task.done', 'done', 3],
    ])
  })

  it('a 4xx (other than 429) is a permanent failure: no retries; 429 is retried', { timeout: 10_000 }, async () => {
    const rx = await receiver([422, 429])
    server = rx.server
    h = await harness({ webhook: { url: rx.url, secret: SECRET, backoffMs: 100, attempts: 4 } })
    await h.command('first')
    await waitFor(() => rx.hits.length === 1, 'the first delivery', 3000)
    await jobsIdle(h.db) // a retry would be due within 100 ms: it would have run
    expect(rx.hits.map((x) => x.status)).toEqual([422])
    await h.command('second')
    await waitFor(() => rx.hits.length === 3, 'the 429 then the retry', 3000)
    expect(rx.hits.slice(1).map((x) => [x.body.task.id, x.status])).toEqual([
      ['T-2', 429],
      ['T-2', 200],
    ])
  })

  it('an unreachable receiver is retried until it answers', { timeout: 10_000 }, async () => {
    const rx = await receiver([])
    server = rx.server
    const calls: number[] = []
    // The first attempt hits a closed port (network error); later ones reach the receiver.
    const fetchOnce: typeof fetch = async (input, init) => {
      calls.push(Date.now())
      return fetch(calls.length === 1 ? 'http://127.0.0.1:1/' : input, init)
    }
    h = await harness({ webhook: { url: rx.url, secret: SECRET, backoffMs: 100, attempts: 3 }, fetch: fetchOnce })
    await h.command('reach me')
    await waitFor(() => rx.hits.length === 1, 'delivery after a network error', 4000)
    expect(calls).toHaveLength(2)
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
    await jobsIdle(h.db)
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
