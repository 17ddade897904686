/**
 * Kudos across one organisation, end to end in one Beacon process serving fake Slack and fake
 * Teams: thanks to the same person (same verified email) from both platforms add up on one
 * leaderboard row, a giver on both sides counts once, one daily allowance and one weekly cap per
 * receiver span both, and `/kudos me` counts the person on both. Who may
 * see a kudos does not change: a Teams channel's kudos count only where that channel sees the board.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHANNEL, TEAM, TENANT } from '../adapters/teams/activities.ts'
import { waitFor } from '../support/wait.ts'
import { startOrgWorld, type OrgWorld, type TeamsPerson } from './org-support.ts'

const T_ALICE: TeamsPerson = { id: '29:alice', name: 'Alice Martin', aadObjectId: 'aad-alice', upn: 'Alice.Martin@acme.test' }
const T_BOB: TeamsPerson = { id: '29:bob', name: 'Bob Chen', aadObjectId: 'aad-bob', upn: 'bob.chen@acme.test' }
const T_CAROL: TeamsPerson = { id: '29:carol', name: 'Carol Diaz', aadObjectId: 'aad-carol', upn: 'carol@acme.test' }
const T_DAN: TeamsPerson = { id: '29:dan', name: 'Dan Roe', aadObjectId: 'aad-dan', upn: 'dan@acme.test' }

let w: OrgWorld

/** What a person reads, without markup (Slack shows **bold** as *bold*). */
const plain = (answer: string) => answer.replace(/\\n/g, '\n').replace(/\*/g, '')

