/**
 * Business impact on Slack, end to end: composeBeacon as `npm start` runs it (signed Events API,
 * slash commands and interactivity, the fake Web API, SQLite, the in-process queue), a fixed clock.
 * A question and its answer become impact events without their text; 👍 on "Did this answer it?"
 * counts once; `/beacon impact` shows managers their team with the stage and its next step, admins
 * the organisation too, and everyone else a refusal; sponsors are admins' to add, and the monthly
 * job run twice delivers one digest DM.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { jobsIdle } from '../support/jobs.ts'
import { ADMIN, EMPLOYEE, EVE, MANAGER, PLATFORM, seedPlatform, startWorld, type World } from '../security/support.ts'
import { waitFor } from '../support/wait.ts'

/** Friday 2025-06-13 07:33 UTC: in the last complete week before the world's NOW. */
const QUESTION_TS = '1749800000.000100'
/** 30 minutes later, in the question's thread. */
const ANSWER_TS = '1749801800.000200'

let w: World
const rows = (sql: string) => w.h.ctx.db.$client.prepare(sql).all() as Record<string, unknown>[]

describe('impact on Slack', () => {
  beforeAll(async () => {
    w = await startWorld()
    await seedPlatform(w)
  })
  afterAll(async () => w?.close())

  it('a question and its first answer by someone else become impact events, never their text', async () => {
    await w.slack.event({
      type: 'message',
      channel: PLATFORM,
      user: EVE,
      text: 'How do we rotate the confidential staging keys?',
      ts: QUESTION_TS,
      channel_type: 'channel',
    })
    await w.slack.event({
      type: 'message',
      channel: PLATFORM,
      user: EVE,
      text: 'anyone? the confidential ones',
      ts: '1749800100.000300',
      thread_ts: QUESTION_TS,
      channel_type: 'channel',
    })
    await w.slack.event({
      type: 'message',
      channel: PLATFORM,
      user: EMPLOYEE,
      text: 'run the confidential rotate script',
      ts: ANSWER_TS,
      thread_ts: QUESTION_TS,
      channel_type: 'channel',
    })
    const events = await waitFor(() => {
      const r = rows("select kind, week, minutes, flag, conversation_id from impact_events where kind like 'question%' order by kind")
      return r.length === 2 && r
    }, 'the question and its answer')
    // The asker's own follow-up is not an answer; the first answer came 30 minutes after the question.
    expect(events).toEqual([
      { kind: 'question_answered', week: '2025-06-09', minutes: 30, flag: 1, conversation_id: PLATFORM },
      { kind: 'question_asked', week: '2025-06-09', minutes: null, flag: null, conversation_id: PLATFORM },
    ])
    const everything = JSON.stringify([rows('select * from impact_events'), rows('select * from impact_questions')])
    expect(everything).not.toMatch(/confidential|rotate/)
  })

  it('👍 on “Did this answer it?” is recorded once per message, and thanks the person privately', async () => {
    const message = { channel: PLATFORM, ts: '1750240000.000900', ephemeral: false }
    const first = await w.slack.click(EVE, { action_id: 'impact:helpful', value: '7' }, { message })
    const thanks = await waitFor(() => w.h.fake.responses.find((r) => r.id === first.responseId), 'the thanks')
    expect(JSON.stringify(thanks.body)).toMatch(/glad it helped/)
    await w.slack.click(EVE, { action_id: 'impact:helpful', value: '7' }, { message })
    await w.slack.click(EVE, { action_id: 'impact:not-helpful', value: 'drop table' }, { message })
    await waitFor(
      () => w.h.fake.responses.filter((r) => /glad it helped|no longer points/.test(JSON.stringify(r.body))).length >= 3,
      'all three answers',
    )
    expect(rows("select item_id, flag from impact_events where kind = 'feedback'")).toEqual([{ item_id: 7, flag: 1 }])
  })

  it('kudos given in a team channel reach impact through the kudos.given domain event', async () => {
    expect(await w.say(MANAGER, `<@${EMPLOYEE}> for the rotation runbook`, PLATFORM, '/kudos')).toMatch(/gave kudos/)
    const row = await waitFor(() => rows("select kind, conversation_id from impact_events where kind = 'kudos'")[0], 'the kudos impact event')
    expect(row).toEqual({ kind: 'kudos', conversation_id: PLATFORM })
  })

  it('/beacon impact: a manager sees their team with its stage, evidence and next step', async () => {
    const text = await w.say(MANAGER, 'impact')
    expect(text).toMatch(/Platform\*?\*? — impact 2025-W21 – 2025-W24/)
    expect(text).toMatch(/Stage: \*?\*?experimental/)
    expect(text).toMatch(/To move up: set a weekly objective/)
    expect(text).toMatch(/Questions asked: \*?\*?1/)
    expect(text).toMatch(/Questions answered within a working day: \*?\*?100%/)
    expect(text).toMatch(/Median minutes to a first answer: \*?\*?30/)
    expect(text).not.toMatch(/Organisation/)
    expect(text).not.toMatch(/Eve|Emil|UEVE|UEMP/)

    expect(await w.say(MANAGER, 'goal active 5 Platform')).toMatch(/Objective set/)
    const after = await w.say(MANAGER, 'impact Platform week')
    // Objective set and four measured weeks: formalized; the manager's silence is what holds it back.
    expect(after).toMatch(/Platform\*?\*? — impact 2025-W24\b/)
    expect(after).toMatch(/Stage: \*?\*?formalized/)
    expect(after).toMatch(/To move up: address “Silent leaders”/)
  })

  it('/beacon impact: admins also see the organisation; everyone else gets a clear refusal', async () => {
    const admin = await w.say(ADMIN, 'impact')
    expect(admin).toMatch(/Platform\*?\*? — impact/)
    expect(admin).toMatch(/Organisation\*?\*? — impact[\s\S]*Stage: \*?\*?formalized\*?\*? — at least half of the 1 teams/)
    const employee = await w.say(EMPLOYEE, 'impact')
    expect(employee).toMatch(/for team managers and workspace admins/)
    expect(employee).not.toMatch(/Platform|Organisation|Questions/)
    expect(await w.say(MANAGER, 'impact Nowhere')).toMatch(/no team called “Nowhere”/)
  })

  it('sponsors: only admins add them; the monthly job run twice sends one digest DM in working hours', async () => {
    expect(await w.say(MANAGER, `sponsor add <@${EVE}>`)).toMatch(/Only a workspace admin/)
    expect(rows('select * from impact_sponsors')).toEqual([])
    expect(await w.say(ADMIN, 'sponsor add')).toMatch(/Whom\?/)
    expect(await w.say(ADMIN, `sponsor add <@${EVE}>`)).toMatch(/now a sponsor/)
    expect(await w.say(ADMIN, `sponsor add <@${EVE}>`)).toMatch(/already a sponsor/)
    expect(await w.say(ADMIN, 'sponsor list')).toMatch(/digest: Eve Curious/)

    await w.h.ctx.queue.runNow('impact.monthly')
    await w.h.ctx.queue.runNow('impact.monthly')
    const dm = await waitFor(() => w.h.fake.callsOf('chat.postMessage').find((c) => c.params.channel === `D${EVE}`), 'the digest DM', 10_000)
    await jobsIdle(w.h.ctx.db)
    expect(w.h.fake.callsOf('chat.postMessage').filter((c) => c.params.channel === `D${EVE}`)).toHaveLength(1)
    const text = String(dm.params.text)
    expect(text).toMatch(/Beacon impact, 2025-05/)
    expect(text).toMatch(/Three numbers that moved/)
    expect(text).toMatch(/Stage: formalized/)
    expect(text).toMatch(/One recommendation:/)
    expect(JSON.stringify(dm.params.blocks)).toMatch(/dashboard\/organisation\?token=/)
    expect(text).not.toMatch(/Platform|Eve|Emil/)
    expect(rows('select person_id, month from impact_digest_claims')).toEqual([{ person_id: EVE, month: '2025-05' }])

    // Eve is neither admin nor manager: the digest's link opens the organisation's page, not a 403.
    const link = new URL(/https?:\/\/[^"\\]+\/dashboard\/organisation\?token=[^"\\]+/.exec(JSON.stringify(dm.params.blocks))![0])
    const page = await fetch(`${w.h.url}${link.pathname}${link.search}`)
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toMatch(/data-organisation-view/)
    expect(html).toMatch(/data-impact-team="Organisation"/)
    expect(html).not.toMatch(/Platform|Eve|Emil/)
    // Removed, the same link is refused.
    expect(await w.say(ADMIN, `sponsor remove <@${EVE}>`)).toMatch(/no longer gets the impact digest/)
    expect((await fetch(`${w.h.url}${link.pathname}${link.search}`)).status).toBe(403)
  })
})
