/**
 * One organisation across Slack and Teams, end to end in one Beacon process: the operator links a
 * Slack workspace and a Teams tenant (`beacon org link`), then `/kb` from either side searches both,
 * and permissions follow the person: a private Slack channel's item is found from Teams only by
 * someone whose verified email matches a member of that channel. Unlinking restores two islands.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TENANT } from '../adapters/teams/activities.ts'
import { itemContent, startOrgWorld, type OrgWorld, type TeamsPerson } from './org-support.ts'

const SLACK = 'slack:T1'
const TEAMS = `teams:${TENANT}`
/** A tenant linked into a different organisation, with someone using Alice's email. */
const OTHER_TENANT = '0ther000-0000-0000-0000-0000000000ff'
const THIRD_TENANT = '7hird000-0000-0000-0000-0000000000ee'

// Teams side. Alice's UPN differs from her Slack email in case and spacing only: still her.
const T_ALICE: TeamsPerson = { id: '29:alice', name: 'Alice Martin', aadObjectId: 'aad-alice', upn: '  Alice.Martin@ACME.test ' }
const T_BOB: TeamsPerson = { id: '29:bob', name: 'Bob Chen', aadObjectId: 'aad-bob', upn: 'bob.chen@acme.test' }
const T_CAROL: TeamsPerson = { id: '29:carol', name: 'Carol Diaz', aadObjectId: 'aad-carol', upn: 'carol@contractor.test' }
const T_NOMAIL: TeamsPerson = { id: '29:guest', name: 'Guest', aadObjectId: 'aad-guest' }
const OTHER_ALICE: TeamsPerson = { id: '29:alice2', name: 'Alice Martin', aadObjectId: 'aad-alice-other', upn: 'alice.martin@acme.test' }

const PRIVATE_LINK = 'https://acme.slack.com/archives/G1/p1712000000000100'
const PUBLIC_LINK = 'https://acme.slack.com/archives/C1/p1712000000000200'
const TEAMS_LINK = 'https://teams.microsoft.com/l/message/19%3Aabc%40thread.tacv2/1712000300001'

let w: OrgWorld

const privateTitle = 'Rotating the vault unseal keys'
const publicTitle = 'Vault onboarding checklist'
const teamsTitle = 'Vault access for finance'

beforeAll(async () => {
  w = await startOrgWorld()
  const s = w.slack
  s.users.set('UALICE', { id: 'UALICE', name: 'alice', real_name: 'Alice Martin', is_admin: true, profile: { email: 'alice.martin@acme.test' } })
  s.users.set('UBOB', { id: 'UBOB', name: 'bob', real_name: 'Bob Chen', profile: { email: 'bob.chen@acme.test' } })
  s.channels.set('G1', { id: 'G1', name: 'secret-ops', is_private: true })
  s.channels.set('C1', { id: 'C1', name: 'general' })
  s.members.set('G1', ['UALICE'])
  s.members.set('C1', ['UALICE', 'UBOB'])

  // Each side has used Beacon once, so Beacon knows both workspaces (what `org link` requires).
  await w.slackCommand('UBOB', '/kb', '')
  await w.teams(T_BOB, 'kb')
  await w.teams(OTHER_ALICE, 'kb', OTHER_TENANT)
  await w.teams(OTHER_ALICE, 'kb', THIRD_TENANT)

  const repo = w.h.ctx.repos.knowledge
  const now = { now: new Date(), reactivate: true }
  await repo.upsert(
    itemContent(SLACK, {
      title: privateTitle,
      body: 'Unseal keys rotate quarterly; vault runbook in the ops repo.',
      conversation: { id: 'G1', name: 'secret-ops', privacy: 'private' },
      permalink: PRIVATE_LINK,
    }),
    { ...now, saver: { personId: 'UALICE', via: 'reaction' } },
  )
  await repo.upsert(
    itemContent(SLACK, {
      title: publicTitle,
      body: 'Request vault access through the portal.',
      conversation: { id: 'C1', name: 'general', privacy: 'public' },
      permalink: PUBLIC_LINK,
    }),
    { ...now, saver: { personId: 'UBOB', via: 'reaction' } },
  )
  await repo.upsert(
    itemContent(TEAMS, {
      title: teamsTitle,
      body: 'Finance gets vault access from the platform team.',
      conversation: { id: '19:abc@thread.tacv2', name: 'design', privacy: 'public' },
      permalink: TEAMS_LINK,
    }),
    { ...now, saver: { personId: 'aad-bob', via: 'action' } },
  )
  await repo.upsert(
    itemContent(`teams:${OTHER_TENANT}`, {
      title: 'Vault notes of another company',
      body: 'vault',
      conversation: { id: '19:x@thread.tacv2', name: 'x', privacy: 'public' },
      permalink: 'https://teams.microsoft.com/l/message/other',
    }),
    { ...now, saver: { personId: 'aad-alice-other', via: 'action' } },
  )
})
afterAll(async () => {
  await w?.close()
})

