/**
 * Knowledge on Slack, end to end (searching with /kb): composeBeacon(loadConfig(…)) + listen(0), a real SQLite
 * file, the in-process job queue, signed requests to POST /slack/events and the fake Web API on
 * SLACK_API_URL. Every assertion is something a person in Slack would notice: the message posted,
 * its text, what /kb answers, what App Home shows. Shared set-up: knowledge-slack-support.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FakeSlackApi } from '../support/fake-slack-api.ts'
import type { TestClock } from '../support/test-clock.ts'
import { waitFor } from '../support/wait.ts'
import { itemsOfThread, shownDate } from './knowledge-support.ts'
import {
  startKnowledgeSlack,
  stopKnowledgeSlack,
  type Slack,
  A,
  saveSeedThreads,
  threadId,
  permalink,
  sendEvent,
  event,
  reaction,
  kb,
  confirmations,
  quiet,
  resultTitles,
} from './knowledge-slack-support.ts'

describe('Slack knowledge end to end: /kb and suggestions', () => {
  let s: Slack
  let fake: FakeSlackApi
  let clock: TestClock

  beforeAll(async () => {
    s = await startKnowledgeSlack()
    ;({ fake, clock } = s)
    await saveSeedThreads(s)
  })
  afterAll(() => stopKnowledgeSlack(s))

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
})
