/**
 * The curious manager-sponsor, end to end on Slack (composeBeacon as `npm start` runs it, the fake
 * Web API, SQLite, the in-process queue, a fixed clock). Max manages "Platform" (8 people every week)
 * and is a sponsor. "Audit" has its own channel: 6 people once, 3 a week since. An admin's check hides
 * Audit or Platform and keeps the organisation — but Max sees Platform on his own dashboard, so
 * organisation − Platform would be Audit's 3 people. He tries exactly that subtraction on the
 * dashboard pages and with the monthly digest; there must be nothing to subtract from.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ImpactEvent } from '../../src/core/impact/types.ts'
import { lastCompleteWeeks } from '../../src/core/time/iso-weeks.ts'
import { crowd, historyEvents, people } from '../core/adoption/support.ts'
import { ADMIN, EVE, MANAGER, NOW, PLATFORM, RANDOM, startWorld, WS, weeklyCrowd, type World } from '../security/support.ts'
import { jobsIdle } from '../support/jobs.ts'
import { waitFor } from '../support/wait.ts'

let w: World
const WEEKS = lastCompleteWeeks(new Date(NOW), 12)

/** Questions asked in a channel, `n` a week over the twelve weeks (more each week: the digest has something that moved). */
function questions(channel: string, n: (week: number) => number): ImpactEvent[] {
  return WEEKS.flatMap((monday, i) =>
    Array.from({ length: n(i) }, (_, q) => ({
      workspace: WS,
      conversationId: channel,
      kind: 'question_asked' as const,
      at: new Date(`${monday}T12:00:00.000Z`),
      sourceKey: `test:${channel}:${monday}:${q}`,
    })),
  )
}

/** figure key → value of one card of an impact page (empty when the card shows none). */
function figures(html: string, card: string): Record<string, number> {
  const start = html.indexOf(`data-impact-team="${card}"`)
  expect(start, `the ${card} card`).toBeGreaterThan(-1)
  const body = html.slice(start, html.indexOf('</div>', start))
  return Object.fromEntries([...body.matchAll(/data-figure="([a-z_]+)"><td>[^<]*<\/td><td data-value="([\d.]+)"/g)].map((m) => [m[1]!, Number(m[2])]))
}

const page = async (url: string) => {
  const res = await fetch(url)
  expect(res.status).toBe(200)
  return res.text()
}

beforeAll(async () => {
  w = await startWorld()
  await w.teams.syncTeam(WS, 'Platform', [PLATFORM], [MANAGER], new Date(NOW))
  await w.teams.syncTeam(WS, 'Audit', [RANDOM], [ADMIN], new Date(NOW))
  await w.activity.recordMany([
    ...weeklyCrowd(PLATFORM, 'plat', 8),
    // Audit reached the minimum once (so it belongs to the organisation), then 3 people a week.
    ...historyEvents([crowd(people('aud', 6)), ...Array.from({ length: 11 }, () => crowd(people('aud', 3)))], { channel: RANDOM, now: NOW }).map(
      (e) => ({ ...e, workspace: WS }),
    ),
  ])
  for (const e of [...questions(PLATFORM, (i) => 2 + i), ...questions(RANDOM, () => 3)]) await w.h.ctx.repos.impact.record(e)
  expect(await w.say(ADMIN, `sponsor add <@${MANAGER}>`)).toMatch(/now a sponsor/)
  expect(await w.say(ADMIN, `sponsor add <@${EVE}>`)).toMatch(/now a sponsor/)
})
afterAll(async () => w?.close())

describe('organisation figures for a sponsor who also manages a team', () => {
  it('the dashboard pages give Max no organisation figure to subtract Platform from, and say why', async () => {
    const dashboard = await w.dashboardLink(MANAGER)
    const mine = figures(await page(dashboard), 'Platform')
    // The month W21–W24 (weeks 8–11): 10 + 11 + 12 + 13 questions in #platform.
    expect(mine.questions).toBe(46)

    const orgPage = await page(dashboard.replace('/dashboard?', '/dashboard/organisation?'))
    const org = figures(orgPage, 'Organisation')
    // The subtraction Max would do: organisation − Platform = Audit's questions, a group of 3 people.
    const revealed = Object.keys(org).filter((k) => k in mine && org[k] !== mine[k])
    expect(revealed, 'organisation figures that differ from Platform’s').toEqual([])
    expect(org).toEqual({})
    expect(orgPage).toMatch(/you also see the figures of teams you manage/)
    // Departments over time add up to the organisation's active people: withheld with it.
    expect(orgPage).not.toMatch(/table class="departments"/)
  })

  it('an admin still sees the organisation figures (every team and the organisation in one check)', async () => {
    const adminOrg = figures(await page((await w.dashboardLink(ADMIN)).replace('/dashboard?', '/dashboard/organisation?')), 'Organisation')
    expect(adminOrg.questions).toBe(46 + 12)
  })

  it('the monthly digest to Max withholds the organisation figures, in plain words; Eve’s shows them', async () => {
    await w.h.ctx.queue.runNow('impact.monthly')
    const dmOf = (who: string) =>
      waitFor(() => w.h.fake.callsOf('chat.postMessage').find((c) => c.params.channel === `D${who}`), `the digest DM to ${who}`, 10_000)
    const [max, eve] = await Promise.all([dmOf(MANAGER), dmOf(EVE)])
    await jobsIdle(w.h.ctx.db)
    const maxText = String(max.params.text)
    expect(maxText).toMatch(/Beacon impact, 2025-05/)
    // Platform's questions are on Max's dashboard; the organisation's would give Audit's away.
    expect(maxText).not.toMatch(/Questions asked|Three numbers that moved|\d+ \(▲/)
    expect(maxText).toMatch(/you also see the figures of teams you manage/)
    const eveText = String(eve.params.text)
    expect(eveText).toMatch(/Three numbers that moved/)
    expect(eveText).toMatch(/Questions asked: \**58\b/)
    // Eve sees no team: her link opens the organisation's figures.
    const link = new URL(/https?:\/\/[^"\\]+\/dashboard\/organisation\?token=[^"\\]+/.exec(JSON.stringify(eve.params.blocks))![0])
    expect(figures(await page(`${w.h.url}${link.pathname}${link.search}`), 'Organisation').questions).toBe(58)
  })
})
