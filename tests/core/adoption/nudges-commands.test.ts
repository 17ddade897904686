/** Nudges through the queue (once a week, in working hours, no names), their effect, the buttons, and `/beacon` commands. */
import { afterEach, describe, expect, it } from 'vitest'
import { sendNudge, verifyDashboardToken } from '../../../src/core/adoption/index.ts'
import { buttons } from '../tasks/support.ts'
import { adoptionHarness, addPeople, crowd, historyEvents, people, WS, type AdoptionHarness } from './support.ts'

let h: AdoptionHarness
afterEach(() => h.close())

const TEAM = people('p', 12)
const MANAGER = 'boss'

/** A team whose manager went quiet three weeks ago (silent leaders). */
async function silentTeam(): Promise<void> {
  h = await adoptionHarness()
  await addPeople(h.db, TEAM)
  await h.feature.context.people.upsert({ workspace: WS, id: MANAGER, displayName: 'Boss', timezone: 'Asia/Tokyo', isBot: false })
  await h.feature.context.settings.syncTeam(WS, 'Platform', ['C1'], [MANAGER], h.clock.now())
  const weeks = Array.from({ length: 12 }, (_, i) => (i < 9 ? crowd([...TEAM, MANAGER]) : crowd(TEAM)))
  await h.feature.context.activity.recordMany(historyEvents(weeks))
}

describe('nudges', () => {
  it('plan one nudge per manager and week, inside their working hours, however often the weekly job runs', async () => {
    await silentTeam()
    await h.queue.runNow('adoption.weekly')
    await h.queue.runNow('adoption.weekly')
    const planned = h.queue.of('adoption.nudge')
    expect(planned).toHaveLength(1)
    // Wednesday 10:00 UTC is 19:00 in Tokyo: delivered the next working morning, 09:00 Tokyo.
    expect(planned[0]!.opts.runAt?.toISOString()).toBe('2025-06-19T00:00:00.000Z')
    expect(planned[0]!.opts.dedupeKey).toBe(`adoption-nudge:${WS}:${MANAGER}:2025-W24`)
    await h.queue.drain()
    const dms = h.platform.dmsTo(MANAGER)
    expect(dms).toHaveLength(1)
    expect(dms[0]!.text).toMatch(/Silent leaders/)
    expect(dms[0]!.text).toMatch(/What could help this week/)
    expect(buttons(dms[0]).map((b) => b.actionId)).toEqual(['adopt:goal', 'adopt:snooze', 'adopt:mute'])
    expect(JSON.stringify(dms[0])).not.toMatch(/Name of|p\d+|Boss/)
    // Even a second job for the same week (e.g. enqueued without the key) sends nothing more.
    expect(await sendNudge(h.feature.context, { workspace: WS, managerId: MANAGER, week: '2025-W24' })).toBe('already-sent')
    expect(h.platform.dmsTo(MANAGER)).toHaveLength(1)
  })

  it('a failed send gives the week back so the retry sends it', async () => {
    await silentTeam()
    h.platform.failFor.add(MANAGER)
    await expect(sendNudge(h.feature.context, { workspace: WS, managerId: MANAGER, week: '2025-W24' })).rejects.toThrow()
    h.platform.failFor.delete(MANAGER)
    expect(await sendNudge(h.feature.context, { workspace: WS, managerId: MANAGER, week: '2025-W24' })).toBe('sent')
  })

  it('records the team’s numbers before and two weeks after, and shows the effect', async () => {
    await silentTeam()
    await h.queue.runNow('adoption.weekly')
    await h.queue.drain()
    // Two more weeks with the manager back and more people active.
    h.clock.set('2025-07-02T10:00:00.000Z')
    await h.feature.context.activity.recordMany(
      historyEvents([crowd([...TEAM, MANAGER, 'new1']), crowd([...TEAM, MANAGER, 'new1', 'new2'])], { now: '2025-07-02T10:00:00.000Z' }),
    )
    await h.queue.runNow('adoption.weekly')
    const [n] = await h.feature.context.settings.nudges(WS)
    expect(n!.before).toEqual({ week: '2025-W24', activePeople: 12, contributions: 36 })
    expect(n!.after).toEqual({ week: '2025-W26', activePeople: 15, contributions: 45 })
    const [r] = await h.feature.reports(WS)
    expect(r!.nudges).toEqual({ sent: 1, measured: 1, recovered: 1 })
  })

  it('snooze and mute buttons stop the next nudges', async () => {
    await silentTeam()
    const t = await h.click('adopt:snooze', '1', MANAGER)
    expect(t.replaced[0]!.text).toMatch(/Snoozed/)
    await h.queue.runNow('adoption.weekly')
    expect(h.queue.of('adoption.nudge')).toHaveLength(0)
    h.clock.set('2025-07-09T10:00:00.000Z')
    await h.click('adopt:mute', '1', MANAGER)
    await h.queue.runNow('adoption.weekly')
    expect(h.queue.of('adoption.nudge')).toHaveLength(0)
    await h.command('nudges on', MANAGER)
    await h.queue.runNow('adoption.weekly')
    expect(h.queue.of('adoption.nudge')).toHaveLength(1)
  })

  it('the "Set objective" button opens a form whose submission sets the goal', async () => {
    await silentTeam()
    const t = await h.click('adopt:goal', '1', MANAGER)
    expect(t.forms[0]!.formId).toBe('adopt:goal')
    const e = {
      type: 'form.submitted' as const,
      eventId: 'f1',
      workspace: WS,
      platform: 'slack' as const,
      at: h.clock.now(),
      formId: 'adopt:goal',
      values: { metric: 'active', target: '15' },
      context: '1',
      person: { workspace: WS, id: MANAGER },
    }
    const s = await h.dispatch(e)
    expect(s.replies[0]!.text).toMatch(/Objective set for \*\*Platform\*\*: 15 active people/)
  })
})

