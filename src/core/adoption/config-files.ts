/**
 * The two optional files read at start-up: teams (ADOPTION_TEAMS_FILE, YAML) and departments
 * (DEPARTMENTS_FILE, CSV or YAML, person → department). Parsing is here, reading the file is the
 * composition root's job; a bad file is a BeaconError naming what is wrong.
 */
import { createRequire } from 'node:module'
import { z } from 'zod'
import { BeaconError } from '../errors.ts'
import { workspaceIdSchema } from '../schemas.ts'

const id = z.string().trim().min(1).max(200)
const teamSchema = z.object({
  name: z.string().trim().min(1).max(80),
  workspace: workspaceIdSchema.optional(),
  channels: z.array(id).default([]),
  managers: z.array(id).default([]),
})
const teamsFileSchema = z.object({
  workspace: workspaceIdSchema.optional(),
  teams: z.array(teamSchema),
})

// Loaded on first use, not at start-up: `yaml` alone adds ~9 MiB to the serving process's RSS, and
// most installations set neither file (issue 16's idle-memory goal).
const load = createRequire(import.meta.url)
const parseYamlText = (src: string) => (load('yaml') as typeof import('yaml')).parse(src, { schema: 'failsafe' }) as unknown
const parseCsvText = (src: string) =>
  (load('csv-parse/sync') as typeof import('csv-parse/sync')).parse(src, {
    trim: true,
    skip_empty_lines: true,
    comment: '#',
    relax_column_count: true,
    bom: true,
  }) as string[][]

export interface TeamSpec {
  workspace: string
  name: string
  channels: string[]
  managers: string[]
}

/**
 * The failsafe schema reads every scalar as a string, so a person id like `0123` or a department
 * called `no` stays what was written instead of becoming a number or a boolean.
 */
function yaml(src: string, file: string): unknown {
  try {
    return parseYamlText(src)
  } catch (e) {
    throw new BeaconError('config_invalid', `${file}: ${firstLine(e)}`, { cause: e })
  }
}

/** The libraries' messages end with a code frame of the file; a reply needs only what and where. */
const firstLine = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0]!.trim()

export function parseTeamsFile(src: string, file = 'teams file'): TeamSpec[] {
  const parsed = teamsFileSchema.safeParse(yaml(src, file))
  if (!parsed.success) {
    throw new BeaconError('config_invalid', `${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`)
  }
  return parsed.data.teams.map((t, i) => {
    const workspace = t.workspace ?? parsed.data.workspace
    if (!workspace) throw new BeaconError('config_invalid', `${file}: teams.${i} (${t.name}) needs a workspace (or set one at the top)`)
    return { workspace, name: t.name, channels: t.channels, managers: t.managers }
  })
}

export interface DepartmentRow {
  workspace: string
  personId: string
  department: string
}

/** CSV with a header naming `person` and `department` (and optionally `workspace`), or YAML person: department. */
export function parseDepartmentsFile(src: string, file = 'departments file'): DepartmentRow[] {
  const isCsv = /\.csv$/i.test(file) || (!/\.ya?ml$/i.test(file) && /^[^:\n]*,/.test(src.trimStart()))
  return isCsv ? parseCsv(src, file) : parseDepartmentsYaml(src, file)
}

function parseCsv(src: string, file: string): DepartmentRow[] {
  let rows: string[][]
  try {
    rows = parseCsvText(src)
  } catch (e) {
    throw new BeaconError('config_invalid', `${file}: ${firstLine(e)}`, { cause: e })
  }
  const header = (rows[0] ?? []).map((h) => h.toLowerCase())
  const person = header.indexOf('person')
  const dept = header.indexOf('department')
  const ws = header.indexOf('workspace')
  if (person < 0 || dept < 0) throw new BeaconError('config_invalid', `${file}: the first line must name the columns, e.g. "person,department"`)
  return rows.slice(1).map((c, i) => {
    const row = { workspace: ws >= 0 && c[ws] ? c[ws] : '*', personId: c[person] ?? '', department: c[dept] ?? '' }
    if (!row.personId || !row.department) throw new BeaconError('config_invalid', `${file}: row ${i + 2} needs a person and a department`)
    return row
  })
}

function parseDepartmentsYaml(src: string, file: string): DepartmentRow[] {
  const v = yaml(src, file)
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new BeaconError('config_invalid', `${file}: expected "person: department" lines`)
  const out: DepartmentRow[] = []
  for (const [k, val] of Object.entries(v)) {
    if (typeof val === 'string' && val.trim()) out.push({ workspace: '*', personId: k, department: val })
    else if (typeof val === 'object' && val !== null && !Array.isArray(val)) {
      // A nested mapping is one workspace's people: "slack:T1: { U1: Sales }".
      for (const [p, d] of Object.entries(val)) {
        if (typeof d !== 'string' || !d.trim()) throw new BeaconError('config_invalid', `${file}: ${k}.${p} must be a department name`)
        out.push({ workspace: k, personId: p, department: d })
      }
    } else throw new BeaconError('config_invalid', `${file}: ${k} must be a department name`)
  }
  return out
}
