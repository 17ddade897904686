import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { freePort } from '../support/redis.ts'
import { runBeacon, startBeacon, tempDataDir } from '../support/run-beacon.ts'

// Each test starts real processes; on a busy machine each start can take seconds, so the time limit is generous.
describe('npm start', { timeout: 90_000 }, () => {
  it('opens the local shell on SQLite with no Redis and no credentials, and help answers', async () => {
    const dir = tempDataDir()
    const r = await runBeacon('main', { env: { DATABASE_PATH: join(dir, 'beacon.db') }, stdin: '/help\nhello team\n/beacon help\n' })
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('Beacon keeps your team’s answers')
    expect(r.stdout).toContain('/beacon')
    expect(r.stdout).toMatch(/\[#general\] Alice #1: hello team/)
  })

  it('refuses a bad configuration with one clear message naming each problem, exit code 2', async () => {
    const r = await runBeacon('main', { env: { PORT: 'eighty', SLACK_SIGNING_SECRET: 'x', REDIS_URL: 'localhost' } })
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).toContain('Beacon cannot start')
    expect(r.stderr).toMatch(/PORT/)
    expect(r.stderr).toMatch(/REDIS_URL/)
    expect(r.stderr).toMatch(/\.env\.example/)
  })
})

describe('beacon CLI', { timeout: 90_000 }, () => {
  it('migrates a new database and says so', async () => {
    const dir = tempDataDir()
    const r = await runBeacon('cli', { args: ['migrate'], env: { DATABASE_PATH: join(dir, 'x', 'b.db') } })
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('is up to date')
  })

  it('explains unknown commands and jobs', async () => {
    const r = await runBeacon('cli', { args: ['frobnicate'] })
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('Unknown command "frobnicate"')
    const j = await runBeacon('cli', { args: ['jobs', 'run', 'no-such-job'], env: { DATABASE_PATH: join(tempDataDir(), 'b.db') } })
    expect(j.code).toBe(1)
    expect(j.stderr).toContain('No job named "no-such-job"')
  })
})

describe('npm start with the demo organisation', () => {
  it('answers /beacon stats in the shell, and the dashboard link it hands out opens while the shell runs', { timeout: 120_000 }, async () => {
    const env = { DATABASE_PATH: join(tempDataDir(), 'b.db'), PORT: String(await freePort()) }
    const seeded = await runBeacon('cli', { args: ['demo', 'seed'], env })
    expect(seeded.stdout).toMatch(/Seeded \d+ people in \d+ teams/)
    const shell = startBeacon('main', { env, stdin: 'pipe', ready: /\[Open dashboard: (http:\/\/\S+?)\]/ })
    shell.child.stdin!.write('/beacon stats\n/beacon dashboard\n')
    const [, link] = await shell.ready
    expect(shell.output().stdout).toContain('Decline after launch')
    const page = await fetch(link!)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('<svg')
    shell.child.stdin!.end()
    expect((await shell.exited).code).toBe(0)
  })
})

describe('beacon serve', () => {
  it('serves health checks and exits cleanly on SIGTERM', async () => {
    const dir = tempDataDir()
    const p = startBeacon('cli', { args: ['serve'], env: { PORT: '0', DATABASE_PATH: join(dir, 'b.db') }, ready: /listening on :(\d+)/ })
    const [, port] = await p.ready
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200)
    p.child.kill('SIGTERM')
    const r = await p.exited
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('"msg":"stopped"')
  })
})
