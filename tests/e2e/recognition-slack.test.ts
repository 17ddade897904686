/**
 * Recognition end to end on Slack: composeBeacon + listen(0) on a real SQLite file, signed slash
 * commands and Events API callbacks to POST /slack/events, answers read from the fake Web API and
 * the fake response_url endpoint, jobs on the real in-process queue.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { envelope, SIGNING_SECRET, startHarness, type Harness } from '../adapters/slack/harness.ts'
import { jobsIdle } from '../support/jobs.ts'
import { FakeSlackApi } from '../support/fake-slack-api.ts'
import { post, signedJson } from '../support/slack-signing.ts'
import { buttons, SlackDriver, visibleText } from './slack-driver.ts'
import { waitFor } from '../support/wait.ts'

function people(fake: FakeSlackApi): void {
  const add = (id: string, name: string, tz = 'UTC', is_bot = false) =>
    fake.users.set(id, { id, name: name.toLowerCase(), real_name: name, tz, is_bot, profile: { display_name: name } })
  add('UALICE', 'Alice', 'America/New_York')
  fake.users.get('UALICE')!.is_admin = true // a workspace admin: she may switch the weekly digest on
  for (const n of ['Bob', 'Carol', 'Dan', 'Erin', 'Frank', 'Grace', 'Heidi', 'Ivan', 'Judy']) add(`U${n.toUpperCase()}`, n, 'Europe/Berlin')
  add('UBOTTY', 'deploybot', 'UTC', true)
  fake.channels.set('C1', { id: 'C1', name: 'general' })
  fake.channels.set('C2', { id: 'C2', name: 'team' })
  fake.members.set('C1', ['UALICE', 'UBOB', 'UCAROL', 'UDAN'])
}

interface KudosRow {
  kind: string
  source: string
  giver_id: string | null
  receiver_id: string
  value: string | null
  reason: string
}

describe('recognition on Slack, end to end', () => {
  let h: Harness
  let slack: SlackDriver
  const rows = (where = '1 = 1', ...args: string[]) =>
    h.ctx.db.$client.prepare(`SELECT * FROM kudos WHERE ${where} ORDER BY id`).all(...args) as KudosRow[]
  const kudos = (text: string, user: string, channel = 'C1') => slack.command(text, user, channel, '/kudos')
  const posts = (channel: string, since: number) => h.fake.callsOf('chat.postMessage').filter((c) => c.params.channel === channel && c.at >= since)

  beforeAll(async () => {
    const fake = await new FakeSlackApi().start()
    people(fake)
    h = await startHarness({
      compose: true,
      fake,
      env: { KUDOS_DAILY_ALLOWANCE: '3', KUDOS_WEEKLY_PER_PERSON: '2', KUDOS_VALUES: 'teamwork,ownership,customer,craft' },
    })
    slack = new SlackDriver(h.eventsUrl, h.fake)
  })
  afterAll(async () => h?.close())

  it('giving is ONE public message in the channel, naming people without pinging them', async () => {
    const since = Date.now()
    const reply = await kudos('<@UBOB|bob> <@UCAROL> for the zero-downtime deploy #craft', 'UALICE')
    expect(reply.response_type).toBe('in_channel')
    expect(visibleText(reply)).toBe('🎉 *Alice* gave kudos to *Bob* and *Carol*: for the zero-downtime deploy · _#craft_')
    expect(JSON.stringify(reply)).not.toMatch(/<@|<!/)
    await jobsIdle(h.ctx.db)
    expect(posts('C1', since)).toHaveLength(0) // the response_url answer is the only message
    expect(rows('giver_id = ?', 'UALICE').map((r) => [r.receiver_id, r.value, r.reason])).toEqual([
      ['UBOB', 'craft', 'for the zero-downtime deploy'],
      ['UCAROL', 'craft', 'for the zero-downtime deploy'],
    ])
  })

  it('refuses kudos to yourself and to bots, privately, changing nothing', async () => {
    const before = rows().length
    const self = await kudos('<@UDAN|dan> for being great', 'UDAN')
    expect(self.response_type).toBe('ephemeral')
    expect(visibleText(self)).toContain('can’t give them to yourself')
    const bot = await kudos('<@UBOTTY|deploybot> for deploying', 'UDAN')
    expect(bot.response_type).toBe('ephemeral')
    expect(visibleText(bot)).toContain('*deploybot* is a bot')
    expect(rows()).toHaveLength(before)
  })

  it('an unknown #value is refused with the list of values', async () => {
    const r = await kudos('<@UBOB> for the fix #speed', 'UDAN')
    expect(r.response_type).toBe('ephemeral')
    expect(visibleText(r)).toContain('*#speed* isn’t one of our values')
    expect(visibleText(r)).toContain('*#teamwork*, *#ownership*, *#customer*, *#craft*')
    expect(rows('giver_id = ?', 'UDAN')).toHaveLength(0)
  })

  it('the daily allowance: the refusal says none are left and when it resets; nothing changes', async () => {
    for (const to of ['UBOB', 'UCAROL', 'UALICE']) expect((await kudos(`<@${to}> for the help`, 'UERIN')).response_type).toBe('in_channel')
    const r = await kudos('<@UDAN> for the help', 'UERIN')
    expect(r.response_type).toBe('ephemeral')
    expect(visibleText(r)).toMatch(/You’ve used all 3 of today’s kudos\. Your allowance resets in \d+ h \(.+ 00:00 Europe\/Berlin\)/)
    expect(rows('giver_id = ?', 'UERIN')).toHaveLength(3)
  })

  it('at most 2 kudos to the same person per giver per week', async () => {
    for (let i = 0; i < 2; i++) expect((await kudos(`<@UBOB> for review ${i}`, 'UFRANK')).response_type).toBe('in_channel')
    const r = await kudos('<@UBOB> for review 3', 'UFRANK')
    expect(r.response_type).toBe('ephemeral')
    expect(visibleText(r)).toContain('You’ve already given *Bob* 2 kudos this week')
    expect(rows('giver_id = ?', 'UFRANK')).toHaveLength(2)
  })

  it('the kudos reaction gives the author a kudos linking the message; a retried event and a second reaction count once', async () => {
    h.fake.addMessage('C1', { ts: '1700000500.000100', user: 'UCAROL', text: 'Here is how to fix the flaky test' })
    const since = Date.now()
    const react = envelope({
      type: 'reaction_added',
      user: 'UGRACE',
      reaction: 'clap',
      item_user: 'UCAROL',
      item: { type: 'message', channel: 'C1', ts: '1700000500.000100' },
      event_ts: `${Date.now() / 1000}`,
    })
    const first = await post(h.eventsUrl, signedJson(SIGNING_SECRET, react))
    const retry = await post(
      h.eventsUrl,
      signedJson(SIGNING_SECRET, react, { extraHeaders: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } }),
    )
    expect([first.status, retry.status]).toEqual([200, 200])
    await slack.event({
      type: 'reaction_added',
      user: 'UGRACE',
      reaction: 'clap::skin-tone-3',
      item_user: 'UCAROL',
      item: { type: 'message', channel: 'C1', ts: '1700000500.000100' },
      event_ts: `${Date.now() / 1000}`,
    })
    const announced = await waitFor(() => posts('C1', since)[0], 'the kudos announcement in the thread')
    expect(announced.params.thread_ts).toBe('1700000500.000100')
    expect(visibleText(announced.params)).toBe(
      '🎉 *Grace* gave kudos to *Carol*: for <https://acme.slack.com/archives/C1/p1700000500000100|this message>',
    )
    await jobsIdle(h.ctx.db)
    expect(posts('C1', since)).toHaveLength(1)
    expect(rows('giver_id = ?', 'UGRACE').map((r) => [r.source, r.receiver_id])).toEqual([['reaction', 'UCAROL']])
  })

  it('/kudos top ranks by distinct givers first, then count, with names and no pings', async () => {
    await kudos('<@UIVAN> for onboarding #customer', 'UHEIDI')
    await kudos('<@UIVAN> for the escalation #customer', 'UJUDY')
    await kudos('<@UJUDY> for the call #customer', 'UHEIDI')
    await kudos('<@UJUDY> for the follow-up #customer', 'UHEIDI')
    await kudos('<@UALICE> for the survey #customer', 'UJUDY')
    const top = await kudos('top all #customer', 'UBOB')
    expect(top.response_type).toBe('ephemeral')
    const lines = visibleText(top)
      .split('\n')
      .filter((l) => /^\d\./.test(l))
    expect([...new Set(lines)]).toEqual(['1. *Ivan* — 2 people, 2 kudos', '2. *Judy* — 1 person, 2 kudos', '3. *Alice* — 1 person, 1 kudos'])
    expect(JSON.stringify(top)).not.toMatch(/<@|UIVAN/)
  })

  it('/kudos me shows what I gave and received, this week and all time', async () => {
    const me = await kudos('me', 'UBOB')
    expect(me.response_type).toBe('ephemeral')
    const text = visibleText(me)
    expect(text).toContain('This week: received 4 kudos from 3 people, gave 0.')
    expect(text).toContain('All time: received 4 kudos from 3 people, gave 0.')
    expect(text).toContain('from *Alice*: for the zero-downtime deploy · _#craft_')
    expect(text).toContain('You can give 3 more kudos today (of 3)')
  })

  it('the weekly digest posts once per opted-in channel per week', async () => {
    const on = await kudos('digest on', 'UALICE', 'C2')
    expect(on.response_type).toBe('in_channel')
    expect(visibleText(on)).toContain('weekly kudos digest is on in #') // the driver names every channel #general
    const since = Date.now()
    await h.ctx.queue.runNow('recognition.weekly-digest', {})
    await h.ctx.queue.runNow('recognition.weekly-digest', {})
    const digest = posts('C2', since)
    expect(digest).toHaveLength(1)
    const text = visibleText(digest[0]!.params)
    expect(text).toContain('This week in kudos')
    expect(text).toMatch(/1\. \*Bob\* — 3 people/)
    expect(text).toContain('#customer ×5')
    expect(text).not.toMatch(/<@/)
    expect(posts('C1', since)).toHaveLength(0)
  })

  it('automatic credit: contributors of a thread saved to knowledge, once', async () => {
    h.fake.addMessage('C1', { ts: '1700000600.000100', user: 'UDAN', text: 'How do we rotate the signing key?' })
    h.fake.addMessage('C1', { ts: '1700000600.000200', thread_ts: '1700000600.000100', user: 'UHEIDI', text: 'Run the rotate script, then redeploy' })
    h.fake.addMessage('C1', { ts: '1700000600.000300', thread_ts: '1700000600.000100', user: 'UBOTTY', bot_id: 'B9', text: 'deploy ok' })
    const save = {
      type: 'reaction_added',
      user: 'UALICE',
      reaction: 'bookmark',
      item_user: 'UDAN',
      item: { type: 'message', channel: 'C1', ts: '1700000600.000100' },
      event_ts: `${Date.now() / 1000}`,
    }
    await slack.event(save)
    await slack.event(save)
    const credited = await waitFor(() => {
      const r = rows("source = 'knowledge'")
      return r.length >= 2 && r
    }, 'knowledge credit')
    await jobsIdle(h.ctx.db)
    expect(rows("source = 'knowledge'").map((r) => [r.kind, r.giver_id, r.receiver_id])).toEqual([
      ['auto', null, 'UDAN'],
      ['auto', null, 'UHEIDI'],
    ])
    expect(credited[0]!.reason).toContain('answer saved to the knowledge base')
    expect(visibleText(await kudos('me', 'UHEIDI'))).toContain('+ 1 automatic credit')
  })

  it('automatic credit: the assignee of a completed task, and the creator’s “Send kudos” button', async () => {
    await slack.command('<@UCAROL|carol> write the runbook', 'UDAN', 'C1', '/task')
    const since = Date.now()
    await slack.command('done T-1', 'UCAROL', 'C1', '/task')
    await waitFor(() => rows("source = 'task-done'").length === 1, 'task credit')
    expect(rows("source = 'task-done'")).toMatchObject([{ kind: 'auto', giver_id: null, receiver_id: 'UCAROL' }])
    const dm = await waitFor(
      () => slack.dms('UDAN', since).find((c) => buttons(c.params.blocks).some((b) => b.action_id === 'task:kudos')),
      'the creator’s done DM with Send kudos',
    )
    const button = buttons(dm.params.blocks).find((b) => b.action_id === 'task:kudos')!
    await slack.click('UDAN', button, { message: { channel: 'DUDAN', ts: String(dm.params.ts ?? '1.1') } })
    const thanks = await waitFor(() => slack.dms('UCAROL', since).find((c) => visibleText(c.params).includes('sent you kudos')), 'Carol’s kudos DM')
    expect(visibleText(thanks.params)).toBe('🎉 *Dan* sent you kudos: for finishing T-1: write the runbook')
    expect(rows("source = 'task'")).toMatchObject([{ kind: 'given', giver_id: 'UDAN', receiver_id: 'UCAROL' }])
  })
})
