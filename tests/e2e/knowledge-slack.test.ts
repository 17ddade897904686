/**
 * Knowledge on Slack, end to end: composeBeacon(loadConfig(…)) + listen(0), a real SQLite file,
 * the real job queues (in-process; BullMQ on a real Redis in its own block), signed requests to
 * POST /slack/events and the fake Web API on SLACK_API_URL. Every assertion is something a person
 * in Slack would notice: the message posted, its text, what /kb answers, what App Home shows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FakeSlackApi, type ResponseUrlCall } from '../support/fake-slack-api.ts'
import { describeWithRedis, getTestRedis, type TestRedis } from '../support/redis.ts'
import { post, signedForm, signedInteraction, signedJson } from '../support/slack-signing.ts'
import { ENCRYPTION_KEY, envelope, SIGNING_SECRET, startHarness, type Harness } from '../adapters/slack/harness.ts'
import { DAY_MS, failedJobs, itemsOfThread, jobsIdle, settled, shownDate } from './knowledge-support.ts'
import { waitFor } from '../support/wait.ts'
import { TestClock } from '../support/test-clock.ts'

// ---------------------------------------------------------------- the workspace

const USERS = {
  U1: 'Ada Lovelace',
  U2: 'Grace Hopper',
  U3: 'Linus Torvalds',
  U4: 'Margaret Hamilton',
  U5: 'Ken Thompson',
  U6: 'Dennis Ritchie',
} as const

function seed(fake: FakeSlackApi): void {
  for (const [id, name] of Object.entries(USERS))
    fake.users.set(id, {
      id,
      name: name.split(' ')[0]!.toLowerCase(),
      real_name: name,
      tz: 'Europe/Paris',
      profile: { display_name: name, real_name: name },
    })
  fake.channels.set('C1', { id: 'C1', name: 'general', is_private: false })
  fake.channels.set('C2', { id: 'C2', name: 'help-desk', is_private: false })
  fake.channels.set('C3', { id: 'C3', name: 'random', is_private: false })
  fake.channels.set('G1', { id: 'G1', name: 'secret-ops', is_private: true })
  fake.members.set('G1', ['U1', 'U2'])
  fake.storePosts = true
}

/** Thread A in #general: a root and four replies, so conversations.replies takes two pages of two. */
const A = '1700000100.000100'
function seedThreadA(fake: FakeSlackApi): void {
  fake.addMessage('C1', { ts: A, thread_ts: A, user: 'U1', text: 'How do we rotate the staging kubeconfig credentials? #ops' })
  fake.addMessage('C1', {
    ts: '1700000100.000200',
    thread_ts: A,
    user: 'U2',
    text: 'Run the rotate script from the ops repo, then restart the pods.',
  })
  fake.addMessage('C1', { ts: '1700000100.000300', thread_ts: A, user: 'U3', text: '<@U2> which repo exactly?' })
  fake.addMessage('C1', {
    ts: '1700000100.000400',
    thread_ts: A,
    user: 'U2',
    text: 'The platform-tools repo, see <https://wiki.example.com/rotate|the runbook>.',
  })
  fake.addMessage('C1', { ts: '1700000100.000500', thread_ts: A, user: 'U1', text: 'Credentials expire every ninety days, so calendar it.' })
}

const threadId = (channel: string, ts: string, team = 'T1') => `slack:${team}:${channel}:${ts}`
const permalink = (channel: string, ts: string) => `https://acme.slack.com/archives/${channel}/p${ts.replace('.', '')}`

// ---------------------------------------------------------------- talking to Beacon like Slack does

interface Slack {
  h: Harness
  fake: FakeSlackApi
  clock: TestClock
}

let seq = 0

async function sendEvent(s: Slack, body: Record<string, unknown>, retryNum?: number): Promise<void> {
  const extraHeaders: Record<string, string> = retryNum ? { 'x-slack-retry-num': String(retryNum), 'x-slack-retry-reason': 'http_timeout' } : {}
  const r = await post(s.h.eventsUrl, signedJson(SIGNING_SECRET, body, { extraHeaders }))
  expect(r.status).toBe(200)
  expect(r.ms).toBeLessThan(3000)
}

function event(s: Slack, e: Record<string, unknown>, team = 'T1'): Record<string, unknown> {
  return envelope(e, { team_id: team, event_time: Math.floor(s.clock.now().getTime() / 1000) })
}

const reaction = (s: Slack, user: string, channel: string, ts: string, name = 'bookmark', team = 'T1') =>
  event(
    s,
    { type: 'reaction_added', user, reaction: name, item_user: 'U1', item: { type: 'message', channel, ts }, event_ts: `${Date.now() / 1000}` },
    team,
  )

interface Answer {
  body: Record<string, unknown>
  /** Fallback text plus every block, flattened: what the person reads. */
  all: string
}

function readable(call: ResponseUrlCall | { body: Record<string, unknown> }): Answer {
  return { body: call.body, all: `${String(call.body.text ?? '')}\n${JSON.stringify(call.body.blocks ?? [])}` }
}

