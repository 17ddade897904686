/**
 * The clock tests move in running processes (src/app/test-clock-file.ts): it follows its file, and
 * outside NODE_ENV=test Beacon refuses to start with it rather than run on a shifted clock.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { ConfigError } from '../../src/app/config.ts'
import { clockFromEnvironment } from '../../src/app/test-clock-file.ts'
import { systemClock } from '../../src/core/ports.ts'
import { runBeacon } from '../support/run-beacon.ts'

const DAY = 86_400_000

describe('BEACON_TEST_CLOCK_FILE', () => {
  const dir = mkdtempSync(join(tmpdir(), 'beacon-clock-test-'))
  const file = join(dir, 'offset')
  afterEach(() => rmSync(file, { force: true }))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('is the wall clock plus the offset in the file, read afresh each time', () => {
    const clock = clockFromEnvironment({ NODE_ENV: 'test', BEACON_TEST_CLOCK_FILE: file })
    expect(Math.abs(clock.now().getTime() - Date.now())).toBeLessThan(1000) // no file yet: no offset
    writeFileSync(file, String(3 * DAY))
    expect(Math.abs(clock.now().getTime() - (Date.now() + 3 * DAY))).toBeLessThan(1000)
    writeFileSync(file, 'three days')
    expect(() => clock.now()).toThrow(/BEACON_TEST_CLOCK_FILE: "three days" is not a whole number/)
  })

  it('is the system clock when unset, and a configuration error outside NODE_ENV=test', () => {
    expect(clockFromEnvironment({ NODE_ENV: 'test' })).toBe(systemClock)
    for (const NODE_ENV of ['production', undefined])
      expect(() => clockFromEnvironment({ NODE_ENV, BEACON_TEST_CLOCK_FILE: file })).toThrow(ConfigError)
  })

  it('stops a production process at start-up, naming the variable', { timeout: 60_000 }, async () => {
    const r = await runBeacon('main', {
      env: {
        NODE_ENV: 'production',
        BEACON_TEST_CLOCK_FILE: file,
        DATABASE_PATH: join(dir, 'beacon.db'),
        SLACK_SIGNING_SECRET: 's',
        SLACK_BOT_TOKEN: 'xoxb-1',
        PORT: '0',
      },
    })
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/BEACON_TEST_CLOCK_FILE: a test-only setting/)
  })
})
