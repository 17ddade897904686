import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { SlackDirectory } from '../../../adapters/slack/people-cache.ts'
import { SlackClients } from '../../../adapters/slack/slack-clients.ts'
import { SlackPlatform } from '../../../adapters/slack/slack-platform.ts'
import { slackThreadId } from '../../../adapters/slack/translate-message.ts'
import { silentLogger } from '../../../src/core/logger.ts'
import { openMemoryDb } from '../../../src/storage/db.ts'
import { sqliteRepositories, type Repositories } from '../../../src/storage/repositories/index.ts'
import { FakeSlackApi } from '../../support/fake-slack-api.ts'
import { TestClock } from '../../support/test-clock.ts'

let fake: FakeSlackApi
let platform: SlackPlatform
let repos: Repositories
const clock = TestClock.at(Date.UTC(2025, 0, 1))
const C1 = { workspace: 'slack:T1', id: 'C1' }

beforeAll(async () => {
  fake = await new FakeSlackApi().start()
})
afterAll(async () => {
  await fake.stop()
})
beforeEach(() => {
  fake.calls.length = 0
  repos = sqliteRepositories(openMemoryDb())
  const clients = new SlackClients(
    { slackApiUrl: fake.apiUrl, retryConfig: { retries: 1, minTimeout: 5, maxTimeout: 10 }, logger: undefined },
    { botToken: 'xoxb-t' },
  )
  platform = new SlackPlatform(clients, new SlackDirectory(clients, repos, clock, silentLogger))
})