async function command(s: Slack, cmd: string, text: string, user = 'U1', channel = { id: 'C1', name: 'general' }, team = 'T1'): Promise<Answer> {
  const id = `resp-${++seq}`
  const r = await post(
    s.h.eventsUrl,
    signedForm(SIGNING_SECRET, {
      token: 't',
      team_id: team,
      team_domain: 'acme',
      channel_id: channel.id,
      channel_name: channel.name,
      user_id: user,
      user_name: user.toLowerCase(),
      command: cmd,
      text,
      api_app_id: 'A1',
      is_enterprise_install: 'false',
      response_url: s.fake.responseUrl(id),
      trigger_id: `trig.${id}`,
    }),
  )
  expect(r.status).toBe(200)
  expect(r.ms).toBeLessThan(3000)
  return readable(await waitFor(() => s.fake.responses.find((x) => x.id === id), `the answer to ${cmd} ${text.slice(0, 40)}`))
}

const kb = (s: Slack, text: string, user = 'U1', channel = { id: 'C1', name: 'general' }, team = 'T1') => command(s, '/kb', text, user, channel, team)

function shortcut(s: Slack, user: string, channel: { id: string; name: string }, message: Record<string, unknown>) {
  const id = `resp-${++seq}`
  const payload = {
    type: 'message_action',
    callback_id: 'save_to_knowledge',
    trigger_id: `trig.${id}`,
    action_ts: `${Date.now() / 1000}`,
    team: { id: 'T1', domain: 'acme' },
    user: { id: user, username: user.toLowerCase(), team_id: 'T1' },
    channel,
    message,
    message_ts: message.ts,
    response_url: s.fake.responseUrl(id),
  }
  return { id, send: () => post(s.h.eventsUrl, signedInteraction(SIGNING_SECRET, payload)) }
}

/** "Saved to knowledge" messages Beacon posted in a thread. */
function confirmations(s: Slack, channel: string, root: string) {
  return s.fake
    .callsOf('chat.postMessage')
    .filter((c) => c.params.channel === channel && c.params.thread_ts === root && String(c.params.text).includes('Saved to knowledge'))
}

/** Resolves once Beacon stops calling Slack and the job table is idle. */
async function quiet(s: Slack): Promise<void> {
  await jobsIdle(s.h.ctx.db)
  await settled(() => s.fake.calls.length)
}

function resultTitles(a: Answer): string[] {
  // Each hit is a section "<permalink|title>\nsnippet"; the intro section has no link.
  const blocks = (a.body.blocks ?? []) as { type: string; text?: { text: string } }[]
  return blocks.flatMap((b) => (b.type === 'section' && b.text ? [...b.text.text.matchAll(/^<[^|]+\|([^>]+)>/g)].map((m) => m[1]!) : []))
}

// ---------------------------------------------------------------- in-process queue, one workspace

