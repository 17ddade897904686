import { Agent, request } from 'node:http'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { composeBeacon, type Beacon } from '../../src/app/compose.ts'
import { loadConfig } from '../../src/app/config.ts'
import { silentLogger } from '../../src/core/logger.ts'
import { describeWithRedis, getTestRedis } from '../support/redis.ts'
import { tempDataDir } from '../support/run-beacon.ts'

const running: Beacon[] = []
afterEach(async () => {
  for (const b of running.splice(0)) await b.close()
})

async function start(env: Record<string, string> = {}): Promise<{ beacon: Beacon; base: string }> {
  const config = loadConfig({ DATABASE_PATH: join(tempDataDir(), 'b.db'), ...env })
  const beacon = await composeBeacon(config, { log: silentLogger })
  running.push(beacon)
  const port = await beacon.listen(0)
  return { beacon, base: `http://127.0.0.1:${port}` }
}

describe('HTTP server', () => {
  it('answers /healthz and /readyz on the embedded defaults', async () => {
    const { base } = await start()
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ ok: true })
    const ready = await fetch(`${base}/readyz`)
    expect(ready.status).toBe(200)
    expect(await ready.json()).toEqual({ ok: true, checks: { database: true, queue: true } })
  })

  it('reports not ready when the database is gone', async () => {
    const { beacon, base } = await start()
    beacon.ctx.db.$client.close()
    const ready = await fetch(`${base}/readyz`)
    expect(ready.status).toBe(503)
    expect(await ready.json()).toMatchObject({ ok: false, checks: { database: false } })
  })

  it('refuses Bot Framework traffic with 401 when Teams is not configured', async () => {
    const { base } = await start()
    const res = await fetch(`${base}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type":"message"}' })
    expect(res.status).toBe(401)
  })

  it('keeps idle connections longer than clients and load balancers do, and tells clients so', async () => {
    // A server that closes an idle connection first races a client reusing it ("other side closed").
    const { base } = await start()
    const header = await new Promise<string | string[] | undefined>((resolve, reject) => {
      const agent = new Agent({ keepAlive: true })
      request(`${base}/healthz`, { agent }, (res) => {
        res.resume()
        res.on('end', () => {
          agent.destroy()
          resolve(res.headers['keep-alive'])
        })
      })
        .on('error', reject)
        .end()
    })
    expect(header).toBe('timeout=65')
  })

  it('answers unknown routes with a JSON 404', async () => {
    const { base } = await start()
    const res = await fetch(`${base}/nope`, { method: 'POST', body: 'x' })
    expect(res.status).toBe(404)
    expect(await res.json()).toEqual({ ok: false, error: 'not_found' })
  })
})

describeWithRedis()('HTTP server on Redis', () => {
  it('is ready when Redis answers and not when it does not', async () => {
    const redis = await getTestRedis()
    try {
      const { base } = await start({ REDIS_URL: redis.url, QUEUE_PREFIX: redis.prefix })
      expect((await fetch(`${base}/readyz`)).status).toBe(200)
      // Nothing listens on port 1: the queue cannot reach Redis there.
      const down = await start({ REDIS_URL: 'redis://127.0.0.1:1', QUEUE_PREFIX: redis.prefix })
      const res = await fetch(`${down.base}/readyz`)
      expect(res.status).toBe(503)
      expect(await res.json()).toMatchObject({ checks: { database: true, queue: false } })
    } finally {
      // Close while Redis still answers: a Beacon whose Redis vanished a moment ago may not know yet
      // and wait on it when closing (seen on a busy machine as a 30 s hook timeout).
      for (const b of running.splice(0)) await b.close()
      await redis.stop()
    }
  })
})