/** The numbered rows of a `kudos top` answer, e.g. "1. Alice Martin — 2 people, 3 kudos". */
function board(answer: string): string[] {
  return [...new Set([...answer.replace(/\\n/g, '\n').matchAll(/^\d+\. [^\n"]+/gm)].map((m) => m[0].replace(/\*/g, '')))]
}

beforeAll(async () => {
  // Carol administers Beacon (by email): she may turn the digest on in the Teams channel.
  w = await startOrgWorld({ KUDOS_DAILY_ALLOWANCE: '3', KUDOS_WEEKLY_PER_PERSON: '2', BEACON_ADMINS: 'carol@acme.test' })
  const s = w.slack
  s.users.set('UALICE', {
    id: 'UALICE',
    name: 'alice',
    real_name: 'Alice Martin',
    profile: { display_name: 'Alice Martin', email: 'alice.martin@acme.test' },
  })
  s.users.set('UBOB', { id: 'UBOB', name: 'bob', real_name: 'Bob Chen', profile: { display_name: 'Bob Chen', email: 'bob.chen@acme.test' } })
  s.channels.set('C1', { id: 'C1', name: 'general' })
  s.users.set('UDAN', { id: 'UDAN', name: 'dan', real_name: 'Dan Roe', profile: { display_name: 'Dan Roe', email: 'dan@acme.test' } })
  s.members.set('C1', ['UALICE', 'UBOB', 'UDAN'])
  const everyone = [T_ALICE, T_BOB, T_CAROL, T_DAN].map((p) => ({
    id: p.id,
    name: p.name,
    aadObjectId: p.aadObjectId,
    ...(p.upn ? { userPrincipalName: p.upn } : {}),
  }))
  w.h.connector.members.set(TEAM.id, everyone)
  w.h.connector.members.set(CHANNEL.id, everyone)
  // Everyone has used Beacon once: both workspaces are known, Teams' "@Name" resolves.
  for (const p of [T_ALICE, T_BOB, T_CAROL, T_DAN]) await w.teams(p, 'help')
  await w.slackCommand('UBOB', '/kudos', 'me')
  expect((await w.org('link', 'slack:T1', `teams:${TENANT}`)).code).toBe(0)
})
afterAll(async () => {
  await w?.close()
})

describe('kudos across one organisation', () => {
  it('thanks from Slack and Teams to the same person add up on one board row, each giver counted once', async () => {
    expect(await w.slackCommand('UBOB', '/kudos', '<@UALICE|alice> for the migration')).toContain('gave kudos to')
    expect(await w.teamsChannel(T_CAROL, 'kudos <at>Alice Martin</at> for the review')).toContain('gave kudos to')
    expect(await w.teamsChannel(T_BOB, 'kudos <at>Alice Martin</at> for pairing')).toContain('gave kudos to')

    // In the Teams channel: its own kudos plus the public ones from Slack; Bob (both sides) is one person.
    expect(board(await w.teamsChannel(T_CAROL, 'kudos top'))).toEqual(['1. Alice Martin — 2 people, 3 kudos'])
    // A Teams channel's kudos stay with its audience (Teams conversations are members-only): Slack's
    // public board shows Slack's public kudos, still on the one row for Alice.
    expect(board(await w.slackCommand('UBOB', '/kudos', 'top'))).toEqual(['1. Alice Martin — 1 person, 1 kudos'])
  })

  it('/kudos me counts the person across the organisation', async () => {
    // Alice on Slack: thanked once there, twice on Teams — by Bob (both sides: one person) and Carol.
    expect(plain(await w.slackCommand('UALICE', '/kudos', 'me'))).toContain('This week: received 3 kudos from 2 people')
    expect(plain(await w.teams(T_BOB, 'kudos me'))).toContain('This week: received 0 kudos from 0 people, gave 2')
  })

  it('one weekly cap per receiver and one daily allowance per person, across both platforms', async () => {
    // Bob thanked Alice once on each side: with a cap of 2 a week, neither side lets him a third time.
    expect(plain(await w.slackCommand('UBOB', '/kudos', '<@UALICE> for the docs'))).toContain('You’ve already given Alice Martin 2 kudos this week')
    expect(await w.slackCommand('UBOB', '/kudos', '<@UDAN> for the release')).toContain('gave kudos to')
    // That was his third today (of 3): none left on either side.
    expect(await w.slackCommand('UBOB', '/kudos', '<@UDAN> for the fix')).toContain('You’ve used all 3 of today’s kudos')
    expect(await w.teams(T_BOB, 'kudos me')).toContain('You can give 0 more kudos today (of 3)')
    expect(w.h.ctx.db.$client.prepare("SELECT count(*) AS n FROM kudos WHERE giver_id IN ('UBOB', 'aad-bob')").get()).toEqual({ n: 3 })
  })

  it('two gives at once from one person’s two accounts at the allowance edge: exactly one goes through', async () => {
    expect(await w.teams(T_DAN, 'kudos <at>Carol Diaz</at> for the plan')).toContain('gave kudos to')
    expect(await w.slackCommand('UDAN', '/kudos', '<@UALICE> for the talk')).toContain('gave kudos to')
    // One left of 3: Slack and Teams ask at the same moment.
    const answers = await Promise.all([
      w.slackCommand('UDAN', '/kudos', '<@UBOB> for the review'),
      w.teams(T_DAN, 'kudos <at>Carol Diaz</at> for the notes'),
    ])
    expect(answers.filter((a) => a.includes('gave kudos to'))).toHaveLength(1)
    expect(answers.filter((a) => a.includes('You’ve used all 3 of today’s kudos'))).toHaveLength(1)
    expect(w.h.ctx.db.$client.prepare("SELECT count(*) AS n FROM kudos WHERE giver_id IN ('UDAN', 'aad-dan')").get()).toEqual({ n: 3 })
  })

  it('the weekly digest in the Teams channel ranks people across the organisation', async () => {
    expect(await w.teamsChannel(T_CAROL, 'kudos digest on')).toContain('weekly kudos digest is on')
    const before = w.h.connector.messages().length
    await w.h.ctx.queue.runNow('recognition.weekly-digest', {})
    const digest = await waitFor(
      () =>
        w.h.connector
          .messages()
          .slice(before)
          .find((c) => JSON.stringify(c.body ?? {}).includes('This week in kudos')),
      'the digest in the Teams channel',
    )
    // Alice: Bob (Slack and Teams: one person), Dan (Slack, public) and Carol (Teams) — 3 people,
    // where the tenant alone would know 2.
    expect(plain(JSON.stringify(digest.body))).toContain('1. Alice Martin — 3 people')
  })

  it('after unlinking, each platform counts its own again', async () => {
    expect((await w.org('unlink', 'slack:T1')).code).toBe(0)
    // Slack counts its own: Alice thanked by Bob and Dan there; Teams: by Carol and Bob there.
    expect(board(await w.slackCommand('UBOB', '/kudos', 'top'))[0]).toBe('1. Alice Martin — 2 people, 2 kudos')
    expect(plain(await w.slackCommand('UALICE', '/kudos', 'me'))).toContain('This week: received 2 kudos from 2 people')
    expect(board(await w.teamsChannel(T_CAROL, 'kudos top'))[0]).toBe('1. Alice Martin — 2 people, 2 kudos')
  })
})