describe('Slack knowledge end to end (in-process queue)', () => {
  const fake = new FakeSlackApi()
  const clock = TestClock.followingWallClock()
  let s: Slack

  beforeAll(async () => {
    await fake.start()
    seed(fake)
    seedThreadA(fake)
    const h = await startHarness({ compose: true, fake, env: { KNOWLEDGE_REFRESH_DEBOUNCE_MS: '300' }, composeOptions: { clock } })
    s = { h, fake, clock }
  })
  afterAll(async () => {
    const failed = s ? failedJobs(s.h.ctx.db) : []
    await s?.h.close()
    // A job that failed for good is a bug somewhere even if every visible effect looked right.
    expect(failed).toEqual([])
  })

  it('the bookmark reaction on a REPLY saves the whole thread (every page) as one item, confirmed once naming the contributors', async () => {
    await sendEvent(s, reaction(s, 'U3', 'C1', '1700000100.000300'))
    const [confirmation] = await waitFor(() => confirmations(s, 'C1', A).length === 1 && confirmations(s, 'C1', A), 'the confirmation in thread A')
    const text = String(confirmation!.params.text)
    expect(text).toContain('Saved to knowledge')
    expect(text).toContain(`<${permalink('C1', A)}|How do we rotate the staging kubeconfig credentials? #ops>`)
    for (const name of ['Ada Lovelace', 'Grace Hopper', 'Linus Torvalds']) expect(text).toContain(`@${name}`)
    expect(text).not.toContain('Margaret')

    // The reply's thread was looked up, then the thread read root-first across two pages.
    const replies = fake.callsOf('conversations.replies')
    expect(replies.some((c) => c.params.ts === '1700000100.000300')).toBe(true)
    expect(replies.some((c) => c.params.ts === A && c.params.cursor)).toBe(true)

    // What the reply on page two said is findable: the whole thread was saved, not the reacted message.
    const found = await kb(s, 'ninety')
    expect(resultTitles(found)).toEqual(['How do we rotate the staging kubeconfig credentials? #ops'])
    expect(found.all).toContain('*ninety*')
    expect(itemsOfThread(s.h.ctx.db, threadId('C1', A))).toHaveLength(1)
    // Mentions and links read as names and links in the stored body.
    const body = itemsOfThread(s.h.ctx.db, threadId('C1', A))[0]!.body
    expect(body).toContain('@Grace Hopper which repo exactly?')
    expect(body).toContain('[the runbook](https://wiki.example.com/rotate)')
  })

  it('a second person, a retried event and two racing saves never make a second item or a second confirmation', async () => {
    const first = reaction(s, 'U2', 'C1', A)
    await sendEvent(s, first)
    await sendEvent(s, first, 1) // Slack retrying the same event_id
    await sendEvent(s, first, 2)
    // Two people saving the same thread at the same moment.
    await Promise.all([sendEvent(s, reaction(s, 'U4', 'C1', '1700000100.000500')), sendEvent(s, reaction(s, 'U5', 'C1', '1700000100.000200'))])
    await quiet(s)
    expect(confirmations(s, 'C1', A)).toHaveLength(1)
    expect(itemsOfThread(s.h.ctx.db, threadId('C1', A))).toHaveLength(1)
    expect(resultTitles(await kb(s, 'kubeconfig'))).toEqual(['How do we rotate the staging kubeconfig credentials? #ops'])

    // A brand-new thread saved by two people at once, with the event retried mid-race.
    const B = '1700000200.000100'
    fake.addMessage('C1', { ts: B, thread_ts: B, user: 'U5', text: 'Where is the VPN certificate bundle?' })
    fake.addMessage('C1', { ts: '1700000200.000200', thread_ts: B, user: 'U1', text: 'In the IT portal under downloads #vpn' })
    fake.addMessage('C1', { ts: '1700000200.000300', thread_ts: B, user: 'U2', text: 'And rename it to corp.ovpn' })
    const racing = reaction(s, 'U1', 'C1', B)
    await Promise.all([sendEvent(s, racing), sendEvent(s, reaction(s, 'U2', 'C1', '1700000200.000300')), sendEvent(s, racing, 1)])
    await waitFor(() => confirmations(s, 'C1', B).length > 0, 'the confirmation in thread B')
    await quiet(s)
    expect(confirmations(s, 'C1', B)).toHaveLength(1)
    expect(itemsOfThread(s.h.ctx.db, threadId('C1', B))).toHaveLength(1)
    expect(String(confirmations(s, 'C1', B)[0]!.params.text)).toMatch(/Ken Thompson.*Ada Lovelace.*Grace Hopper/)
  })

  it('the save_to_knowledge shortcut saves the whole thread the same way, once', async () => {
    const C = '1700000300.000100'
    fake.addMessage('C3', { ts: C, thread_ts: C, user: 'U3', text: 'What is the lunch_order process (Fridays)?' })
    fake.addMessage('C3', { ts: '1700000300.000200', thread_ts: C, user: 'U4', text: 'Post in the lunch sheet by 11, the papaya salad is popular' })
    fake.addMessage('C3', { ts: '1700000300.000300', thread_ts: C, user: 'U5', text: 'Budget is 15 per person' })
    fake.addMessage('C3', { ts: '1700000300.000400', thread_ts: C, user: 'U3', text: 'Thanks both!' })
    const message = {
      type: 'message',
      user: 'U4',
      ts: '1700000300.000200',
      thread_ts: C,
      text: 'Post in the lunch sheet by 11, the papaya salad is popular',
    }
    const sc = shortcut(s, 'U4', { id: 'C3', name: 'random' }, message)
    const r = await sc.send()
    expect(r.status).toBe(200)
    expect(r.ms).toBeLessThan(3000)
    const ack = readable(await waitFor(() => fake.responses.find((x) => x.id === sc.id), 'the shortcut answer'))
    expect(ack.body.response_type).toBe('ephemeral')
    expect(ack.all).toContain('Saving this thread')
    const [confirmation] = await waitFor(() => confirmations(s, 'C3', C).length === 1 && confirmations(s, 'C3', C), 'the confirmation in thread C')
    // Underscores and parentheses in a title are shown as typed, inside a working link.
    expect(String(confirmation!.params.text)).toContain(`<${permalink('C3', C)}|What is the lunch_order process (Fridays)?>`)
    expect(String(confirmation!.params.text)).toContain('@Linus Torvalds, @Margaret Hamilton, @Ken Thompson')

    // The same person again, and somebody else: still one item, one confirmation.
    await shortcut(s, 'U4', { id: 'C3', name: 'random' }, message).send()
    await shortcut(
      s,
      'U1',
      { id: 'C3', name: 'random' },
      { type: 'message', user: 'U3', ts: C, thread_ts: C, text: 'What is the lunch_order process (Fridays)?' },
    ).send()
    await quiet(s)
    expect(confirmations(s, 'C3', C)).toHaveLength(1)
    expect(itemsOfThread(s.h.ctx.db, threadId('C3', C))).toHaveLength(1)
    expect(resultTitles(await kb(s, 'papaya', 'U5'))).toEqual(['What is the lunch_order process (Fridays)?'])
  })

  it('a saved thread stays current: new replies, edits and deletions update it; deleting the root archives it', async () => {
    const D = '1700000400.000100'
    fake.addMessage('C1', { ts: D, thread_ts: D, user: 'U2', text: 'Deploy freeze policy for the holidays' })
    fake.addMessage('C1', { ts: '1700000400.000200', thread_ts: D, user: 'U1', text: 'Freeze starts december twentieth' })
    fake.addMessage('C1', { ts: '1700000400.000300', thread_ts: D, user: 'U3', text: 'Hotfixes need two approvals and a marmalade sandwich' })
    await sendEvent(s, reaction(s, 'U2', 'C1', D))
    await waitFor(() => confirmations(s, 'C1', D).length === 1, 'the confirmation in thread D')
    const titleD = 'Deploy freeze policy for the holidays'
    expect(resultTitles(await kb(s, 'twentieth'))).toEqual([titleD])

    // A new reply.
    fake.addMessage('C1', { ts: '1700000400.000400', thread_ts: D, user: 'U5', text: 'The exception list lives in the zebrafish doc #release' })
    await sendEvent(
      s,
      event(s, {
        type: 'message',
        channel: 'C1',
        channel_type: 'channel',
        user: 'U5',
        text: 'The exception list lives in the zebrafish doc #release',
        ts: '1700000400.000400',
        thread_ts: D,
      }),
    )
    await waitFor(async () => resultTitles(await kb(s, 'zebrafish')).includes(titleD), 'the new reply to become searchable')
    expect(resultTitles(await kb(s, 'tag:release'))).toEqual([titleD])

    // An edit.
    const previous = fake.messages.get('C1')!.find((m) => m.ts === '1700000400.000200')!
    const edited = fake.editMessage('C1', '1700000400.000200', 'Freeze starts december eighteenth')
    await sendEvent(
      s,
      event(s, {
        type: 'message',
        subtype: 'message_changed',
        hidden: true,
        channel: 'C1',
        channel_type: 'channel',
        ts: `${Date.now() / 1000}`,
        message: { type: 'message', ...edited },
        previous_message: { type: 'message', ...previous },
      }),
    )
    await waitFor(async () => resultTitles(await kb(s, 'eighteenth')).includes(titleD), 'the edit to become searchable')
    expect((await kb(s, 'twentieth')).all).toContain('No saved knowledge matches')

    // A deleted reply.
    const gone = fake.deleteMessage('C1', '1700000400.000300')
    await sendEvent(
      s,
      event(s, {
        type: 'message',
        subtype: 'message_deleted',
        hidden: true,
        channel: 'C1',
        channel_type: 'channel',
        ts: `${Date.now() / 1000}`,
        deleted_ts: gone.ts,
        previous_message: { type: 'message', ...gone },
      }),
    )
    await waitFor(async () => (await kb(s, 'marmalade')).all.includes('No saved knowledge matches'), 'the deleted reply to leave the item')
    expect(resultTitles(await kb(s, 'freeze'))).toEqual([titleD])
    // Beacon's own confirmation sits in the thread (the fake keeps bot posts) but never becomes content.
    const item = itemsOfThread(s.h.ctx.db, threadId('C1', D))[0]!
    expect(item.body).not.toContain('Saved to knowledge')
    expect(item.body).toContain('zebrafish')

    // The root deleted: the item is archived and no longer found.
    const root = fake.deleteMessage('C1', D)
    await sendEvent(
      s,
      event(s, {
        type: 'message',
        subtype: 'message_deleted',
        hidden: true,
        channel: 'C1',
        channel_type: 'channel',
        ts: `${Date.now() / 1000}`,
        deleted_ts: D,
        previous_message: { type: 'message', ...root },
      }),
    )
    await waitFor(async () => (await kb(s, 'freeze')).all.includes('No saved knowledge matches'), 'the archived item to leave search')
    expect(itemsOfThread(s.h.ctx.db, threadId('C1', D))).toMatchObject([{ status: 'archived' }])
    expect(confirmations(s, 'C1', D)).toHaveLength(1)
  })

  it('/kb answers on response_url with title, snippet, channel, date and link', async () => {
    const a = await kb(s, 'rotate kubeconfig')
    expect(a.body.response_type).toBe('ephemeral')
    const blocks = a.body.blocks as { type: string; text?: { text: string }; elements?: { text?: string | { text: string }; url?: string }[] }[]
    const hit = blocks.find((b) => b.type === 'section' && b.text?.text.startsWith(`<${permalink('C1', A)}|`))
    expect(hit?.text?.text).toContain('How do we rotate the staging kubeconfig credentials? #ops')
    expect(hit?.text?.text).toMatch(/\n.*\*rotate\*/) // the snippet, the hit in bold
    const context = blocks.find((b) => b.type === 'context')
    const contextText = String((context?.elements?.[0] as { text?: string } | undefined)?.text)
    expect(contextText).toContain('#general')
    expect(contextText).toContain(shownDate(new Date()))
    expect(contextText).toContain('#ops')
    const open = blocks.find((b) => b.type === 'actions')?.elements?.[0]
    expect(open).toMatchObject({ url: permalink('C1', A), text: { text: 'Open in Slack' } })

    // Prefixes count; no words at all gives help with the recent items.
    expect(resultTitles(await kb(s, 'kubec'))).toEqual(['How do we rotate the staging kubeconfig credentials? #ops'])
    const help = await kb(s, '')
    expect(help.all).toContain('/kb &lt;words&gt;')
    expect(help.all).toContain('Recent items')
    expect(help.all).toContain('What is the lunch_order process (Fridays)?')
  })

  it('filters in:#channel, from:@person and tag:x narrow the results', async () => {
    const titleA = 'How do we rotate the staging kubeconfig credentials? #ops'
    const titleC = 'What is the lunch_order process (Fridays)?'
    expect(resultTitles(await kb(s, 'in:#general rotate'))).toEqual([titleA])
    expect((await kb(s, 'in:#random rotate')).all).toContain('No saved knowledge matches')
    expect(resultTitles(await kb(s, 'in:#random'))).toEqual([titleC])
    expect(resultTitles(await kb(s, 'from:@grace rotate'))).toEqual([titleA])
    expect(resultTitles(await kb(s, 'from:@ken'))).toEqual(expect.arrayContaining([titleC, 'Where is the VPN certificate bundle?']))
    expect((await kb(s, 'from:@margaret rotate')).all).toContain('No saved knowledge matches')
    expect(resultTitles(await kb(s, 'tag:ops'))).toEqual([titleA])
    expect(resultTitles(await kb(s, 'tag:vpn certificate'))).toEqual(['Where is the VPN certificate bundle?'])
  })

  it('@Beacon kb … answers privately where it can be seen: under a top-level mention in the channel, in the thread for a reply', async () => {
    const ephemerals = () => fake.callsOf('chat.postEphemeral')
    const before = ephemerals().length
    const ts = `${Math.floor(Date.now() / 1000)}.000700`
    await sendEvent(s, event(s, { type: 'app_mention', user: 'U2', text: '<@UBOT> kb kubeconfig', ts, channel: 'C1', event_ts: ts }))
    const [top] = await waitFor(() => ephemerals().slice(before).length && ephemerals().slice(before), 'the private answer to a top-level mention')
    expect(top!.params).toMatchObject({ channel: 'C1', user: 'U2' })
    // Slack does not show an ephemeral message in a thread that has no replies yet.
    expect(top!.params.thread_ts).toBeUndefined()
    expect(JSON.stringify(top!.params.blocks)).toContain('How do we rotate the staging kubeconfig credentials? #ops')

    const B = '1700000200.000100'
    const reply = `${Math.floor(Date.now() / 1000)}.000701`
    await sendEvent(s, event(s, { type: 'app_mention', user: 'U2', text: '<@UBOT> kb vpn', ts: reply, thread_ts: B, channel: 'C1', event_ts: reply }))
    const [inThread] = await waitFor(() => ephemerals().slice(before + 1).length && ephemerals().slice(before + 1), 'the private answer in a thread')
    expect(inThread!.params).toMatchObject({ channel: 'C1', user: 'U2', thread_ts: B })
    expect(JSON.stringify(inThread!.params.blocks)).toContain('Where is the VPN certificate bundle?')
  })

  it('hostile queries get a 200 and a friendly answer, and change nothing', async () => {
    const hostile = [
      '"unbalanced quote',
      'kube*',
      '*',
      '-rotate',
      'NOT rotate',
      'rotate NEAR kubeconfig',
      'NEAR(rotate kubeconfig, 2)',
      '((((rotate',
      'title:rotate',
      '🔥🔥 rotate 🚀',
      '"" \'\' `` ^ :',
      'AND OR NOT',
      'x'.repeat(5000),
      'rotate '.repeat(700),
    ]
    for (const q of hostile) {
      const a = await kb(s, q, 'U2')
      expect(a.all, q.slice(0, 30)).not.toMatch(/went wrong|error/i)
      expect(a.all, q.slice(0, 30)).toMatch(/Knowledge for|No saved knowledge matches|Type some words|these match some of them/)
    }
    // Operators are words: "rotate NEAR kubeconfig" finds the item as plain words would.
    expect(resultTitles(await kb(s, '(rotate) "kubeconfig'))).toEqual(['How do we rotate the staging kubeconfig credentials? #ops'])
    expect(resultTitles(await kb(s, '🔥 ninety'))).toEqual(['How do we rotate the staging kubeconfig credentials? #ops'])
    expect(itemsOfThread(s.h.ctx.db, threadId('C1', A))).toHaveLength(1)
  })

  it('private channel: found by its members only, re-checked at search time', async () => {
    const S = '1700000500.000100'
    fake.addMessage('G1', { ts: S, thread_ts: S, user: 'U1', text: 'Incident bluefalcon postmortem notes' })
    fake.addMessage('G1', { ts: '1700000500.000200', thread_ts: S, user: 'U2', text: 'Root cause was the expired quasar certificate' })
    await sendEvent(s, reaction(s, 'U1', 'G1', S))
    await waitFor(() => confirmations(s, 'G1', S).length === 1, 'the confirmation in the private thread')
    // Privacy came from conversations.info, not from a guess.
    expect(fake.callsOf('conversations.info').some((c) => c.params.channel === 'G1')).toBe(true)
    expect(itemsOfThread(s.h.ctx.db, threadId('G1', S))).toMatchObject([{ privacy: 'private', conversation_name: 'secret-ops' }])

    expect(resultTitles(await kb(s, 'quasar', 'U2'))).toEqual(['Incident bluefalcon postmortem notes']) // member
    const outsider = await kb(s, 'quasar', 'U4') // not in conversations.members
    expect(outsider.all).toContain('No saved knowledge matches')
    expect(outsider.all).not.toContain('bluefalcon')
    expect((await kb(s, 'in:#secret-ops', 'U4')).all).not.toContain('bluefalcon')
    expect((await kb(s, '', 'U4')).all).not.toContain('bluefalcon')

    // Grace leaves the channel; once the short membership cache expires she no longer finds it.
    fake.members.set('G1', ['U1'])
    clock.advance(5 * 60_000)
    expect((await kb(s, 'quasar', 'U2')).all).toContain('No saved knowledge matches')
    expect(resultTitles(await kb(s, 'quasar', 'U1'))).toEqual(['Incident bluefalcon postmortem notes'])
  })

  it('another workspace never sees the items (same channel ids and user ids, other team)', async () => {
    // Single-token mode serves the team its token belongs to; a request for another team_id must
    // still only ever search that team's (empty) knowledge.
    const other = await kb(s, 'kubeconfig', 'U1', { id: 'C1', name: 'general' }, 'T9')
    expect(other.all).toContain('No saved knowledge matches')
    expect((await kb(s, '', 'U1', { id: 'C1', name: 'general' }, 'T9')).all).toContain('Nothing saved yet')
  })

  it('/kb suggest on, then a question in that channel gets a private "this may help" with the link', async () => {
    const on = await kb(s, 'suggest on', 'U1', { id: 'C2', name: 'help-desk' })
    expect(on.all).toContain('Answer suggestions are on in #help-desk')
    const before = fake.callsOf('chat.postEphemeral').length
    const q = `${Math.floor(Date.now() / 1000)}.000900`
    await sendEvent(
      s,
      event(s, {
        type: 'message',
        channel: 'C2',
        channel_type: 'channel',
        user: 'U4',
        text: 'How do I rotate the staging kubeconfig credentials?',
        ts: q,
      }),
    )
    const [tip] = await waitFor(
      () => fake.callsOf('chat.postEphemeral').slice(before).length && fake.callsOf('chat.postEphemeral').slice(before),
      'the suggestion',
    )
    expect(tip!.params).toMatchObject({ channel: 'C2', user: 'U4' })
    expect(String(tip!.params.text)).toContain('This may help')
    expect(String(tip!.params.text)).toContain(`<${permalink('C1', A)}|How do we rotate the staging kubeconfig credentials? #ops>`)
    // Slack shows an ephemeral message in a thread only once the thread exists; the question has no replies yet.
    expect(tip!.params.thread_ts).toBeUndefined()

    // The same question where suggestions are off: nothing.
    await sendEvent(
      s,
      event(s, {
        type: 'message',
        channel: 'C3',
        channel_type: 'channel',
        user: 'U4',
        text: 'How do I rotate the staging kubeconfig credentials?',
        ts: `${Math.floor(Date.now() / 1000)}.000901`,
      }),
    )
    // Nor a question whose best match is an item the asker may not see.
    await sendEvent(
      s,
      event(s, {
        type: 'message',
        channel: 'C2',
        channel_type: 'channel',
        user: 'U4',
        text: 'What was the root cause of the bluefalcon quasar incident?',
        ts: `${Math.floor(Date.now() / 1000)}.000902`,
      }),
    )
    await quiet(s)
    expect(fake.callsOf('chat.postEphemeral').slice(before)).toHaveLength(1)
  })

  it('App Home shows recent items and my saved items', async () => {
    const before = fake.callsOf('views.publish').length
    await sendEvent(s, event(s, { type: 'app_home_opened', user: 'U3', channel: 'D3', tab: 'home', event_ts: `${Date.now() / 1000}` }))
    const [view] = await waitFor(
      () => fake.callsOf('views.publish').slice(before).length && fake.callsOf('views.publish').slice(before),
      'views.publish for U3',
    )
    expect(view!.params.user_id).toBe('U3')
    const blocks = JSON.stringify((view!.params.view as { blocks: unknown[] }).blocks)
    const recent = blocks.indexOf('Recent knowledge')
    const mine = blocks.indexOf('Your saved items')
    expect(recent).toBeGreaterThan(-1)
    expect(mine).toBeGreaterThan(recent)
    // Linus saved thread A (reaction) but not the lunch thread (he only wrote it).
    expect(blocks.slice(recent, mine)).toContain('What is the lunch_order process (Fridays)?')
    expect(blocks.slice(mine)).toContain('How do we rotate the staging kubeconfig credentials? #ops')
    expect(blocks.slice(mine)).not.toContain('lunch_order')
    expect(blocks).not.toContain('bluefalcon') // private, and Linus is not a member

    await sendEvent(s, event(s, { type: 'app_home_opened', user: 'U5', channel: 'D5', tab: 'home', event_ts: `${Date.now() / 1000}` }))
    const [other] = await waitFor(
      () => fake.callsOf('views.publish').slice(before + 1).length && fake.callsOf('views.publish').slice(before + 1),
      'views.publish for U5',
    )
    expect(other!.params.user_id).toBe('U5')
    expect(JSON.stringify(other!.params.view)).toContain('How do we rotate the staging kubeconfig credentials? #ops') // U5 saved it in the race
  })

  it('the stale-knowledge job DMs the saver Keep / Archive; Archive archives it', async () => {
    clock.advance(200 * DAY_MS)
    const before = fake.callsOf('chat.postMessage').length
    await s.h.ctx.queue.runNow('knowledge.stale-scan')
    const dms = fake.callsOf('chat.postMessage').slice(before)
    const ask = dms.find((c) => String(c.params.text).includes('How do we rotate the staging kubeconfig credentials?'))
    expect(ask, 'a DM about thread A').toBeDefined()
    // First saver of thread A was Linus (U3): the DM goes to his IM.
    expect(ask!.params.channel).toBe('DU3')
    expect(fake.callsOf('conversations.open').some((c) => c.params.users === 'U3')).toBe(true)
    expect(String(ask!.params.text)).toContain('is it still useful?')
    const buttons =
      (ask!.params.blocks as { type: string; elements?: { action_id: string; value: string; text: { text: string } }[] }[]).find(
        (b) => b.type === 'actions',
      )?.elements ?? []
    expect(buttons.map((b) => b.text.text)).toEqual(['Keep', 'Archive'])
    const archive = buttons.find((b) => b.action_id === 'kb:archive')!

    // Running the sweep again right away asks nobody twice.
    const afterFirst = fake.callsOf('chat.postMessage').length
    await s.h.ctx.queue.runNow('knowledge.stale-scan')
    expect(fake.callsOf('chat.postMessage').length).toBe(afterFirst)

    const click = async (user: string, id: string) => {
      const r = await post(
        s.h.eventsUrl,
        signedInteraction(SIGNING_SECRET, {
          type: 'block_actions',
          trigger_id: `trig.${id}`,
          team: { id: 'T1', domain: 'acme' },
          user: { id: user, team_id: 'T1' },
          api_app_id: 'A1',
          container: { type: 'message', message_ts: String(ask!.params.ts ?? '1700000999.000100'), channel_id: 'DU3', is_ephemeral: false },
          channel: { id: 'DU3', name: 'directmessage' },
          message: { type: 'message', ts: '1700000999.000100', text: String(ask!.params.text) },
          response_url: fake.responseUrl(id),
          actions: [
            {
              type: 'button',
              action_id: archive.action_id,
              block_id: 'b1',
              value: archive.value,
              action_ts: `${Date.now() / 1000}`,
              text: { type: 'plain_text', text: 'Archive' },
            },
          ],
        }),
      )
      expect(r.status).toBe(200)
      return readable(await waitFor(() => fake.responses.find((x) => x.id === id), 'the button answer'))
    }
    // Someone who neither saved nor wrote it cannot archive it.
    const refused = await click('U6', `resp-${++seq}`)
    expect(refused.all).toContain('Only the people who saved or wrote')
    expect(resultTitles(await kb(s, 'kubeconfig', 'U6'))).toEqual(['How do we rotate the staging kubeconfig credentials? #ops'])

    const done = await click('U3', `resp-${++seq}`)
    expect(done.body.replace_original).toBe(true)
    expect(done.all).toContain('Archived')
    expect((await kb(s, 'kubeconfig', 'U3')).all).toContain('No saved knowledge matches')
    expect(itemsOfThread(s.h.ctx.db, threadId('C1', A))).toMatchObject([{ status: 'archived' }])
  })
})

