/** The teams and departments files as an admin writes them: YAML through `yaml`, CSV through `csv-parse`. */
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { parseDepartmentsFile, parseTeamsFile } from '../../../src/core/adoption/config-files.ts'
import { BeaconError } from '../../../src/core/errors.ts'

const invalid = (f: () => unknown) => {
  try {
    f()
  } catch (e) {
    expect(e).toBeInstanceOf(BeaconError)
    expect((e as BeaconError).code).toBe('config_invalid')
    return (e as BeaconError).message
  }
  throw new Error('expected config_invalid')
}

// First in the file (each test file runs in a fresh process): nothing has read a file yet.
it('loads the YAML and CSV parsers only once a file is read (yaml alone is ~9 MiB of the serving process)', () => {
  const cache = createRequire(import.meta.url).cache
  const loaded = (pkg: string) => Object.keys(cache).some((k) => k.includes(`/node_modules/${pkg}/`))
  expect([loaded('yaml'), loaded('csv-parse')]).toEqual([false, false])
  parseTeamsFile('workspace: slack:T1\nteams: []\n')
  expect([loaded('yaml'), loaded('csv-parse')]).toEqual([true, false])
  parseDepartmentsFile('person,department\nU1,Sales\n', 'people.csv')
  expect(loaded('csv-parse')).toBe(true)
})

describe('teams file (YAML)', () => {
  it('reads teams with block and flow lists, comments and a shared workspace', () => {
    const src = [
      'workspace: slack:T1   # every team below unless it says otherwise',
      'teams:',
      '  - name: "Support: EMEA"',
      '    channels: [C1, C2]',
      '    managers:',
      '      - U1',
      '  - name: Sales',
      '    workspace: teams:tenant-9',
      '    channels: [slack:T2/C9]',
    ].join('\n')
    expect(parseTeamsFile(src)).toEqual([
      { workspace: 'slack:T1', name: 'Support: EMEA', channels: ['C1', 'C2'], managers: ['U1'] },
      { workspace: 'teams:tenant-9', name: 'Sales', channels: ['slack:T2/C9'], managers: [] },
    ])
  })

  it('keeps ids that look like numbers or booleans as written', () => {
    const t = parseTeamsFile('workspace: slack:T1\nteams:\n  - name: 2024\n    channels: [0123, no, true]\n')
    expect(t[0]).toMatchObject({ name: '2024', channels: ['0123', 'no', 'true'] })
  })

  it('names the line of a syntax error, and refuses duplicate keys', () => {
    expect(invalid(() => parseTeamsFile('teams:\n  - name: [Sales\n', 'teams.yml'))).toMatch(/^teams\.yml: .*line \d+/)
    expect(invalid(() => parseTeamsFile('workspace: a\nworkspace: b\nteams: []\n'))).toMatch(/unique/)
  })

  it('says which team lacks a workspace', () => {
    expect(invalid(() => parseTeamsFile('teams:\n  - name: Ops\n'))).toMatch(/teams\.0 \(Ops\) needs a workspace/)
  })
})

describe('departments file', () => {
  it('reads CSV with quoted commas, a BOM, comments and an optional workspace column', () => {
    const src = '\uFEFFperson,department,workspace\n# contractors below\nU1,"Research, Lab",slack:T1\n\nU2,Sales,\n'
    expect(parseDepartmentsFile(src, 'people.csv')).toEqual([
      { workspace: 'slack:T1', personId: 'U1', department: 'Research, Lab' },
      { workspace: '*', personId: 'U2', department: 'Sales' },
    ])
  })

  it('refuses a CSV without the header or with an empty cell, naming the row', () => {
    expect(invalid(() => parseDepartmentsFile('U1,Sales\n', 'people.csv'))).toMatch(/first line must name the columns/)
    expect(invalid(() => parseDepartmentsFile('person,department\nU1,\n', 'people.csv'))).toMatch(/row 2 needs a person and a department/)
    expect(invalid(() => parseDepartmentsFile('person,department\n"U1,Sales\n', 'people.csv'))).toMatch(/^people\.csv: /)
  })

  it('reads YAML person: department, and per-workspace mappings', () => {
    const src = 'U1: Sales\nslack:T1:\n  U2: "R&D"\n  U3: no\n'
    expect(parseDepartmentsFile(src, 'people.yaml')).toEqual([
      { workspace: '*', personId: 'U1', department: 'Sales' },
      { workspace: 'slack:T1', personId: 'U2', department: 'R&D' },
      { workspace: 'slack:T1', personId: 'U3', department: 'no' },
    ])
  })

  it('refuses a person without a department', () => {
    expect(invalid(() => parseDepartmentsFile('U1:\n', 'people.yml'))).toMatch(/U1 must be a department name/)
    expect(invalid(() => parseDepartmentsFile('- U1\n', 'people.yml'))).toMatch(/expected "person: department" lines/)
  })
})
