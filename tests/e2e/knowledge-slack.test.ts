/**
 * Knowledge on Slack, end to end: composeBeacon(loadConfig(…)) + listen(0), a real SQLite file,
 * the real job queues (in-process; BullMQ on a real Redis in its own block), signed requests to
 * POST /slack/events and the fake Web API on SLACK_API_URL. Every assertion is something a person
 * in Slack would notice: the message posted, its text, what /kb answers, what App Home shows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FakeSlackApi } from '../support/fake-slack-api.ts'
import { post, signedInteraction } from '../support/slack-signing.ts'
import { SIGNING_SECRET, startHarness } from '../adapters/slack/harness.ts'
import { DAY_MS, failedJobs, itemsOfThread, shownDate } from './knowledge-support.ts'
import { waitFor } from '../support/wait.ts'
import { TestClock } from '../support/test-clock.ts'
import {
  seed,
  A,
  seedThreadA,
  threadId,
  permalink,
  type Slack,
  sendEvent,
  event,
  reaction,
  readable,
  kb,
  shortcut,
  confirmations,
  quiet,
  resultTitles,
  nextResponseId,
} from './knowledge-slack-support.ts'

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
    const refused = await click('U6', nextResponseId())
    expect(refused.all).toContain('Only the people who saved or wrote')
    expect(resultTitles(await kb(s, 'kubeconfig', 'U6'))).toEqual(['How do we rotate the staging kubeconfig credentials? #ops'])

    const done = await click('U3', nextResponseId())
    expect(done.body.replace_original).toBe(true)
    expect(done.all).toContain('Archived')
    expect((await kb(s, 'kubeconfig', 'U3')).all).toContain('No saved knowledge matches')
    expect(itemsOfThread(s.h.ctx.db, threadId('C1', A))).toMatchObject([{ status: 'archived' }])
  })
})
