/**
 * A clock tests can move inside a running Beacon process (the scale-out proof sends tasks "in 3
 * days" and then makes those days pass in every web and worker process at once).
 *
 * `BEACON_TEST_CLOCK_FILE` names a file holding one integer: milliseconds added to the wall clock
 * (missing file: 0). The file is read on every `now()`, so a test moves time for all processes by
 * rewriting it. The variable is honoured only with NODE_ENV=test; anywhere else Beacon refuses to
 * start, so a stray copy in a production environment is a loud start-up error, never a shifted clock.
 */
import { readFileSync } from 'node:fs'
import { BeaconError } from '../core/errors.ts'
import { systemClock, type Clock } from '../core/ports.ts'
import { ConfigError } from './config.ts'

const OFFSET = /^-?\d{1,15}$/

export function clockFromEnvironment(env: Record<string, string | undefined>): Clock {
  const file = env.BEACON_TEST_CLOCK_FILE
  if (!file) return systemClock
  if (env.NODE_ENV !== 'test') throw new ConfigError(['BEACON_TEST_CLOCK_FILE: a test-only setting (honoured only with NODE_ENV=test); unset it'])
  return { now: () => new Date(Date.now() + readOffset(file)) }
}

function readOffset(file: string): number {
  let text: string
  try {
    text = readFileSync(file, 'utf8').trim()
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0
    throw err
  }
  if (!OFFSET.test(text))
    throw new BeaconError('config_invalid', `BEACON_TEST_CLOCK_FILE: "${text.slice(0, 40)}" is not a whole number of milliseconds`)
  return Number(text)
}