describe('/beacon commands', () => {
  it('team create, add-channel, set-manager, list; goal; stats; dashboard link', async () => {
    // U_ALICE is a workspace admin (only admins create teams); every channel exists and has everyone.
    h = await adoptionHarness({ roles: { isAdmin: async (_w, id) => id === 'U_ALICE' } })
    for (const id of ['C1', 'C2', 'C3']) h.platform.channel(WS, id, id, 'public', ['U_ALICE', 'U_BOB'])
    await addPeople(h.db, ['U_ALICE', 'U_BOB'])
    expect((await h.command('team create Platform', 'U_ALICE', 'C1')).replies[0]!.text).toMatch(
      /Created team \*\*Platform\*\* with this channel; you are its manager/,
    )
    expect((await h.command('team add-channel Platform <#C2|design>', 'U_ALICE')).replies[0]!.text).toMatch(/Added 1 channel/)
    expect((await h.command('team add-channel Platform', 'U_BOB', 'C3')).replies[0]!.text).toMatch(/Only the managers of Platform/)
    expect((await h.command('team set-manager Platform <@U_BOB>', 'U_ALICE')).replies[0]!.text).toMatch(/Name of U\\_BOB now manages/)
    expect((await h.command('team list')).replies[0]!.text).toMatch(/Platform\*\*: 2 channels, managers: Name of U\\_ALICE, Name of U\\_BOB/)
    expect((await h.command('goal active 0')).replies[0]!.text).toMatch(/whole number/)
    expect((await h.command('goal nonsense 3')).replies[0]!.text).toMatch(/Usage/)
    expect((await h.command('goal active 20', 'U_ALICE', 'C2')).replies[0]!.text).toMatch(/Objective set for \*\*Platform\*\*: 20 active people/)
    await h.feature.context.activity.recordMany(historyEvents(Array.from({ length: 12 }, () => crowd(people('p', 9)))))
    const stats = (await h.command('stats')).replies[0]!
    expect(stats.visibleTo).toBe('U_ALICE')
    expect(stats.text).toMatch(/Active people: \*\*9\*\*/)
    expect(stats.text).toMatch(/Below objective/)
    const dash = (await h.command('dashboard')).replies[0]!
    const url = new URL(/\((https:[^)]+)\)/.exec(dash.text)![1]!)
    expect(url.origin + url.pathname).toBe('https://beacon.example/dashboard')
    const check = verifyDashboardToken(Buffer.alloc(32, 7), url.searchParams.get('token'), h.clock.now())
    expect(check.ok && check.grant.workspace).toBe(WS)
    expect(verifyDashboardToken(Buffer.alloc(32, 7), url.searchParams.get('token'), new Date(h.clock.now().getTime() + 16 * 60_000))).toEqual({
      ok: false,
      reason: 'expired',
    })
    expect(verifyDashboardToken(Buffer.alloc(32, 8), url.searchParams.get('token'), h.clock.now())).toEqual({ ok: false, reason: 'bad_signature' })
  })

  it('unknown subcommands get the list; /beacon help lists its own subcommands with examples', async () => {
    h = await adoptionHarness()
    expect((await h.command('frobnicate')).replies[0]!.text).toMatch(/beacon stats/)
    const help = (await h.command('help')).replies[0]!.text
    expect(help).toContain('`/beacon stats [team]`')
    expect(help).toContain('e.g. `/beacon goal active 20 Platform`')
  })
})
