/**
 * Who sees adoption figures, tried through signed Slack requests: an employee gets only their own
 * privacy settings, a manager only their teams, admins (Slack admin, Slack owner, BEACON_ADMINS by
 * email) every team; the dashboard link is bound to the person and re-checked when opened, so a
 * manager removed since gets a 403 page, for the CSV export too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  advance,
  ADMIN,
  BEA,
  EMPLOYEE,
  EVE,
  MANAGER,
  OWNER,
  RANDOM,
  seedPlatform,
  shownFigures,
  startWorld,
  weeklyCrowd,
  WS,
  NOW,
  type World,
} from './support.ts'

describe('adoption figures are scoped to the viewer', () => {
  let w: World

  beforeAll(async () => {
    w = await startWorld()
    await seedPlatform(w)
    // A second team Max does not manage.
    await w.teams.syncTeam(WS, 'Sales', [RANDOM], ['USALESBOSS'], new Date(NOW))
    await w.activity.recordMany(weeklyCrowd(RANDOM, 'sales', 9))
  })
  afterAll(async () => w?.close())

  it('an employee asking for stats gets a friendly answer and their own privacy settings, no team and no number', async () => {
    for (const who of [EMPLOYEE, EVE]) {
      const text = await w.say(who, 'stats')
      expect(text).toMatch(/for team managers and workspace admins/)
      expect(text).toMatch(/beacon privacy/)
      expect(text).not.toMatch(/Platform|Sales|Active people/)
      const named = await w.say(who, 'stats Platform')
      expect(named).not.toMatch(/Active people/)
    }
    expect(await w.say(EMPLOYEE, 'privacy')).toMatch(/You are counted/)
  })

  it('an employee gets no dashboard link', async () => {
    const text = await w.say(EVE, 'dashboard')
    expect(text).not.toMatch(/dashboard\?token=/)
    expect(text).toMatch(/for team managers and workspace admins/)
  })

  it('a manager sees their own team and not the others', async () => {
    const text = await w.say(MANAGER, 'stats')
    expect(shownFigures(text, 'Platform')).toEqual({ active: 8, contributions: 24 })
    expect(text).not.toMatch(/Sales/)
    expect(await w.say(MANAGER, 'stats Sales')).toMatch(/no team called “Sales” among the teams you can see/)
  })

  it('Slack admins, owners and BEACON_ADMINS (by email) see every team', async () => {
    for (const who of [ADMIN, OWNER, BEA]) {
      const text = await w.say(who, 'stats')
      expect(shownFigures(text, 'Platform'), who).toEqual({ active: 8, contributions: 24 })
      expect(shownFigures(text, 'Sales'), who).toEqual({ active: 9, contributions: 27 })
    }
  })

  it('the dashboard link is bound to the manager and stops working once they no longer manage a team', async () => {
    const link = await w.dashboardLink(MANAGER)
    const page = await fetch(link)
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain('Platform')
    expect(html).not.toContain('Sales')
    const csv = await fetch(link.replace('/dashboard?', '/dashboard.csv?'))
    expect(csv.status).toBe(200)
    const rows = (await csv.text()).trim().split('\n').slice(1)
    expect(rows.every((r) => r.startsWith('Platform,'))).toBe(true)

    expect(await w.say(ADMIN, `team remove-manager Platform <@${MANAGER}>`)).toMatch(/no longer manages \*\*?Platform/)
    const again = await fetch(link)
    expect(again.status).toBe(403)
    expect(await again.text()).toMatch(/no longer manage a team/)
    const csvAgain = await fetch(link.replace('/dashboard?', '/dashboard.csv?'))
    expect(csvAgain.status).toBe(403)
    expect(await csvAgain.text()).not.toMatch(/Platform,/)
  })

  it('an admin who loses the flag in Slack loses the view within a minute (the role is cached briefly)', async () => {
    expect(shownFigures(await w.say(OWNER, 'stats'), 'Sales')).toBeDefined()
    w.h.fake.users.set(OWNER, { id: OWNER, real_name: 'Olga Owner', tz: 'UTC' })
    advance(61_000)
    const text = await w.say(OWNER, 'stats')
    expect(text).not.toMatch(/Sales|Platform/)
    expect(text).toMatch(/for team managers and workspace admins/)
  })

  it('an admin’s link shows every team', async () => {
    const link = await w.dashboardLink(ADMIN)
    const html = await (await fetch(link)).text()
    expect(html).toContain('Platform')
    expect(html).toContain('Sales')
  })
})