// ---------------------------------------------------------------- OAuth: two workspaces in one Beacon

describe('Slack knowledge across workspaces (OAuth, two installs)', () => {
  const fake = new FakeSlackApi()
  const clock = TestClock.followingWallClock()
  let s: Slack

  const TEAMS: Record<string, { token: string; name: string; bot: string }> = {
    T1: { token: 'xoxb-acme', name: 'Acme', bot: 'UBOT' },
    T2: { token: 'xoxb-globex', name: 'Globex', bot: 'UBOT2' },
  }

  async function install(team: string): Promise<void> {
    const res = await fetch(`${s.h.url}/slack/install`)
    const html = await res.text()
    const authorize = new URL(/<a href="([^"]+)"/.exec(html)![1]!.replace(/&amp;/g, '&'))
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!
    const done = await fetch(`${s.h.url}/slack/oauth_redirect?code=code-${team}&state=${encodeURIComponent(authorize.searchParams.get('state')!)}`, {
      headers: { cookie },
    })
    expect(done.status).toBe(200)
  }

  beforeAll(async () => {
    await fake.start()
    seed(fake)
    fake.on('oauth.v2.access', (p) => {
      const team = String(p.code).replace('code-', '')
      const t = TEAMS[team]!
      return {
        ok: true,
        access_token: t.token,
        token_type: 'bot',
        scope: 'commands,chat:write',
        bot_user_id: t.bot,
        app_id: 'A1',
        team: { id: team, name: t.name },
        enterprise: null,
        is_enterprise_install: false,
        authed_user: { id: 'U1' },
      }
    })
    fake.on('auth.test', (_p, call) => {
      const entry = Object.entries(TEAMS).find(([, t]) => t.token === call.token)
      return entry
        ? { ok: true, team_id: entry[0], team: entry[1].name, user_id: entry[1].bot, bot_id: `B${entry[1].bot}`, url: 'https://acme.slack.com/' }
        : { ok: false, error: 'invalid_auth' }
    })
    const h = await startHarness({
      compose: true,
      fake,
      env: {
        SLACK_BOT_TOKEN: '',
        SLACK_CLIENT_ID: '111.222',
        SLACK_CLIENT_SECRET: 'client-secret',
        SLACK_STATE_SECRET: 'state-secret',
        BEACON_ENCRYPTION_KEY: ENCRYPTION_KEY,
      },
      composeOptions: { clock },
    })
    s = { h, fake, clock }
    await install('T1')
    await install('T2')
  })
  afterAll(async () => {
    await s?.h.close()
  })

  it('a thread saved in one workspace is found there, never from the other (even by the same ids)', async () => {
    const X = '1700000600.000100'
    fake.addMessage('C1', { ts: X, thread_ts: X, user: 'U1', text: 'Where do the quarterly okr drafts live?' })
    fake.addMessage('C1', { ts: '1700000600.000200', thread_ts: X, user: 'U2', text: 'In the strategy folder, next to the pelican deck' })
    await sendEvent(s, reaction(s, 'U2', 'C1', X, 'bookmark', 'T1'))
    const [confirmation] = await waitFor(() => confirmations(s, 'C1', X).length === 1 && confirmations(s, 'C1', X), 'the confirmation in T1')
    expect(confirmation!.token).toBe('xoxb-acme') // posted with T1's own installation token
    expect(resultTitles(await kb(s, 'pelican', 'U2', { id: 'C1', name: 'general' }, 'T1'))).toEqual(['Where do the quarterly okr drafts live?'])

    // T2: same user id, same channel id, a public channel: still nothing from T1.
    const other = await kb(s, 'pelican', 'U2', { id: 'C1', name: 'general' }, 'T2')
    expect(other.all).toContain('No saved knowledge matches')
    expect((await kb(s, 'in:#general', 'U2', { id: 'C1', name: 'general' }, 'T2')).all).toContain('No saved knowledge matches')
    expect((await kb(s, '', 'U2', { id: 'C1', name: 'general' }, 'T2')).all).not.toContain('okr drafts')
    const homes = fake.callsOf('views.publish').length
    await sendEvent(s, event(s, { type: 'app_home_opened', user: 'U2', channel: 'D2', tab: 'home', event_ts: `${Date.now() / 1000}` }, 'T2'))
    const [home] = await waitFor(() => fake.callsOf('views.publish').slice(homes).length && fake.callsOf('views.publish').slice(homes), 'T2 App Home')
    expect(home!.token).toBe('xoxb-globex')
    expect(JSON.stringify(home!.params.view)).not.toContain('okr drafts')
    expect(JSON.stringify(home!.params.view)).toContain('Nothing saved yet')
    expect(failedJobs(s.h.ctx.db)).toEqual([])
  })
})

