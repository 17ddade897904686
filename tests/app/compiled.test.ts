/**
 * Production runs compiled JavaScript: `npm ci` builds dist/ (the `prepare` script), `npm start` and
 * the `beacon` bin run it with plain node, so no TypeScript compiler loads at run time. The rest of
 * the suite spawns the sources through tsx (what is in the tree, no build needed); this file builds
 * once, as `prepare` does, and runs what that produced.
 */
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FakeSlackApi } from '../support/fake-slack-api.ts'
import { buildBeacon, runBeacon, startBeacon, tempDataDir } from '../support/run-beacon.ts'

const ROOT = join(import.meta.dirname, '../..')
let out = ''
const fake = new FakeSlackApi()

beforeAll(async () => {
  await fake.start()
  out = buildBeacon()
}, 180_000)
afterAll(async () => {
  rmSync(out, { recursive: true, force: true })
  await fake.stop()
})

describe('the compiled build', () => {
  it('is what npm start, npm ci and the beacon bin use', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
    // Plain node on the compiled entry; only V8 memory flags in between (bench/start-flags.ts).
    expect(pkg.scripts.start).toMatch(/^node (--[a-z-]+=\d+ )*dist\/src\/app\/main\.js$/)
    expect(pkg.scripts.prepare).toBe('npm run build')
    expect(pkg.scripts.build).toBe('node scripts/build.mjs')
    expect(readFileSync(join(ROOT, 'bin/beacon.mjs'), 'utf8')).toContain("'../dist/src/app/cli.js'")
  })

  it('opens the local shell with plain node on a new database (migrations found beside the compiled code)', async () => {
    const r = await runBeacon('main', { compiled: out, env: { DATABASE_PATH: join(tempDataDir(), 'beacon.db') }, stdin: '/help\nhello team\n' })
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('Beacon keeps your team’s answers')
    expect(r.stdout).toMatch(/\[#general\] Alice #1: hello team/)
  })

  it('migrates with the compiled CLI, and serves Slack over HTTP', async () => {
    const env = { DATABASE_PATH: join(tempDataDir(), 'b.db'), PORT: '0' }
    const m = await runBeacon('cli', { compiled: out, args: ['migrate'], env })
    expect(m.code).toBe(0)
    expect(m.stdout).toContain('is up to date')
    const p = startBeacon('main', {
      compiled: out,
      env: { ...env, SLACK_SIGNING_SECRET: 's3cret', SLACK_BOT_TOKEN: 'xoxb-test', SLACK_API_URL: fake.apiUrl },
      ready: /listening on :(\d+)/,
    })
    const [, port] = await p.ready
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200)
    p.child.kill('SIGTERM')
    expect((await p.exited).code).toBe(0)
  })
})
