/**
 * Knowledge on Slack, end to end (saving threads): composeBeacon(loadConfig(…)) + listen(0), a real SQLite
 * file, the in-process job queue, signed requests to POST /slack/events and the fake Web API on
 * SLACK_API_URL. Every assertion is something a person in Slack would notice: the message posted,
 * its text, what /kb answers, what App Home shows. Shared set-up: knowledge-slack-support.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FakeSlackApi } from '../support/fake-slack-api.ts'
import { waitFor } from '../support/wait.ts'
import { itemsOfThread } from './knowledge-support.ts'
import {
  startKnowledgeSlack,
  stopKnowledgeSlack,
  type Slack,
  A,
  B,
  C,
  lunchReply,
  seedThreadB,
  seedThreadC,
  threadId,
  permalink,
  sendEvent,
  event,
  reaction,
  readable,
  kb,
  shortcut,
  confirmations,
  quiet,
  resultTitles,
} from './knowledge-slack-support.ts'

describe('Slack knowledge end to end: saving threads', () => {
  let s: Slack
  let fake: FakeSlackApi

  beforeAll(async () => {
    s = await startKnowledgeSlack()
    fake = s.fake
  })
  afterAll(() => stopKnowledgeSlack(s))

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
    seedThreadB(fake)
    const racing = reaction(s, 'U1', 'C1', B)
    await Promise.all([sendEvent(s, racing), sendEvent(s, reaction(s, 'U2', 'C1', '1700000200.000300')), sendEvent(s, racing, 1)])
    await waitFor(() => confirmations(s, 'C1', B).length > 0, 'the confirmation in thread B')
    await quiet(s)
    expect(confirmations(s, 'C1', B)).toHaveLength(1)
    expect(itemsOfThread(s.h.ctx.db, threadId('C1', B))).toHaveLength(1)
    expect(String(confirmations(s, 'C1', B)[0]!.params.text)).toMatch(/Ken Thompson.*Ada Lovelace.*Grace Hopper/)
  })

  it('the save_to_knowledge shortcut saves the whole thread the same way, once', async () => {
    seedThreadC(fake)
    const message = lunchReply
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
})