// ---------------------------------------------------------------- BullMQ on a real Redis

const describeRedis = describeWithRedis()

describeRedis('Slack knowledge capture through BullMQ (real Redis)', () => {
  const fake = new FakeSlackApi()
  const clock = TestClock.followingWallClock()
  let redis: TestRedis
  let s: Slack

  beforeAll(async () => {
    redis = await getTestRedis()
    await fake.start()
    seed(fake)
    seedThreadA(fake)
    const h = await startHarness({
      compose: true,
      fake,
      env: { REDIS_URL: redis.url, QUEUE_PREFIX: redis.prefix, KNOWLEDGE_REFRESH_DEBOUNCE_MS: '300' },
      composeOptions: { clock },
    })
    s = { h, fake, clock }
  })
  afterAll(async () => {
    await s?.h.close()
    await redis?.stop()
  })

  it('a reaction, its retry and a second saver racing: one item, one confirmation, and it stays current', async () => {
    const first = reaction(s, 'U3', 'C1', '1700000100.000400')
    await Promise.all([sendEvent(s, first), sendEvent(s, first, 1), sendEvent(s, reaction(s, 'U1', 'C1', A))])
    const [confirmation] = await waitFor(() => confirmations(s, 'C1', A).length > 0 && confirmations(s, 'C1', A), 'the confirmation via BullMQ')
    expect(String(confirmation!.params.text)).toMatch(/@Ada Lovelace, @Grace Hopper, @Linus Torvalds/)
    await settled(() => fake.calls.length, 800)
    expect(confirmations(s, 'C1', A)).toHaveLength(1)
    expect(itemsOfThread(s.h.ctx.db, threadId('C1', A))).toHaveLength(1)
    expect(resultTitles(await kb(s, 'ninety', 'U2'))).toEqual(['How do we rotate the staging kubeconfig credentials? #ops'])

    // A refresh (delayed, deduplicated job) runs on BullMQ too.
    fake.addMessage('C1', { ts: '1700000100.000600', thread_ts: A, user: 'U5', text: 'Also rotate the okapi service account' })
    await sendEvent(
      s,
      event(s, {
        type: 'message',
        channel: 'C1',
        channel_type: 'channel',
        user: 'U5',
        text: 'Also rotate the okapi service account',
        ts: '1700000100.000600',
        thread_ts: A,
      }),
    )
    await waitFor(async () => resultTitles(await kb(s, 'okapi', 'U2')).length === 1, 'the refreshed item via BullMQ')
  })
})
