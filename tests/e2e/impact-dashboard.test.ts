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

const CHROMIUM = '/usr/bin/chromium'
const KEY_HEX = 'd'.repeat(64)
const WS = 'shell:local'
const describeBrowser = existsSync(CHROMIUM) || process.env.CI === 'true' ? describe : describe.skip
/** A Wednesday: the demo's twelve weeks end the Sunday before. */
const NOW = new Date('2025-06-18T10:00:00.000Z')

describeBrowser('impact section of the dashboard in headless Chromium', () => {
  let beacon: Beacon
  let browser: Browser
  let base: string
  let dir: string

  const link = (person: string) => {
    const key = deriveKey(Buffer.from(KEY_HEX, 'hex'), 'link-signing')
    const token = signDashboardToken(key, { workspace: WS, personId: person, expiresAt: new Date(NOW.getTime() + 10 * 60_000) })
    return `${base}/dashboard?token=${encodeURIComponent(token)}`
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
    const png = join(dir, 'impact.png')
    await page.locator('section.impact').screenshot({ path: png })
    if (process.env.BEACON_KEEP_SCREENSHOT) copyFileSync(png, process.env.BEACON_KEEP_SCREENSHOT)
    expect(statSync(png).size).toBeGreaterThan(20_000)
    await page.close()
  }, 60_000)

  it('a manager sees only their teams’ impact and no organisation', async () => {
    const page = await browser.newPage()
    await page.goto(link('ops-lead'))
    const teams = await page.locator('[data-impact-team]').evaluateAll((els) => els.map((e) => e.getAttribute('data-impact-team')))
    expect(teams).toEqual(['Operations'])
    await page.close()
  }, 60_000)
})
