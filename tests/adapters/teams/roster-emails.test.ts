/**
 * Teams people by verified email before they ever talk to Beacon: once Beacon is installed in a
 * team, `findPersonByEmail` and `workspaceStanding` read the team's roster (paged members, email or
 * userPrincipalName) through the Bot Connector, once for a while, so the organisation matching
 * finds a Teams colleague's account from their Slack email.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHANNEL, TEAM, TENANT, installationUpdate } from './activities.ts'
import { withCapabilities, type Harness } from './harness.ts'

const WS = `teams:${TENANT}`
/** More members than one roster page (500): the match is on the second page. */
const crowd = Array.from({ length: 520 }, (_, i) => ({
  id: `29:p${i}`,
  name: `Person ${i}`,
  aadObjectId: `aad-p${i}`,
  userPrincipalName: `p${i}@acme.test`,
}))
const DANA = { id: '29:dana', name: 'Dana Scully', aadObjectId: 'aad-dana', email: 'Dana.Scully@ACME.test' }

describe('Teams people by email, from the team roster', () => {
  let h: Harness
  beforeAll(async () => {
    h = await withCapabilities([])
    h.connector.members.set(TEAM.id, [...crowd, DANA])
    expect((await h.post(installationUpdate(h.connector.serviceUrl, 'add', 'channel'))).status).toBe(200)
  })
  afterAll(() => h.close())

  const rosterReads = () => h.connector.calls.filter((c) => c.kind === 'pagedMembers').length

  it('finds a colleague who never used Beacon by email (any case), across roster pages', async () => {
    const teams = h.ctx.platforms.forWorkspace(WS)
    expect(await teams.findPersonByEmail?.(WS, 'dana.scully@acme.test')).toBe('aad-dana')
    expect(await teams.findPersonByEmail?.(WS, 'p3@acme.test')).toBe('aad-p3')
    expect(await teams.findPersonByEmail?.(WS, 'nobody@acme.test')).toBeUndefined()
    // One read of the roster (two pages) answered all three.
    expect(rosterReads()).toBe(2)
  })

  it('gives their email as their standing, though no conversation Beacon is in has them', async () => {
    const teams = h.ctx.platforms.forWorkspace(WS)
    expect(h.connector.members.get(CHANNEL.id)).toBeUndefined()
    expect(await teams.workspaceStanding?.(WS, 'aad-dana')).toEqual({ admin: false, email: 'dana.scully@acme.test' })
    expect(await teams.workspaceStanding?.(WS, 'aad-stranger')).toBeUndefined()
    expect(rosterReads()).toBe(2)
  })
})