describe('SlackPlatform', () => {
  it('declares what Slack can do', () => {
    expect(platform.caps).toEqual({ reactions: true, ephemeral: true, modals: true, home: true })
  })

  it('fetches a whole thread across every page, root first, without our own notes', async () => {
    fake.messages.clear()
    fake.users.set('U1', { id: 'U1', profile: { display_name: '', real_name: 'Ada L' }, real_name: 'Ada L', name: 'ada' })
    fake.addMessage('C1', { ts: '100.0', thread_ts: '100.0', user: 'U1', text: 'Q: <#C9|ops> &amp; vpn?' })
    for (let i = 1; i <= 5; i++) fake.addMessage('C1', { ts: `10${i}.0`, thread_ts: '100.0', user: 'U1', text: `answer ${i}` })
    fake.addMessage('C1', { ts: '107.0', thread_ts: '100.0', user: 'UBOT', bot_id: 'BBOT', text: 'Saved to knowledge' })
    fake.addMessage('C1', { ts: '108.0', thread_ts: '100.0', user: 'U3', subtype: 'channel_join', text: 'joined' })
    const thread = await platform.fetchThread(slackThreadId('T1', 'C1', '100.0'))
    expect(thread.map((m) => m.text)).toEqual(['Q: #ops & vpn?', 'answer 1', 'answer 2', 'answer 3', 'answer 4', 'answer 5'])
    expect(thread[0]!.author.displayName).toBe('Ada L')
    const pages = fake.callsOf('conversations.replies')
    expect(pages.length).toBe(4) // 7 replies, 2 per page
    expect(pages.slice(1).map((p) => p.params.cursor)).toEqual(['2', '4', '6'])
  })

  it('finds the thread of a reacted reply (reaction events have no thread_ts)', async () => {
    fake.messages.clear()
    fake.addMessage('C1', { ts: '200.0', user: 'U1', text: 'root' })
    fake.addMessage('C1', { ts: '201.0', thread_ts: '200.0', user: 'U1', text: 'reply' })
    expect(await platform.threadOf(C1, '201.0')).toBe(slackThreadId('T1', 'C1', '200.0'))
    expect(await platform.threadOf(C1, '200.0')).toBe(slackThreadId('T1', 'C1', '200.0'))
  })

  it('checks membership over every page, and caches it briefly', async () => {
    fake.members.set('C2', ['U1', 'U2', 'U3', 'U4', 'U5'])
    expect(await platform.isMember('slack:T1', 'U5', 'C2')).toBe(true)
    expect(await platform.isMember('slack:T1', 'U9', 'C2')).toBe(false)
    expect(fake.callsOf('conversations.members')).toHaveLength(3)
    clock.advance(61_000)
    await platform.isMember('slack:T1', 'U5', 'C2')
    expect(fake.callsOf('conversations.members')).toHaveLength(6)
  })

  it('gets a person (display name fallback chain, tz), cached and stored', async () => {
    fake.users.set('U7', { id: 'U7', name: 'grace', tz: 'America/New_York', profile: { display_name: '', real_name: '' } })
    const p = await platform.getPerson('slack:T1', 'U7')
    expect(p).toEqual({ workspace: 'slack:T1', id: 'U7', displayName: 'grace', timezone: 'America/New_York', isBot: false })
    await platform.getPerson('slack:T1', 'U7')
    expect(fake.callsOf('users.info')).toHaveLength(1)
    expect(await repos.people.get('slack:T1', 'U7')).toEqual(p)
    // Slack down: the stored copy answers.
    clock.advance(2 * 3600_000)
    fake.failNext('users.info', { status: 503 }, 5)
    expect(await platform.getPerson('slack:T1', 'U7')).toEqual(p)
  })

  it('maps conversation privacy', async () => {
    fake.channels.set('C1', { id: 'C1', name: 'general' })
    fake.channels.set('G1', { id: 'G1', name: 'secret', is_private: true })
    fake.channels.set('D1', { id: 'D1', is_im: true, user: 'U404' })
    fake.channels.set('M1', { id: 'M1', name: 'mpdm-a--b', is_mpim: true, is_private: true })
    const privacy = await Promise.all(['C1', 'G1', 'D1', 'M1'].map(async (id) => (await platform.getConversation('slack:T1', id))?.privacy))
    expect(privacy).toEqual(['public', 'private', 'direct', 'direct'])
    expect((await platform.getConversation('slack:T1', 'D1'))?.name).toBe('DM with U404')
    expect(await platform.getConversation('slack:T1', 'CNOPE')).toBeUndefined()
  })

  it('posts in a thread, ephemerally, and by DM', async () => {
    const thread = slackThreadId('T1', 'C1', '300.0')
    const ref = await platform.post({ conversation: C1, threadId: thread }, { text: 'in **thread**' })
    expect(ref.threadId).toBe(thread)
    expect(fake.callsOf('chat.postMessage')[0]!.params).toMatchObject({ channel: 'C1', thread_ts: '300.0', text: 'in *thread*' })
    await platform.post({ conversation: C1, threadId: thread }, { text: 'psst', visibleTo: 'U1' })
    expect(fake.callsOf('chat.postEphemeral')[0]!.params).toMatchObject({ channel: 'C1', user: 'U1', thread_ts: '300.0' })
    const dm = await platform.post(
      { dmTo: { workspace: 'slack:T1', id: 'U1' } },
      { text: 'hello', card: { blocks: [{ type: 'text', text: 'card' }] } },
    )
    expect(fake.callsOf('conversations.open')[0]!.params.users).toBe('U1')
    expect(dm.conversation.id).toBe('DU1')
    const posted = fake.callsOf('chat.postMessage')[1]!.params
    expect(posted.text).toBe('hello')
    expect(posted.blocks).toEqual([{ type: 'section', text: { type: 'mrkdwn', text: 'card' } }])
    expect(fake.callsOf('chat.postMessage').every((c) => c.token === 'xoxb-t')).toBe(true)
  })

  it('updates, links and publishes home', async () => {
    const ref = { conversation: C1, id: '400.5', threadId: slackThreadId('T1', 'C1', '400.5') }
    await platform.update(ref, { text: 'edited' })
    expect(fake.callsOf('chat.update')[0]!.params).toMatchObject({ channel: 'C1', ts: '400.5', text: 'edited' })
    expect(await platform.permalink(ref)).toBe('https://acme.slack.com/archives/C1/p4005')
    fake.failNext('chat.getPermalink', { error: 'message_not_found' })
    expect(await platform.permalink(ref)).toBeUndefined()
    await platform.publishHome!('slack:T1', 'U1', { blocks: [{ type: 'divider' }] })
    expect(fake.callsOf('views.publish')[0]!.params).toMatchObject({ user_id: 'U1', view: { type: 'home', blocks: [{ type: 'divider' }] } })
  })

  it('turns Web API errors into thrown errors, not silent successes', async () => {
    fake.failNext('chat.postMessage', { error: 'channel_not_found' })
    await expect(platform.post({ conversation: C1 }, { text: 'x' })).rejects.toThrow(/channel_not_found/)
  })
})
