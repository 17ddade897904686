/**
 * `beacon serve --role`: a web process takes chat traffic and runs no jobs; a worker runs jobs and
 * schedules and serves only health checks; both share one database. With PostgreSQL, jobs must be
 * on Redis, and start-up says so.
 */
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { composeBeacon, type Beacon, type Role } from '../../src/app/compose.ts'
import { ConfigError, loadConfig } from '../../src/app/config.ts'
import { silentLogger } from '../../src/core/logger.ts'
import { runBeacon, tempDataDir } from '../support/run-beacon.ts'
import { waitFor } from '../support/wait.ts'

const running: Beacon[] = []
afterEach(async () => {
  for (const b of running.splice(0)) await b.close()
})

async function start(role: Role, databasePath: string, env: Record<string, string> = {}): Promise<{ beacon: Beacon; base: string }> {
  const beacon = await composeBeacon(loadConfig({ DATABASE_PATH: databasePath, ...env }), { log: silentLogger, role })
  running.push(beacon)
  return { beacon, base: `http://127.0.0.1:${await beacon.listen(0, '127.0.0.1')}` }
}

const purge = { name: 'beacon.purge-processed-events', schema: z.object({ keepDays: z.number() }) }
const schedules = (b: Beacon) => (b.ctx.db.$client.prepare('select count(*) as n from job_schedules').get() as { n: number }).n

describe('serve --role', () => {
  it('web runs no job and sets up no schedule; a worker on the same database runs what web enqueued', { timeout: 60_000 }, async () => {
    const file = join(tempDataDir(), 'b.db')
    const web = await start('web', file, { TEAMS_ANONYMOUS: 'true' })
    const { processedEvents } = web.beacon.ctx.repos
    await processedEvents.claim('slack:T1', 'EvOld', new Date('2020-01-01'))
    // Enqueued on web, it stays waiting there: nothing in a web process takes jobs.
    const { id } = await web.beacon.ctx.queue.enqueue(purge, { keepDays: 7 })
    const status = () => (web.beacon.ctx.db.$client.prepare('select status from jobs where id = ?').get(id) as { status: string }).status
    expect(schedules(web.beacon)).toBe(0)
    // Web still takes chat traffic (anonymous Teams here answers, rather than 404).
    expect((await fetch(`${web.base}/api/messages`, { method: 'POST' })).status).not.toBe(404)
    expect(status()).toBe('waiting')

    const worker = await start('worker', file, { TEAMS_ANONYMOUS: 'true' })
    expect(schedules(worker.beacon)).toBeGreaterThan(0)
    expect((await fetch(`${worker.base}/healthz`)).status).toBe(200)
    expect((await fetch(`${worker.base}/readyz`)).status).toBe(200)
    expect((await fetch(`${worker.base}/api/messages`, { method: 'POST' })).status).toBe(404)
    expect((await fetch(`${worker.base}/slack/events`, { method: 'POST' })).status).toBe(404)
    await waitFor(() => status() === 'completed', 'the worker to run the job web enqueued', 10_000)
    expect(await processedEvents.claim('slack:T1', 'EvOld', new Date())).toBe(true) // purged by the worker
  })

  it('refuses PostgreSQL without Redis, naming REDIS_URL', { timeout: 60_000 }, async () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://beacon@127.0.0.1:5432/beacon', LOG_LEVEL: 'silent' })
    const err = await composeBeacon(config, { log: silentLogger }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ConfigError)
    expect((err as ConfigError).message).toMatch(/REDIS_URL: required with DATABASE_URL/)
    const cli = await runBeacon('cli', { args: ['serve', '--role', 'worker'], env: { DATABASE_URL: 'postgres://beacon@127.0.0.1:5432/beacon' } })
    expect(cli.code).toBe(2)
    expect(cli.stderr).toMatch(/REDIS_URL: required with DATABASE_URL/)
  })

  it('answers an unknown role with the usage, starting nothing', { timeout: 60_000 }, async () => {
    const cli = await runBeacon('cli', { args: ['serve', '--role', 'janitor'], env: { DATABASE_PATH: join(tempDataDir(), 'b.db') } })
    expect(cli.code).toBe(1)
    expect(cli.stderr).toMatch(/Usage: beacon serve \[--role web\|worker\|all\]/)
  })
})
