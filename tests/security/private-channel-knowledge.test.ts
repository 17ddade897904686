/**
 * A channel that becomes private takes its saved knowledge with it. Linus is in the workspace but
 * not in #plans; Ada and Grace are. Through signed Slack requests on the real composition root:
 *  - a thread saved while #plans was public is hidden from Linus the moment Slack says the channel
 *    was converted (message subtype channel_convert_to_private), and Ada still finds it;
 *  - without that event (missed, or Beacon was down), search re-asks Slack (conversations.info) at
 *    most a minute later and hides it then;
 *  - a thread saved after the conversion is stored as private although Beacon's cached
 *    `conversations` row still said public;
 *  - private → public is conservative: what was saved while private stays members-only, what is
 *    saved afterwards is public.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FakeSlackApi } from '../support/fake-slack-api.ts'
import { post, signedForm, signedJson } from '../support/slack-signing.ts'
import { envelope, SIGNING_SECRET, startHarness, type Harness } from '../adapters/slack/harness.ts'
import { itemsOfThread, jobsIdle } from '../e2e/knowledge-support.ts'
import { waitFor } from '../support/wait.ts'
import { TestClock } from '../support/test-clock.ts'

const ADA = 'U1'
const GRACE = 'U2'
const LINUS = 'U3'

describe('knowledge from a Slack channel that changes privacy', () => {
  const fake = new FakeSlackApi()
  const clock = TestClock.followingWallClock()
  let h: Harness
  let seq = 0

  beforeAll(async () => {
    await fake.start()
    for (const [id, name] of [
      [ADA, 'Ada'],
      [GRACE, 'Grace'],
      [LINUS, 'Linus'],
    ] as const)
      fake.users.set(id, { id, name: name.toLowerCase(), real_name: name, tz: 'UTC', profile: { display_name: name } })
    fake.channels.set('C1', { id: 'C1', name: 'general', is_private: false })
    for (const c of ['C5', 'C6', 'C7']) {
      fake.channels.set(c, { id: c, name: `plans-${c}`, is_private: false })
      fake.members.set(c, [ADA, GRACE])
    }
    fake.channels.set('C8', { id: 'C8', name: 'was-secret', is_private: true })
    fake.members.set('C8', [ADA, GRACE])
    fake.storePosts = true
    h = await startHarness({ compose: true, fake, composeOptions: { clock } })
  })
  afterAll(async () => h?.close())

  const event = (e: Record<string, unknown>) =>
    post(h.eventsUrl, signedJson(SIGNING_SECRET, envelope(e, { event_time: Math.floor(clock.now().getTime() / 1000) })))

  async function kb(user: string, text: string): Promise<string> {
    const id = `kb-${++seq}`
    const r = await post(
      h.eventsUrl,
      signedForm(SIGNING_SECRET, {
        token: 't',
        team_id: 'T1',
        team_domain: 'acme',
        channel_id: 'C1',
        channel_name: 'general',
        user_id: user,
        user_name: user,
        command: '/kb',
        text,
        api_app_id: 'A1',
        response_url: fake.responseUrl(id),
        trigger_id: `trig.${id}`,
      }),
    )
    expect(r.status).toBe(200)
    const answer = await waitFor(() => fake.responses.find((x) => x.id === id), `/kb ${text}`)
    return `${String(answer.body.text ?? '')}\n${JSON.stringify(answer.body.blocks ?? [])}`
  }

  /** A thread in `channel` whose root mentions `word`, saved by Ada with the bookmark reaction. */
  async function saveThread(channel: string, ts: string, word: string): Promise<void> {
    fake.addMessage(channel, { ts, thread_ts: ts, user: GRACE, text: `What is the plan for the ${word} reorg?` })
    fake.addMessage(channel, { ts: `${ts.split('.')[0]}.000200`, thread_ts: ts, user: ADA, text: `The ${word} reorg lands in March` })
    const r = await event({
      type: 'reaction_added',
      user: ADA,
      reaction: 'bookmark',
      item_user: GRACE,
      item: { type: 'message', channel, ts },
      event_ts: `${Date.now() / 1000}`,
    })
    expect(r.status).toBe(200)
    await waitFor(() => itemsOfThread(h.ctx.db, `slack:T1:${channel}:${ts}`).length === 1, `the thread in ${channel} saved`)
    await jobsIdle(h.ctx.db)
  }

  const convert = (channel: string, to: 'private' | 'public') => {
    fake.channels.set(channel, { ...fake.channels.get(channel)!, is_private: to === 'private' })
    return event({
      type: 'message',
      subtype: `channel_convert_to_${to}`,
      channel,
      channel_type: to === 'private' ? 'group' : 'channel',
      user: ADA,
      text: `made this channel *${to}*`,
      ts: `${Math.floor(clock.now().getTime() / 1000)}.000${++seq}`,
      event_ts: `${Date.now() / 1000}`,
    })
  }

  const privacyOf = (channel: string, ts: string) => itemsOfThread(h.ctx.db, `slack:T1:${channel}:${ts}`)[0]!.privacy

  it('a conversion event hides existing items from non-members at once; members still find them', async () => {
    await saveThread('C5', '1700000500.000100', 'walrus')
    expect(await kb(LINUS, 'walrus')).toContain('walrus reorg')

    expect((await convert('C5', 'private')).status).toBe(200)
    await waitFor(() => privacyOf('C5', '1700000500.000100') === 'private', 'the item re-classified')
    expect(await kb(LINUS, 'walrus')).toContain('No saved knowledge matches')
    expect(await kb(ADA, 'walrus')).toContain('walrus reorg')
  })

  it('without the event, search asks Slack again within a minute and hides it then', async () => {
    await saveThread('C6', '1700000600.000100', 'narwhal')
    expect(await kb(LINUS, 'narwhal')).toContain('narwhal reorg')
    fake.channels.set('C6', { ...fake.channels.get('C6')!, is_private: true }) // the event never came
    clock.advance(61_000)
    expect(await kb(LINUS, 'narwhal')).toContain('No saved knowledge matches')
    expect(await kb(GRACE, 'narwhal')).toContain('narwhal reorg')
  })

  it('a thread saved after the conversion is stored as private, though the cached row said public', async () => {
    await saveThread('C7', '1700000700.000100', 'pelican') // Beacon now has C7 cached as public
    expect(h.ctx.db.$client.prepare(`SELECT privacy FROM conversations WHERE id = 'C7'`).get()).toEqual({ privacy: 'public' })
    expect((await convert('C7', 'private')).status).toBe(200)
    await saveThread('C7', '1700000701.000100', 'puffin')
    expect(privacyOf('C7', '1700000701.000100')).toBe('private')
    expect(await kb(LINUS, 'puffin')).toContain('No saved knowledge matches')
    expect(await kb(ADA, 'puffin')).toContain('puffin reorg')
  })

  it('private → public: what was saved while private stays members-only; new saves are public', async () => {
    await saveThread('C8', '1700000800.000100', 'otter')
    expect(privacyOf('C8', '1700000800.000100')).toBe('private')
    expect((await convert('C8', 'public')).status).toBe(200)
    clock.advance(61_000)
    await saveThread('C8', '1700000801.000100', 'beaver')
    expect(privacyOf('C8', '1700000801.000100')).toBe('public')
    expect(await kb(LINUS, 'beaver')).toContain('beaver reorg')
    expect(await kb(LINUS, 'otter')).toContain('No saved knowledge matches')
    expect(await kb(ADA, 'otter')).toContain('otter reorg')
  })
})
