/**
 * The README's "Who sees what" table, cell by cell, through signed Slack requests and the dashboard
 * over HTTP. Each row's surface is matched to a probe; each cell's words say what that role must get
 * and the probe checks exactly that (and that nothing more leaks). A row or a cell wording the test
 * does not know fails the test, so the table and the code cannot drift apart.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  ADMIN,
  clock,
  EMPLOYEE,
  ENCRYPTION_KEY,
  GENERAL,
  LONER,
  MANAGER,
  NOW,
  PLATFORM,
  PRIVATE,
  RANDOM,
  seedPlatform,
  startWorld,
  weeklyCrowd,
  WS,
  type World,
} from './support.ts'
import { waitFor } from '../support/wait.ts'
import { signDashboardToken } from '../../src/core/adoption/dashboard-token.ts'
import { deriveKey } from '../../src/app/keys.ts'

interface Row {
  surface: string
  cells: Record<string, string>
}

/** The table under "## Who sees what": header row of roles, then one row per surface. */
function readTable(markdown: string): { roles: string[]; rows: Row[] } {
  const section = markdown.split(/^## Who sees what\s*$/m)[1]?.split(/^## /m)[0]
  if (!section) throw new Error('README.md has no "## Who sees what" section')
  const split = (line: string) =>
    line
      .trim()
      .replace(/^\||\|$/g, '')
      .split(/(?<!\\)\|/)
      .map((c) => c.trim().replace(/\\\|/g, '|'))
  const lines = section.split('\n').filter((l) => l.trim().startsWith('|'))
  const [header, , ...body] = lines
  const roles = split(header!).slice(1)
  return {
    roles,
    rows: body
      .map((l) => split(l))
      .map(([surface, ...cells]) => ({ surface: surface!, cells: Object.fromEntries(roles.map((r, i) => [r, cells[i] ?? ''])) })),
  }
}

const { roles, rows } = readTable(readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8'))
const PERSON: Record<string, string> = { admin: ADMIN, 'team manager': MANAGER, 'everyone else': EMPLOYEE }

let w: World
let seq = 1750300000

/** What a person sees of the two teams' figures: Platform is Max's, Sales is someone else's. */
function teamsIn(text: string): string[] {
  return ['Platform', 'Sales'].filter(
    (t) =>
      new RegExp(`${t}[^\\n]*?(Active people|week \\d|impact \\d{4}-W|,\\d{4}-W|chart)`, 's').test(text) ||
      new RegExp(`${t},\\d{4}-W\\d+`).test(text) ||
      text.includes(`data-team="${t}"`),
  )
}

const expectedTeams = (cell: string): string[] => {
  if (/^every team/.test(cell)) return ['Platform', 'Sales']
  if (/^own teams/.test(cell)) return ['Platform']
  if (cell === 'nothing') return []
  throw new Error(`unknown cell wording: "${cell}"`)
}

async function dashboard(who: string): Promise<string | undefined> {
  const reply = await w.say(who, 'dashboard')
  if (!/dashboard\?token=/.test(reply)) return undefined
  return w.dashboardLink(who)
}

type Probe = (who: string, cell: string) => Promise<void>

const PROBES: { match: RegExp; probe: Probe }[] = [
  {
    match: /^`\/kb` items saved from private/,
    probe: async (who, cell) => {
      expect(cell).toBe('from conversations they are in')
      const text = await w.say(who, 'merger spreadsheet', GENERAL, '/kb')
      const member = who === MANAGER // of #private: Max and Pia only
      if (member) expect(text).toMatch(/board folder|Where is the merger spreadsheet/i)
      else {
        expect(text).toMatch(/No saved knowledge matches/)
        expect(text).not.toMatch(/board folder|Where is the/i)
      }
    },
  },
  {
    match: /^`\/beacon stats`$/,
    probe: async (who, cell) => {
      const text = await w.say(who, 'stats')
      expect(teamsIn(text)).toEqual(expectedTeams(cell))
      if (cell === 'nothing') expect(text).toMatch(/beacon privacy/)
    },
  },
  {
    match: /^dashboard/,
    probe: async (who, cell) => {
      const link = await dashboard(who)
      if (cell === 'nothing') return void expect(link).toBeUndefined()
      const res = await fetch(link!)
      expect(res.status).toBe(200)
      expect(teamsIn(await res.text())).toEqual(expectedTeams(cell))
    },
  },
  {
    match: /^CSV export/,
    probe: async (who, cell) => {
      const link = await dashboard(who)
      if (cell === 'nothing') return void expect(link).toBeUndefined()
      const res = await fetch(link!.replace('/dashboard?', '/dashboard.csv?'))
      expect(res.status).toBe(200)
      expect(teamsIn(await res.text())).toEqual(expectedTeams(cell))
    },
  },
  {
    match: /^`\/beacon impact`$/,
    probe: async (who, cell) => {
      const text = await w.say(who, 'impact')
      expect(teamsIn(text)).toEqual(expectedTeams(cell))
      expect(/Organisation\*?\*? — impact/.test(text)).toBe(/and the organisation$/.test(cell))
      if (cell === 'nothing') expect(text).toMatch(/beacon privacy/)
    },
  },
  {
    match: /^`\/beacon sponsor add\|remove\|list`$/,
    probe: async (who, cell) => {
      const text = await w.say(who, `sponsor add <@${EMPLOYEE}>`)
      const added = (await w.h.ctx.repos.sponsors.list(WS)).some((s) => s.personId === EMPLOYEE)
      expect(added, `${who}: ${text}`).toBe(cell === 'yes')
      if (cell !== 'yes') expect(cell).toBe('no')
      if (added) expect(await w.say(who, `sponsor remove <@${EMPLOYEE}>`)).toMatch(/no longer gets/)
    },
  },
  {
    match: /^organisation page/,
    probe: async (who, cell) => {
      // The digest's link: signed for the sponsor, whoever they are, so sign one for anybody.
      const token = signDashboardToken(deriveKey(Buffer.from(ENCRYPTION_KEY, 'hex'), 'link-signing'), {
        workspace: WS,
        personId: who,
        expiresAt: new Date(clock.now().getTime() + 600_000),
      })
      const open = () => fetch(`${w.h.url}/dashboard/organisation?token=${encodeURIComponent(token)}`)
      const organisationOnly = async (res: Response) => {
        expect(res.status).toBe(200)
        const html = await res.text()
        expect(html).toMatch(/data-impact-team="Organisation"/)
        expect(teamsIn(html)).toEqual([])
      }
      if (cell === 'the organisation') return organisationOnly(await open())
      expect(cell).toBe('the organisation if a sponsor')
      expect((await open()).status).toBe(403)
      await w.h.ctx.repos.sponsors.add({ workspace: WS, personId: who, addedBy: ADMIN, addedAt: clock.now() })
      try {
        await organisationOnly(await open())
      } finally {
        await w.h.ctx.repos.sponsors.remove(WS, who)
      }
      expect((await open()).status).toBe(403)
    },
  },
  {
    match: /^`\/beacon team create`$/,
    probe: async (who, cell) => {
      const name = `Probe${++seq}`
      const text = await w.say(who, `team create ${name}`, RANDOM)
      const made = await w.teams.teamByName(WS, name)
      if (cell === 'yes') {
        expect(text).toMatch(/Created team/)
        await w.teams.deleteTeam(made!.id)
      } else {
        expect(cell).toBe('no')
        expect(made).toBeUndefined()
      }
    },
  },
  {
    match: /^`\/beacon team add-channel`/,
    probe: async (who, cell) => {
      const allowed = expectedTeams(cell)
      for (const team of ['Platform', 'Sales']) {
        const text = await w.say(who, `team add-channel ${team} <#${GENERAL}|general>`)
        const has = (await w.teams.teamByName(WS, team))!.channels.includes(GENERAL)
        expect(has, `${who} adding #general to ${team}: ${text}`).toBe(allowed.includes(team))
        if (has) await w.say(ADMIN, `team remove-channel ${team} <#${GENERAL}|general>`)
        const goal = await w.say(who, `goal active 7 ${team}`)
        expect(/Objective set/.test(goal), `${who} setting a goal for ${team}: ${goal}`).toBe(allowed.includes(team))
      }
    },
  },
  {
    match: /^`\/kudos digest on\|off` in a channel$/,
    probe: async (who, cell) => {
      const expected: Record<string, string[]> = { 'any channel': [GENERAL, PLATFORM], 'channels of own teams': [PLATFORM], nothing: [] }
      if (!(cell in expected)) throw new Error(`unknown cell wording: "${cell}"`)
      for (const channel of [GENERAL, PLATFORM]) {
        const text = await w.say(who, 'digest on', channel, '/kudos')
        expect(/digest is on/.test(text), `${who} in ${channel}: ${text}`).toBe(expected[cell]!.includes(channel))
        await w.say(ADMIN, 'digest off', channel, '/kudos')
      }
    },
  },
  {
    match: /^`\/kudos top` and the weekly digest$/,
    probe: async (who, cell) => {
      expect(cell).toBe('public kudos + kudos given where shown')
      const pub = await w.say(who, 'top', GENERAL, '/kudos')
      expect(pub).toMatch(/Emil Employee/)
      expect(pub).not.toMatch(/Pia Private/)
      if (who === MANAGER) expect(await w.say(who, 'top', PRIVATE, '/kudos')).toMatch(/Pia Private/)
    },
  },
  {
    match: /^`\/beacon privacy`/,
    probe: async (who, cell) => {
      expect(cell).toBe('own')
      const text = await w.say(who, 'privacy')
      expect(text).toMatch(/You are counted/)
      expect(text).not.toMatch(/Platform|Sales|Pia|Emil|Max/)
    },
  },
]

describe('README “Who sees what”, row by row', () => {
  beforeAll(async () => {
    w = await startWorld()
    await seedPlatform(w)
    await w.teams.syncTeam(WS, 'Sales', [RANDOM], ['USALESBOSS'], new Date(NOW))
    await w.activity.recordMany(weeklyCrowd(RANDOM, 'sales', 9))
    // A thread saved from #private by Max.
    const root = '1750200000.000100'
    w.h.fake.addMessage(PRIVATE, { ts: root, user: LONER, text: 'Where is the merger spreadsheet?' })
    w.h.fake.addMessage(PRIVATE, {
      ts: '1750200001.000100',
      thread_ts: root,
      user: MANAGER,
      text: 'Q3 numbers: the merger spreadsheet is in the board folder',
    })
    await w.slack.event({
      type: 'reaction_added',
      user: MANAGER,
      reaction: 'bookmark',
      item_user: LONER,
      item: { type: 'message', channel: PRIVATE, ts: root },
      event_ts: `${seq}.1`,
    })
    await waitFor(() => w.h.ctx.db.$client.prepare('select 1 from knowledge_items').get(), 'the saved #private thread', 10_000)
    // A public kudos and a private one.
    expect(await w.say(MANAGER, `<@${EMPLOYEE}> for the onboarding guide`, GENERAL, '/kudos')).toMatch(/gave kudos/)
    expect(await w.say(MANAGER, `<@${LONER}> for the merger model`, PRIVATE, '/kudos')).toMatch(/gave kudos/)
  })
  afterAll(async () => w?.close())

  it('has the three roles, and a probe for every row', () => {
    expect(roles).toEqual(['admin', 'team manager', 'everyone else'])
    expect(rows.length).toBeGreaterThanOrEqual(9)
    for (const r of rows)
      expect(
        PROBES.some((p) => p.match.test(r.surface)),
        `no probe for README row "${r.surface}"`,
      ).toBe(true)
  })

  for (const row of rows) {
    for (const role of roles) {
      it(`${row.surface} × ${role}: ${row.cells[role]}`, async () => {
        const probe = PROBES.find((p) => p.match.test(row.surface))
        expect(probe, `no probe for "${row.surface}"`).toBeDefined()
        await probe!.probe(PERSON[role]!, row.cells[role]!)
      })
    }
  }
})
