/**
 * SLACK_DEPARTMENT_FIELD end to end: the composed Beacon behind the real /slack/events endpoint and
 * the fake Web API. The field is configured by label ("department", any case); when people post,
 * the adapter reads their profile (users.profile.get), stores the department with them, and the
 * manager's `/beacon stats` then shows the single-department diagnosis it could not see before.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startHarness, type Harness } from '../adapters/slack/harness.ts'
import { SqliteActivityRepository } from '../../src/storage/repositories/adoption-activity.ts'
import { SqliteAdoptionSettingsRepository } from '../../src/storage/repositories/adoption-settings.ts'
import { crowd, historyEvents } from '../core/adoption/support.ts'
import { clock } from './adoption-support.ts'
import { SlackDriver, visibleText } from './slack-driver.ts'
import { waitFor } from '../support/wait.ts'

const WS = 'slack:T1'
const BOSS = 'UBOSS'
const ENG = ['UENG1', 'UENG2', 'UENG3', 'UENG4', 'UENG5', 'UENG6']
const SALES = ['USALES1', 'USALES2']
const EVERYONE = [BOSS, ...ENG, ...SALES]
const departmentOf = (id: string) => (SALES.includes(id) ? 'Sales' : 'Engineering')

describe('adoption departments from a Slack profile field', () => {
  let h: Harness
  let slack: SlackDriver

  beforeAll(async () => {
    h = await startHarness({ compose: true, env: { SLACK_DEPARTMENT_FIELD: 'department' }, composeOptions: { clock } })
    slack = new SlackDriver(h.eventsUrl, h.fake)
    h.fake.profileFields = [
      { id: 'Xf01TITLE', label: 'Title' },
      { id: 'Xf02DEPT', label: 'Department' },
    ]
    for (const id of EVERYONE) {
      h.fake.users.set(id, {
        id,
        real_name: `Person ${id}`,
        tz: 'UTC',
        profile: { real_name: `Person ${id}`, fields: { Xf02DEPT: { value: departmentOf(id) }, Xf01TITLE: { value: 'Staff' } } },
      })
    }
    // Team "Platform" on C1: Sales took part in the first 4 of the 12 weeks, then only Engineering (manager included).
    await h.ctx.repos.people.upsert({ workspace: WS, id: BOSS, displayName: 'Person UBOSS', timezone: 'UTC', isBot: false })
    await new SqliteAdoptionSettingsRepository(h.ctx.db).syncTeam(WS, 'Platform', ['C1'], [BOSS], clock.now())
    const weeks = [...Array.from({ length: 4 }, () => crowd(EVERYONE)), ...Array.from({ length: 8 }, () => crowd([BOSS, ...ENG]))]
    await new SqliteActivityRepository(h.ctx.db).recordMany(historyEvents(weeks, { now: clock.now().toISOString() }))
  })

  afterAll(async () => {
    await h?.close()
  })

  it('without known departments, the manager sees no single-department diagnosis', async () => {
    const text = visibleText(await slack.command('stats', BOSS, 'C1', '/beacon'))
    expect(text).toMatch(/Platform/)
    expect(text).not.toMatch(/One department only/)
  })

  it('a message from someone whose profile says "Engineering" stores them in Engineering, and is counted', async () => {
    await slack.event({ type: 'message', channel: 'C1', channel_type: 'channel', user: 'UENG1', text: 'shipping today', ts: '1750240000.000100' })
    const person = await waitFor(async () => {
      const p = await h.ctx.repos.people.get(WS, 'UENG1')
      return p?.department ? p : undefined
    }, 'UENG1 stored with a department')
    expect(person).toMatchObject({ displayName: 'Person UENG1', department: 'Engineering' })
    expect(
      await waitFor(
        () => h.ctx.db.$client.prepare("select kind from adoption_events where person_id = 'UENG1' and conversation_id = 'C1'").get(),
        'the activity event',
      ),
    ).toEqual({ kind: 'message' })
    expect(h.fake.callsOf('team.profile.get')).toHaveLength(1)
    expect(h.fake.callsOf('users.profile.get').map((c) => c.params.user)).toEqual(['UENG1'])
  })

  it('once everyone has posted, the manager’s /beacon stats names the one department — and no person', async () => {
    let ts = 1750240001
    for (const id of EVERYONE.filter((p) => p !== 'UENG1'))
      await slack.event({ type: 'message', channel: 'C1', channel_type: 'channel', user: id, text: 'hello', ts: `${ts++}.000100` })
    await waitFor(async () => (await h.ctx.repos.people.departments(WS)).size === EVERYONE.length, 'every department stored')
    expect(Object.fromEntries(await h.ctx.repos.people.departments(WS))).toEqual(Object.fromEntries(EVERYONE.map((id) => [id, departmentOf(id)])))
    expect(h.fake.callsOf('team.profile.get')).toHaveLength(1) // the label is resolved once per team per expiry

    const text = visibleText(await slack.command('stats', BOSS, 'C1', '/beacon'))
    expect(text).toMatch(/One department only/)
    expect(text).toMatch(/100% of the last 4 weeks’ contributions came from Engineering/)
    expect(text).not.toMatch(/U(ENG|SALES)\d|Person /)
  })
})
