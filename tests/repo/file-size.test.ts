/**
 * "Small modules with one job": no source file under src/ or adapters/ grows past 300 lines. Read
 * from git's file list, so a new file is covered the moment it is added.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { expect, it } from 'vitest'

const MAX_LINES = 300

it(`keeps every .ts file under src/ and adapters/ within ${MAX_LINES} lines`, () => {
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', 'src/*.ts', 'adapters/*.ts'], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
  expect(files.length).toBeGreaterThan(100)
  const tooLong = files.map((f) => ({ file: f, lines: readFileSync(f, 'utf8').split('\n').length - 1 })).filter((f) => f.lines > MAX_LINES)
  expect(tooLong).toEqual([])
})
