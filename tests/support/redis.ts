/**
 * A Redis for tests. Uses REDIS_URL when set; otherwise starts a throwaway `redis-server` (no
 * persistence) on a free port, shared by every caller in this test process. Each call gets its own
 * key prefix, and `stop()` deletes every key under it, so runs sharing a Redis never see each
 * other's data.
 *
 * Without any Redis the tests skip (use `describeWithRedis` / `redisSkipReason()`), except under
 * CI=true, where a missing Redis is an error: CI must never pass by skipping.
 *
 *   const describeRedis = describeWithRedis()
 *   describeRedis('thing on redis', () => {
 *     let redis: TestRedis
 *     beforeAll(async () => { redis = await getTestRedis() })
 *     afterAll(() => redis.stop())
 *   })
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:net'
import { Redis } from 'ioredis'
import { describe } from 'vitest'

export interface TestRedis {
  url: string
  /** Unique to this call; put it in front of every key (BullMQ `prefix`, key names). */
  prefix: string
  /** Deletes the prefix's keys, and stops the throwaway server once its last user is done. */
  stop(): Promise<void>
}

const isCi = () => process.env.CI === 'true' || process.env.CI === '1'

function hasRedisServer(): boolean {
  const r = spawnSync('redis-server', ['--version'], { stdio: 'ignore' })
  return r.error === undefined && r.status === 0
}

/** Why Redis tests cannot run here, or undefined when they can (always undefined under CI, so they fail instead). */
export function redisSkipReason(): string | undefined {
  if (process.env.REDIS_URL || isCi() || hasRedisServer()) return undefined
  return 'no REDIS_URL and no redis-server on the PATH'
}

/** `describe`, or `describe.skip` when there is no Redis to be had outside CI. */
export function describeWithRedis(): typeof describe | typeof describe.skip {
  return redisSkipReason() === undefined ? describe : describe.skip
}

interface Server {
  url: string
  child: ChildProcess | undefined
  users: number
}
let server: Promise<Server> | undefined

export async function getTestRedis(): Promise<TestRedis> {
  server ??= startServer()
  let s: Server
  try {
    s = await server
  } catch (e) {
    server = undefined
    throw e
  }
  s.users++
  const prefix = `beacon-test-${process.pid}-${randomBytes(4).toString('hex')}`
  let stopped = false
  return {
    url: s.url,
    prefix,
    async stop() {
      if (stopped) return
      stopped = true
      await deleteKeys(s.url, `${prefix}*`)
      s.users--
      if (s.users === 0 && s.child) {
        server = undefined
        await killAndWait(s.child)
      }
    },
  }
}

async function startServer(): Promise<Server> {
  const fromEnv = process.env.REDIS_URL
  if (fromEnv) {
    if (!(await answers(fromEnv, 2000))) throw new Error(`REDIS_URL=${fromEnv} does not answer PING`)
    return { url: fromEnv, child: undefined, users: 0 }
  }
  if (!hasRedisServer()) {
    throw new Error('Redis tests need REDIS_URL or redis-server on the PATH (CI=true turns this skip into a failure)')
  }
  const port = await freePort()
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  })
  // A test process that dies without calling stop() must not leave a server behind.
  const killOnExit = () => child.kill('SIGKILL')
  process.once('exit', killOnExit)
  child.once('exit', () => process.off('exit', killOnExit))
  const url = `redis://127.0.0.1:${port}`
  const deadline = Date.now() + 10_000
  while (!(await answers(url, 500))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`redis-server on port ${port} did not start`)
    }
    await new Promise((r) => setTimeout(r, 50))
  }
  return { url, child, users: 0 }
}

/** True when a Redis at `url` answers PING within `timeoutMs`; never retries or throws. */
export async function answers(url: string, timeoutMs: number): Promise<boolean> {
  const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: timeoutMs, retryStrategy: () => null })
  r.on('error', () => {})
  try {
    await r.connect()
    return (await r.ping()) === 'PONG'
  } catch {
    return false
  } finally {
    r.disconnect()
  }
}

async function deleteKeys(url: string, pattern: string): Promise<void> {
  const r = new Redis(url, { maxRetriesPerRequest: 1 })
  r.on('error', () => {})
  try {
    let cursor = '0'
    do {
      const [next, keys] = await r.scan(cursor, 'MATCH', pattern, 'COUNT', 500)
      if (keys.length > 0) await r.unlink(...keys)
      cursor = next
    } while (cursor !== '0')
  } finally {
    await r.quit().catch(() => r.disconnect())
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address()
      const port = typeof addr === 'object' && addr ? addr.port : 0
      srv.close(() => resolve(port))
    })
  })
}

function killAndWait(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })
}
