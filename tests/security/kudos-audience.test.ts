/**
 * Kudos only travel as far as their audience, through signed Slack requests: a kudos given in a
 * private channel or a DM never shows up in a digest posted in #general nor in `/kudos top` asked
 * there; the private channel's own board still counts it. Only an admin, or a manager of a team the
 * channel belongs to, can switch a channel's digest on or off.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { visibleText } from '../e2e/slack-driver.ts'
import { ADMIN, EMPLOYEE, EVE, GENERAL, LONER, MANAGER, PLATFORM, PRIVATE, seedPlatform, startWorld, type World } from './support.ts'

describe('kudos audiences', () => {
  let w: World
  const kudos = (who: string, text: string, channel = GENERAL) => w.say(who, text, channel, '/kudos')
  const digestRows = () =>
    w.h.ctx.db.$client.prepare('SELECT conversation_id AS c, enabled FROM kudos_digest_channels ORDER BY c').all() as { c: string; enabled: number }[]

  beforeAll(async () => {
    w = await startWorld()
    await seedPlatform(w)
    expect(await kudos(EVE, `<@${EMPLOYEE}> for the onboarding guide #teamwork`)).toMatch(/gave kudos to/)
    expect(await kudos(MANAGER, `<@${LONER}> for the secret merger model #craft`, PRIVATE)).toMatch(/gave kudos to/)
    expect(await kudos(EMPLOYEE, `<@${LONER}> for covering my shift`, `D${EMPLOYEE}`)).toMatch(/gave kudos to/)
  })
  afterAll(async () => w?.close())

  it('an employee cannot switch the digest on or off; a refusal changes nothing', async () => {
    expect(await kudos(EVE, 'digest on')).toMatch(/Only a workspace admin or a manager of a team this channel belongs to/)
    expect(digestRows()).toEqual([])
    // Max manages Platform, not #general.
    expect(await kudos(MANAGER, 'digest on')).toMatch(/Only a workspace admin/)
    expect(digestRows()).toEqual([])
  })

  it('the channel’s team manager and an admin can', async () => {
    expect(await kudos(MANAGER, 'digest on', PLATFORM)).toMatch(/digest is on/)
    expect(await kudos(ADMIN, 'digest on', GENERAL)).toMatch(/digest is on/)
    expect(await kudos(EVE, 'digest off', GENERAL)).toMatch(/Only a workspace admin/)
    expect(digestRows()).toEqual([
      { c: GENERAL, enabled: 1 },
      { c: PLATFORM, enabled: 1 },
    ])
  })

  it('the digest in #general names only what was given in public', async () => {
    const since = Date.now()
    await w.h.ctx.queue.runNow('recognition.weekly-digest', {})
    const posted = w.h.fake.callsOf('chat.postMessage').filter((c) => c.params.channel === GENERAL && c.at >= since)
    expect(posted).toHaveLength(1)
    const text = visibleText(posted[0]!.params)
    expect(text).toContain('1 kudos from 1 person.')
    expect(text).toMatch(/Emil Employee/)
    expect(text).not.toMatch(/Pia Private|#craft/)
  })

  it('/kudos top in #general leaves out kudos from the private channel and the DM; #private’s own board has them', async () => {
    const pub = await kudos(EMPLOYEE, 'top')
    expect(pub).toMatch(/Emil Employee/)
    expect(pub).not.toMatch(/Pia Private/)
    const priv = await kudos(MANAGER, 'top', PRIVATE)
    expect(priv).toMatch(/Pia Private\*? — 1 person, 1 kudos/)
    expect(priv).toMatch(/Emil Employee/)
  })
})
