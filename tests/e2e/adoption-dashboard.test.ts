/**
 * The adoption dashboard in a real browser: Debian's headless Chromium driven by playwright-core
 * loads GET /dashboard with a signed link on the composed app, the charts' SVG marks carry data, and
 * a screenshot is saved. Tampered and expired links get the 403 page; the CSV export downloads.
 */
import { existsSync, mkdtempSync, rmSync, statSync, copyFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { composeBeacon, type Beacon } from '../../src/app/compose.ts'
import { loadConfig } from '../../src/app/config.ts'
import { seedDemo } from '../../src/core/adoption/demo.ts'
import { signDashboardToken } from '../../src/core/adoption/index.ts'
import { deriveKey } from '../../src/app/keys.ts'
import { silentLogger } from '../../src/core/logger.ts'
import { SqliteActivityRepository } from '../../src/storage/repositories/adoption-activity.ts'
import { SqliteAdoptionSettingsRepository } from '../../src/storage/repositories/adoption-settings.ts'

const CHROMIUM = '/usr/bin/chromium'
const KEY_HEX = 'b'.repeat(64)
const WS = 'shell:local'
const haveChromium = existsSync(CHROMIUM)
// CI installs chromium (.ci/run); elsewhere the browser test is skipped rather than failing.
const describeBrowser = haveChromium || process.env.CI === 'true' ? describe : describe.skip

describeBrowser('adoption dashboard in headless Chromium', () => {
  let beacon: Beacon
  let browser: Browser
  let base: string
  let dir: string

  const link = (expiresInMs = 10 * 60_000) => {
    const key = deriveKey(Buffer.from(KEY_HEX, 'hex'), 'link-signing')
    const token = signDashboardToken(key, { workspace: WS, personId: 'alice', expiresAt: new Date(Date.now() + expiresInMs) })
    return `${base}/dashboard?token=${encodeURIComponent(token)}`
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'beacon-dashboard-'))
    beacon = await composeBeacon(
      loadConfig({ DATABASE_PATH: join(dir, 'beacon.db'), LOG_LEVEL: 'silent', PORT: '0', BEACON_ENCRYPTION_KEY: KEY_HEX, BEACON_ADMINS: 'alice' }),
      { log: silentLogger, withoutChatAdapters: true },
    )
    base = `http://127.0.0.1:${await beacon.listen(0)}`
    const { db, repos } = beacon.ctx
    await repos.workspaces.upsert({ id: WS, platform: 'shell', name: 'Demo Org' })
    await seedDemo({
      workspace: WS,
      activity: new SqliteActivityRepository(db),
      settings: new SqliteAdoptionSettingsRepository(db),
      people: repos.people,
      now: new Date(),
    })
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
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await beacon?.close()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('renders every shown team’s charts with data, and saves a screenshot', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    const res = await page.goto(link())
    expect(res?.status()).toBe(200)
    await expect(page.title()).resolves.toBe('Beacon adoption — Demo Org')
    const charts = await page.locator('svg.chart-active').count()
    expect(charts).toBe(6) // seven teams; "Finance Circle" is too small to show
    const points = await page.locator('svg.chart-active circle.point').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-value'))))
    expect(points.length).toBeGreaterThan(50)
    expect(points.every((v) => Number.isFinite(v) && v >= 5)).toBe(true)
    const bars = await page.locator('svg.chart-contributions rect.bar').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-value'))))
    expect(bars.some((v) => v > 100)).toBe(true)
    const box = await page.locator('svg.chart-active').first().boundingBox()
    expect(box!.width).toBeGreaterThan(300)
    await expect(page.locator('.diag').allTextContents()).resolves.toEqual(
      expect.arrayContaining([expect.stringMatching(/Decline after launch/), expect.stringMatching(/Silent leaders/)]),
    )
    await expect(page.locator('section.hidden[data-team="Finance Circle"]').textContent()).resolves.toMatch(/Not shown to protect privacy/)
    const png = join(dir, 'dashboard.png')
    await page.screenshot({ path: png, fullPage: true })
    if (process.env.BEACON_KEEP_SCREENSHOT) copyFileSync(png, process.env.BEACON_KEEP_SCREENSHOT)
    expect(statSync(png).size).toBeGreaterThan(20_000)
    await page.close()
  }, 60_000)

  it('refuses tampered and expired links with a 403 page', async () => {
    const good = new URL(link())
    const token = good.searchParams.get('token')!
    const tampered = `${base}/dashboard?token=${encodeURIComponent(`${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`)}`
    for (const u of [tampered, link(-1000), `${base}/dashboard`]) {
      const res = await fetch(u)
      expect(res.status).toBe(403)
      expect(await res.text()).toMatch(/This link can’t be used/)
    }
  })

  it('exports the same numbers as CSV', async () => {
    const res = await fetch(link().replace('/dashboard?', '/dashboard.csv?'))
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/text\/csv/)
    const lines = (await res.text()).trim().split('\n')
    expect(lines[0]).toMatch(/^team,week,week_start,shown,activePeople,/)
    expect(lines.filter((l) => l.startsWith('Finance Circle,')).every((l) => l.includes(',withheld,'))).toBe(true)
    expect(lines.length).toBe(1 + 7 * 12)
  })
})
