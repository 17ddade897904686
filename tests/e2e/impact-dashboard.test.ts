/**
 * The dashboard's impact section in a real browser (Debian's headless Chromium through playwright-core,
 * as tests/e2e/adoption-dashboard.test.ts): the demo seed (adoption + impact) on the composed app,
 * an admin's signed link, every stage and the organisation overview on the page, and a screenshot.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { composeBeacon, type Beacon } from '../../src/app/compose.ts'
import { loadConfig } from '../../src/app/config.ts'
import { deriveKey } from '../../src/app/keys.ts'
import { seedDemo } from '../../src/core/adoption/demo.ts'
import { signDashboardToken } from '../../src/core/adoption/index.ts'
import { seedImpactDemo } from '../../src/core/impact/demo.ts'
import { silentLogger } from '../../src/core/logger.ts'
import { addDays, dayToDate, lastCompleteWeeks } from '../../src/core/time/iso-weeks.ts'

const CHROMIUM = '/usr/bin/chromium'
const KEY_HEX = 'd'.repeat(64)
const WS = 'shell:local'
const describeBrowser = existsSync(CHROMIUM) || process.env.CI === 'true' ? describe : describe.skip
/** A Wednesday: the demo's twelve weeks end the Sunday before. */
const NOW = new Date('2025-06-18T10:00:00.000Z')
const LEGAL = ['legal-1', 'legal-2']
/** The twelve weeks the dashboard shows, and the last three of them. */
const WEEKS = lastCompleteWeeks(NOW, 12)
const LAST_THREE = WEEKS.slice(-3)