describe('one organisation across Slack and Teams', () => {
  it('before linking, each platform is an island', async () => {
    const fromTeams = await w.teams(T_ALICE, 'kb vault')
    expect(fromTeams).toContain(teamsTitle)
    expect(fromTeams).not.toContain(publicTitle)
    expect(fromTeams).not.toContain(privateTitle)
    const fromSlack = await w.slackCommand('UALICE', '/kb', 'vault')
    expect(fromSlack).toContain(privateTitle)
    expect(fromSlack).not.toContain(teamsTitle)
  })

  it('the operator links them; bad input is refused and changes nothing', async () => {
    expect(await w.org('link', SLACK, 'teams:not a tenant')).toMatchObject({ code: 2, text: expect.stringContaining('is not a workspace id') })
    expect(await w.org('link', SLACK, 'slack:T0NOPE')).toMatchObject({ code: 2, text: expect.stringContaining('Beacon does not know slack:T0NOPE') })
    expect(await w.org('link', SLACK, SLACK)).toMatchObject({ code: 2, text: expect.stringContaining('at least two different workspaces') })
    expect(await w.org('list')).toMatchObject({ code: 0, text: expect.stringContaining('No organisations') })

    const linked = await w.org('link', SLACK, TEAMS)
    expect(linked.code).toBe(0)
    expect(linked.text).toContain(`${SLACK} (Slack · Acme)`)
    expect(await w.org('link', TEAMS, SLACK)).toMatchObject({ code: 0, text: expect.stringContaining('Already linked') })

    // Another company's tenants form their own organisation; joining ours to theirs is refused.
    expect((await w.org('link', `teams:${OTHER_TENANT}`, `teams:${THIRD_TENANT}`)).code).toBe(0)
    const before = (await w.org('list')).text
    const clash = await w.org('link', TEAMS, `teams:${OTHER_TENANT}`)
    expect(clash.code).toBe(2)
    expect(clash.text).toContain('already in different organisations')
    expect(clash.text).toContain('Nothing was changed')
    expect((await w.org('list')).text).toBe(before)
  })

  it('/beacon help shows a workspace admin the link (read-only), and nobody else', async () => {
    const admin = await w.slackCommand('UALICE', '/beacon', 'help')
    expect(admin).toMatch(/Organisation org-\w+.*linked with Teams · /)
    expect(admin).toContain('beacon org link|unlink|list')
    expect(await w.slackCommand('UBOB', '/beacon', 'help')).not.toContain('Organisation')
  })

  it('a Teams member of the private Slack channel (same email) finds its item, with where it lives and a link', async () => {
    const seen = await w.teams(T_ALICE, 'kb vault')
    expect(seen).toContain(privateTitle)
    expect(seen).toContain(PRIVATE_LINK)
    expect(seen).toContain('Slack · Acme · #secret-ops')
    expect(seen).toContain(publicTitle)
    expect(seen).toContain(teamsTitle)
    expect(seen).not.toContain('another company')
  })

  it('a Teams person who is on Slack but not in that channel, or not on Slack at all, sees only public Slack items', async () => {
    for (const who of [T_BOB, T_CAROL, T_NOMAIL]) {
      const seen = await w.teams(who, 'kb vault')
      expect(seen, who.name).toContain(publicTitle)
      expect(seen, who.name).toContain(teamsTitle)
      expect(seen, who.name).not.toContain(privateTitle)
    }
  })

  it('someone with the same email in another organisation sees nothing of this one', async () => {
    const seen = await w.teams(OTHER_ALICE, 'kb vault', OTHER_TENANT)
    expect(seen).toContain('another company')
    expect(seen).not.toContain(privateTitle)
    expect(seen).not.toContain(publicTitle)
    expect(seen).not.toContain(teamsTitle)
  })

  it('from Slack, /kb finds the Teams item and says it lives in Teams', async () => {
    const seen = await w.slackCommand('UBOB', '/kb', 'finance vault')
    expect(seen).toContain(teamsTitle)
    expect(seen).toMatch(/Teams · [^·]+ · #design/)
    // One workspace has an item with every word: the other's items with only "vault" stay out.
    expect(seen).toContain('Knowledge for')
    expect(seen).not.toContain(publicTitle)
  })

  it('when no item anywhere has every word, /kb shows items of both places that have some of them', async () => {
    const seen = await w.slackCommand('UBOB', '/kb', 'vault payroll')
    expect(seen).toContain('these match some of them')
    expect(seen).toContain(publicTitle)
    expect(seen).toContain(teamsTitle)
    expect(seen).not.toContain(privateTitle)
  })

  it('unlinking restores separation', async () => {
    const out = await w.org('unlink', TEAMS)
    expect(out).toMatchObject({ code: 0, text: expect.stringContaining('dissolved') })
    const seen = await w.teams(T_ALICE, 'kb vault')
    expect(seen).toContain(teamsTitle)
    expect(seen).not.toContain(privateTitle)
    expect(seen).not.toContain(publicTitle)
    expect(await w.slackCommand('UBOB', '/kb', 'finance vault')).not.toContain(teamsTitle)
    expect(await w.org('unlink', TEAMS)).toMatchObject({ code: 2, text: expect.stringContaining('not in any organisation') })
    expect(w.h.ctx.db.$client.prepare('SELECT count(*) AS n FROM organisation_identities WHERE workspace_id IN (?, ?)').get(SLACK, TEAMS)).toEqual({
      n: 0,
    })
  })
})
