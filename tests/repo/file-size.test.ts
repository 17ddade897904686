/**
 * "Small modules with one job" and a line width the code keeps: no .ts/.mjs file under src/,
 * adapters/, tests/, bench/ or scripts/ grows past 300 lines, and no line past 150 columns (Biome's
 * lineWidth, biome.json). Read from git's file list, so a new file is covered the moment it is added.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { expect, it } from 'vitest'

const MAX_LINES = 300
const MAX_COLUMNS = 150
const PATTERNS = ['src', 'adapters', 'tests', 'bench', 'scripts'].flatMap((dir) => [`${dir}/*.ts`, `${dir}/*.mjs`])

const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', ...PATTERNS], { encoding: 'utf8' })
  .split('\n')
  .filter(Boolean)
const lines = (file: string) => readFileSync(file, 'utf8').split('\n').slice(0, -1)

it(`keeps every .ts/.mjs file under src/, adapters/, tests/, bench/ and scripts/ within ${MAX_LINES} lines`, () => {
  expect(files.length).toBeGreaterThan(400)
  const tooLong = files.map((file) => ({ file, lines: lines(file).length })).filter((f) => f.lines > MAX_LINES)
  expect(tooLong).toEqual([])
})

it(`keeps every line of those files within ${MAX_COLUMNS} columns`, () => {
  // Columns are characters (code points), as the formatter counts them: ’ or — is one column.
  const tooWide = files.flatMap((file) =>
    lines(file).flatMap((line, i) => ([...line].length > MAX_COLUMNS ? [`${file}:${i + 1} (${[...line].length})`] : [])),
  )
  expect(tooWide).toEqual([])
})
