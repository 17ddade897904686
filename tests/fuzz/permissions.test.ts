/**
 * Permission matrix as a property. The fixed matrix (private channel: member finds, non-member does
 * not, re-checked at search time; another workspace never sees it) is in the e2e suites:
 * tests/e2e/knowledge-slack-search.test.ts and tests/e2e/knowledge-teams.test.ts (member / non-member /
 * other tenant). This extends the Slack one over the search syntax: whatever a non-member or
 * another workspace types — the item's own words, its channel, its author, quotes, prefixes,
 * operators — the private item never shows, while a member still finds it.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FakeSlackApi } from '../support/fake-slack-api.ts'
import { post, signedForm, signedJson } from '../support/slack-signing.ts'
import { envelope, SIGNING_SECRET, startHarness, type Harness } from '../adapters/slack/harness.ts'
import { params } from './support.ts'
import { waitFor } from '../support/wait.ts'

const ROOT = '1700000500.000100'
const TITLE = 'Incident bluefalcon postmortem notes'

describe('private knowledge under arbitrary searches', () => {
  const fake = new FakeSlackApi()
  let h: Harness
  let n = 0

  async function kb(text: string, user: string, team = 'T1', channel = 'C1'): Promise<string> {
    const id = `perm-${++n}`
    const res = await post(
      h.eventsUrl,
      signedForm(SIGNING_SECRET, {
        token: 't',
        team_id: team,
        team_domain: 'acme',
        channel_id: channel,
        channel_name: 'general',
        user_id: user,
        user_name: user.toLowerCase(),
        command: '/kb',
        text,
        api_app_id: 'A1',
        is_enterprise_install: 'false',
        response_url: fake.responseUrl(id),
        trigger_id: `trig.${id}`,
      }),
    )
    expect(res.status).toBe(200)
    const answer = await waitFor(() => fake.responses.find((r) => r.id === id), `the answer to /kb ${text.slice(0, 30)}`)
    return `${String(answer.body.text ?? '')}\n${JSON.stringify(answer.body.blocks ?? [])}`
  }

  beforeAll(async () => {
    await fake.start()
    for (const [id, name] of [
      ['U1', 'Ada Lovelace'],
      ['U2', 'Grace Hopper'],
      ['U3', 'Linus Torvalds'],
    ] as const) {
      fake.users.set(id, {
        id,
        name: name.split(' ')[0]!.toLowerCase(),
        real_name: name,
        tz: 'UTC',
        profile: { display_name: name, real_name: name },
      })
    }
    fake.channels.set('C1', { id: 'C1', name: 'general', is_private: false })
    fake.channels.set('G1', { id: 'G1', name: 'secret-ops', is_private: true })
    fake.members.set('G1', ['U1', 'U2'])
    fake.addMessage('G1', { ts: ROOT, thread_ts: ROOT, user: 'U1', text: TITLE })
    fake.addMessage('G1', { ts: '1700000500.000200', thread_ts: ROOT, user: 'U2', text: 'Root cause was the expired quasar certificate #security' })
    h = await startHarness({ compose: true, fake })
    const body = envelope({
      type: 'reaction_added',
      user: 'U1',
      reaction: 'bookmark',
      item_user: 'U1',
      item: { type: 'message', channel: 'G1', ts: ROOT },
      event_ts: '1',
    })
    expect((await post(h.eventsUrl, signedJson(SIGNING_SECRET, body))).status).toBe(200)
    await waitFor(async () => (await kb('quasar', 'U2')).includes(TITLE), 'the private item to be findable by a member')
  })
  afterAll(async () => {
    await h?.close()
  })

  const words = ['quasar', 'bluefalcon', 'postmortem', 'incident', 'certificate', 'notes', 'root', 'cause', 'expired']
  const query = fc
    .array(
      fc.oneof(
        fc.constantFrom(...words),
        fc.constantFrom(...words).map((w) => `${w.slice(0, 3)}`),
        fc.constantFrom(...words).map((w) => `"${w}`),
        fc.constantFrom(...words).map((w) => `${w}*`),
        fc.constantFrom(
          'in:#secret-ops',
          'in:#G1',
          'in:<#G1|secret-ops>',
          'from:@Ada',
          'from:<@U1>',
          'tag:security',
          'NEAR',
          'OR',
          'NOT',
          '-',
          '(',
          ')',
          '*',
          '',
        ),
      ),
      { maxLength: 6 },
    )
    .map((xs) => xs.join(' '))

  it('a non-member, or anyone in another workspace, never sees it; a member does', { timeout: 90_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(query, fc.constantFrom({ user: 'U3', team: 'T1' }, { user: 'U1', team: 'T9' }, { user: 'U2', team: 'T9' }), async (q, who) => {
        const shown = await kb(q, who.user, who.team)
        // The answer may echo the query; what must never appear is the item: its title, its text, its link.
        expect(shown).not.toContain(TITLE)
        expect(shown).not.toContain('Root cause was')
        expect(shown).not.toContain('archives/G1')
      }),
      params(80),
    )
    expect(await kb('quasar', 'U1')).toContain(TITLE)
  })
})