describeBrowser('impact section of the dashboard in headless Chromium', () => {
  let beacon: Beacon
  let browser: Browser
  let base: string
  let dir: string

  const link = (person: string, path = '/dashboard') => {
    const key = deriveKey(Buffer.from(KEY_HEX, 'hex'), 'link-signing')
    const token = signDashboardToken(key, { workspace: WS, personId: person, expiresAt: new Date(NOW.getTime() + 10 * 60_000) })
    return `${base}${path}?token=${encodeURIComponent(token)}`
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'beacon-impact-dashboard-'))
    const config = loadConfig({
      DATABASE_PATH: join(dir, 'beacon.db'),
      LOG_LEVEL: 'silent',
      PORT: '0',
      BEACON_ENCRYPTION_KEY: KEY_HEX,
      BEACON_ADMINS: 'admin',
    })
    beacon = await composeBeacon(config, { log: silentLogger, withoutChatAdapters: true, clock: { now: () => NOW } })
    base = `http://127.0.0.1:${await beacon.listen(0)}`
    const { repos } = beacon.ctx
    await repos.workspaces.upsert({ id: WS, platform: 'shell', name: 'Demo Org' })
    await seedDemo({ workspace: WS, activity: repos.activity, settings: repos.adoptionSettings, people: repos.people, now: NOW })
    const first = await seedImpactDemo({ workspace: WS, impact: repos.impact, settings: repos.adoptionSettings, now: NOW })
    expect(first.events).toBeGreaterThan(1000)
    expect((await seedImpactDemo({ workspace: WS, impact: repos.impact, settings: repos.adoptionSettings, now: NOW })).events).toBe(0)
    // Beside the demo: two people of Legal, active in Operations' channel in the last three weeks only —
    // a department too small to show in those weeks.
    const ops = (await repos.adoptionSettings.teamByName(WS, 'Operations'))!
    await repos.adoptionSettings.addDepartments(LEGAL.map((personId) => ({ workspace: WS, personId, department: 'Legal' })))
    await repos.activity.recordMany(
      lastCompleteWeeks(NOW, 3).flatMap((monday) =>
        LEGAL.map((personId) => ({
          workspace: WS,
          conversationId: ops.channels[0]!,
          personId,
          kind: 'message' as const,
          at: new Date(dayToDate(addDays(monday, 1)).getTime() + 10 * 3_600_000),
        })),
      ),
    )
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    })
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await beacon?.close()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('shows every stage, the value figures and the organisation overview to an admin, and saves a screenshot', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    const res = await page.goto(link('admin'))
    expect(res?.status()).toBe(200)
    const stages = Object.fromEntries(
      await page
        .locator('[data-impact-team]')
        .evaluateAll((els) =>
          els.map((e) => [e.getAttribute('data-impact-team'), e.querySelector('[data-stage]')?.getAttribute('data-stage') ?? null]),
        ),
    )
    expect(stages).toMatchObject({ Operations: 'mature', Marketing: 'advanced', 'Customer Success': 'formalized', 'Launch Squad': 'experimental' })
    expect(stages.Organisation).toBeDefined()
    const ops = page.locator('[data-impact-team="Operations"]')
    await expect(ops.locator('[data-figure="answered"] td[data-value]').getAttribute('data-value')).resolves.toMatch(/^0\.\d+$|^1$/)
    await expect(ops.locator('.next').textContent()).resolves.toMatch(/To move up/)
    for (const f of [
      'items_opened',
      'helpful',
      'reused',
      'questions',
      'answer_time',
      'tasks',
      'on_time',
      'kudos_reach',
      'kudos_cross',
      'connections',
    ]) {
      expect(await ops.locator(`[data-figure="${f}"]`).count(), f).toBe(1)
    }
    const series = await page.locator('svg.chart-overview g[data-series]').evaluateAll((els) => els.map((e) => e.getAttribute('data-series')))
    expect(series).toHaveLength(6) // seven teams, "Finance Circle" too small to show
    expect(series).not.toContain('Finance Circle')
    // Each team its own colour, as drawn (the legend's key).
    const strokes = await page
      .locator('svg.chart-overview g[data-series] path')
      .evaluateAll((els) =>
        els.map((e) => (globalThis as unknown as { getComputedStyle(e: unknown): { stroke: string } }).getComputedStyle(e).stroke),
      )
    expect(new Set(strokes).size).toBe(6)
    // Departments over time, under all teams on one chart: every department of the organisation, a cell per week.
    const table = page.locator('figure.departments-over-time table.departments')
    await expect(table.isVisible()).resolves.toBe(true)
    const cells = await table.locator('tr[data-department]').evaluateAll((rows) =>
      rows.map((r) => ({
        department: r.getAttribute('data-department'),
        cells: [...r.querySelectorAll('td')].map((td) => ({
          week: td.getAttribute('data-week'),
          text: td.textContent,
          hidden: td.getAttribute('data-hidden') === 'true',
          // The style as the browser computed it (the test's tsconfig has no DOM types).
          background: (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundImage: string } }).getComputedStyle(td).backgroundImage,
        })),
      })),
    )
    expect(cells.map((r) => r.department)).toEqual(['Engineering', 'Finance', 'Legal', 'Marketing', 'Operations', 'People', 'Sales'])
    for (const r of cells) expect(r.cells.map((c) => c.week)).toEqual(WEEKS)
    const legal = cells.find((r) => r.department === 'Legal')!.cells
    // Two people: hidden in the weeks they were active (said as such, hatched), zero before.
    expect(legal.filter((c) => c.hidden).map((c) => c.week)).toEqual(LAST_THREE)
    expect(legal.filter((c) => c.hidden).every((c) => c.text === 'hidden' && c.background.includes('repeating-linear-gradient'))).toBe(true)
    expect(legal.filter((c) => !c.hidden).every((c) => c.text === '0')).toBe(true)
    // The week's cells add up to the organisation: another (the smallest) department is hidden with Legal, never Legal alone.
    for (const [i, week] of WEEKS.entries()) {
      const hidden = cells.filter((r) => r.cells[i]!.hidden).map((r) => r.department)
      if (LAST_THREE.includes(week)) expect(hidden, week).toEqual(expect.arrayContaining(['Legal']))
      expect(hidden, week).toHaveLength(LAST_THREE.includes(week) ? 2 : 0)
      for (const r of cells) if (!r.cells[i]!.hidden) expect(Number(r.cells[i]!.text) === 0 || Number(r.cells[i]!.text) >= 5).toBe(true)
    }
    const overviewBox = (await page.locator('svg.chart-overview').boundingBox())!
    const departmentsBox = (await table.boundingBox())!
    expect(departmentsBox.y).toBeGreaterThan(overviewBox.y + overviewBox.height - 1)
    expect(departmentsBox.width).toBeGreaterThan(600)
    const png = join(dir, 'impact.png')
    await page.locator('section.impact').screenshot({ path: png })
    if (process.env.BEACON_KEEP_SCREENSHOT) copyFileSync(png, process.env.BEACON_KEEP_SCREENSHOT)
    expect(statSync(png).size).toBeGreaterThan(20_000)
    await page.close()
  }, 60_000)

  it('a sponsor who is neither admin nor manager sees organisation totals only; an employee and a removed sponsor get a 403', async () => {
    const { repos } = beacon.ctx
    await repos.sponsors.add({ workspace: WS, personId: 'exec', addedBy: 'admin', addedAt: NOW })
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    expect((await page.goto(link('exec', '/dashboard/organisation')))?.status()).toBe(200)
    // The organisation card with its stage and figures, the teams per stage as counts, departments over time.
    const cards = await page.locator('[data-impact-team]').evaluateAll((els) => els.map((e) => e.getAttribute('data-impact-team')))
    expect(cards).toEqual(['Organisation'])
    await expect(page.locator('[data-impact-team="Organisation"] [data-stage]').count()).resolves.toBe(1)
    await expect(page.locator('[data-impact-team="Organisation"] [data-figure="questions"]').count()).resolves.toBe(1)
    const counts = Object.fromEntries(
      await page
        .locator('[data-stage-count]')
        .evaluateAll((els) => els.map((e) => [e.getAttribute('data-stage-count'), Number(e.querySelector('b')!.textContent)])),
    )
    expect(counts).toMatchObject({ mature: 1, advanced: 1 })
    expect(counts.experimental + counts.formalized + counts.mature + counts.advanced).toBe(6)
    await expect(page.locator('table.departments tr[data-department="Legal"] td[data-hidden]').count()).resolves.toBe(3)
    // No team's own figures: no team cards, no per-team chart, no team names.
    const text = await page.content()
    for (const team of ['Launch Squad', 'Engineering Guild', 'Customer Success', 'Data Platform', 'Finance Circle']) expect(text).not.toContain(team)
    await expect(page.locator('svg.chart-overview, [data-team]').count()).resolves.toBe(0)
    // `/dashboard` itself shows a sponsor who manages no team the same page.
    await page.goto(link('exec'))
    await expect(page.locator('[data-organisation-view]').count()).resolves.toBe(1)
    await page.close()

    // An employee is neither a sponsor nor a manager: refused on both pages.
    expect((await fetch(link('employee', '/dashboard/organisation'))).status).toBe(403)
    expect((await fetch(link('employee'))).status).toBe(403)
    // Removed, the sponsor's link stops working at once.
    await repos.sponsors.remove(WS, 'exec')
    const refused = await fetch(link('exec', '/dashboard/organisation'))
    expect(refused.status).toBe(403)
    expect(await refused.text()).toMatch(/no longer one/)
    expect((await fetch(link('exec'))).status).toBe(403)
    // Admins may open the organisation page too.
    expect((await fetch(link('admin', '/dashboard/organisation'))).status).toBe(200)
  }, 60_000)

  it('a manager sees only their teams’ impact and no organisation', async () => {
    const page = await browser.newPage()
    await page.goto(link('ops-lead'))
    const teams = await page.locator('[data-impact-team]').evaluateAll((els) => els.map((e) => e.getAttribute('data-impact-team')))
    expect(teams).toEqual(['Operations'])
    await page.close()
  }, 60_000)
})
