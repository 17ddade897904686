/**
 * Tasks end to end on Microsoft Teams: composeBeacon + listen(0) on a real SQLite file, Bot
 * Framework activities to POST /api/messages with tokens from the local issuer, outbound traffic to
 * the fake Bot Connector (replies, proactive DMs with conversation creation, updates).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  ALICE,
  BOB,
  CHANNEL,
  TEAM,
  TENANT,
  channelMessage,
  invoke,
  messagePayload,
  personalConversation,
  personalMessage,
} from '../adapters/teams/activities.ts'
import { viaCompose, type Harness } from '../adapters/teams/harness.ts'
import { jobsIdle } from '../support/jobs.ts'
import type { ConnectorCall } from '../support/fake-bot-connector.ts'
import { localParts, taskRows } from './support.ts'
import { waitFor } from '../support/wait.ts'
import { actions, type CardAction, type Json, seen } from './teams-cards.ts'

const WS = `teams:${TENANT}`
const PARIS = 'Europe/Paris'

describe('tasks on Teams, end to end', () => {
  let h: Harness
  const db = () => h.ctx.db
  const sent = (conversationId: string, since = 0) =>
    h.connector.calls.slice(since).filter((c) => (c.kind === 'send' || c.kind === 'reply') && c.conversationId === conversationId)
  /** The DM conversation Beacon created for a "29:" user id. */
  const dmConversationOf = async (botUserId: string): Promise<string> => {
    const created = await waitFor(
      () => h.connector.calls.find((c) => c.kind === 'createConversation' && JSON.stringify(c.body?.members ?? []).includes(botUserId)),
      `a conversation created with ${botUserId}`,
    )
    const i = h.connector.calls.indexOf(created)
    // The fake answers with ids in order; the first send after creation goes into the new chat.
    const first = await waitFor(
      () => h.connector.calls.slice(i + 1).find((c) => c.kind === 'send' && c.conversationId?.startsWith('a:dm-')),
      'the first message in the new chat',
    )
    return first.conversationId!
  }

  beforeAll(async () => {
    h = await viaCompose()
    // In a team, TeamsInfo.getMember asks the team's roster (GET v3/conversations/{team id}/members/{id}).
    h.connector.members.set(TEAM.id, [
      { id: ALICE.id, name: ALICE.name, aadObjectId: ALICE.aadObjectId },
      { id: BOB.id, name: BOB.name, aadObjectId: BOB.aadObjectId },
    ])
  })
  afterAll(() => h?.close())

  it('`task …` in a personal chat: the reply shows title, assignee and due in the person’s zone', async () => {
    const mark = h.connector.calls.length
    const res = await h.post(personalMessage(h.connector.serviceUrl, 'task write the guide tomorrow 5pm'))
    expect(res.status).toBe(200)
    const reply = await waitFor(() => sent(personalConversation.id, mark)[0], 'the reply in the personal chat')
    const text = seen(reply.body)
    expect(text).toContain('T-1')
    expect(text).toContain('write the guide')
    expect(text).toContain(`17:00 (${PARIS})`)
    expect(text).toContain('Alice Martin')
    expect(actions(reply.body).map((a) => [a.type, a.verb])).toEqual([
      ['Action.Execute', 'task:edit'],
      ['Action.Execute', 'task:undo'],
    ])
    const [row] = taskRows(db())
    expect(row).toMatchObject({
      workspace_id: WS,
      number: 1,
      title: 'write the guide',
      creator_id: ALICE.aadObjectId,
      assignees: ALICE.aadObjectId,
      timezone: PARIS,
    })
    const p = localParts(row!.due_at!, PARIS)
    expect(p.time).toBe('17:00')
    expect(p.ymd).toBe(localParts(Date.now() + 86_400_000, PARIS).ymd)
  })

  it('after an @mention in a channel: the creator gets the reply privately, the assignee a proactive DM (a new 1:1 chat) with Done', async () => {
    const mark = h.connector.calls.length
    const activity = channelMessage(h.connector.serviceUrl, 'task review the deck <at>Bob Chen</at> fri', { mention: true })
    ;(activity.entities as Json[]).push({ type: 'mention', text: '<at>Bob Chen</at>', mentioned: { id: BOB.id, name: BOB.name } })
    const res = await h.post(activity)
    expect(res.status).toBe(200)
    const reply = await waitFor(
      () => sent(personalConversation.id, mark).find((c) => seen(c.body).includes('review the deck')),
      'Alice’s private reply',
    )
    expect(seen(reply.body)).toContain('Bob Chen')
    // Nothing private was said in the channel.
    expect(
      h.connector.calls.slice(mark).filter((c) => c.conversationId?.startsWith(CHANNEL.id) && (c.kind === 'send' || c.kind === 'reply')),
    ).toHaveLength(0)
    const row = taskRows(db()).at(-1)!
    expect(row).toMatchObject({ title: 'review the deck', assignees: BOB.aadObjectId })

    const bobChat = await dmConversationOf(BOB.id)
    const dm = await waitFor(() => sent(bobChat).find((c) => seen(c.body).includes('review the deck')), 'Bob’s DM card')
    expect(seen(dm.body)).toContain('Alice Martin')
    expect(
      actions(dm.body)
        .filter((a) => a.type === 'Action.Execute')
        .map((a) => [a.verb, a.data?.value]),
    ).toEqual([
      ['task:done', String(row.number)],
      ['task:snooze', String(row.number)],
    ])
  })

  it(
    'createTask message extension: a prefilled dialog, then the task from the submission with its source; ' +
      'Done from the DM refreshes the card and tells the thread',
    async () => {
      const payload = messagePayload('1700000000300', '<p>Please update the onboarding doc by fri</p>')
      const fetchStarted = Date.now()
      const fetched = await h.post(
        invoke(h.connector.serviceUrl, 'composeExtension/fetchTask', { commandId: 'createTask', commandContext: 'message', messagePayload: payload }),
      )
      expect(Date.now() - fetchStarted).toBeLessThan(5000)
      expect(fetched.status).toBe(200)
      expect(fetched.body).toMatchObject({
        task: { type: 'continue', value: { title: 'Create task', card: { contentType: 'application/vnd.microsoft.card.adaptive' } } },
      })
      const card = (fetched.body as { task: { value: { card: { content: { body: { id?: string; value?: string }[]; actions: CardAction[] } } } } })
        .task.value.card.content
      const inputs = Object.fromEntries(card.body.filter((b) => b.id).map((b) => [b.id!, b.value ?? '']))
      expect(inputs.title).toMatch(/update the onboarding doc/)
      expect(inputs.title).not.toMatch(/by fri/)
      expect(inputs.due).toMatch(/17:00$/)
      const count = taskRows(db()).length
      expect(count).toBe(2) // opening the dialog created nothing
      const form = card.actions[0]!.data!.beaconForm

      const mark = h.connector.calls.length
      const submitStarted = Date.now()
      const submitted = await h.post(
        invoke(h.connector.serviceUrl, 'composeExtension/submitAction', {
          commandId: 'createTask',
          commandContext: 'message',
          messagePayload: payload,
          data: { beaconForm: form, title: inputs.title, assignees: '@Bob Chen', due: inputs.due },
        }),
      )
      expect(Date.now() - submitStarted).toBeLessThan(5000)
      expect(submitted.status).toBe(200)
      const row = taskRows(db()).at(-1)!
      expect(taskRows(db())).toHaveLength(count + 1)
      expect(row).toMatchObject({
        assignees: BOB.aadObjectId,
        source_conversation_id: CHANNEL.id,
        source_message_id: '1700000000300',
        source_permalink: payload.linkToMessage,
      })
      expect(submitted.body).toMatchObject({ task: { type: 'continue' } })
      expect(seen(submitted.body)).toContain(`T-${row.number}`)
      expect(seen(submitted.body)).toContain('Bob Chen')

      // Bob's DM (his chat exists now: reused, not created again) with Done and a link to the source.
      const bobChat = await dmConversationOf(BOB.id)
      const dm = await waitFor(() => sent(bobChat, mark).find((c) => seen(c.body).includes(`T-${row.number}`)), 'Bob’s DM card for the new task')
      expect(h.connector.calls.filter((c) => c.kind === 'createConversation')).toHaveLength(1)
      expect(actions(dm.body).find((a) => a.type === 'Action.OpenUrl')?.url).toBe(payload.linkToMessage)
      // One confirmation in the source thread.
      const thread = `${CHANNEL.id};messageid=1700000000300`
      await waitFor(() => sent(thread, mark).length > 0, 'the confirmation in the source thread')
      await jobsIdle(db())
      expect(sent(thread, mark)).toHaveLength(1)
      expect(seen(sent(thread, mark)[0]!.body)).toMatch(new RegExp(`T-${row.number}.*Bob Chen`))

      // Done: an Action.Execute invoke from Bob in his chat, answered with the refreshed card.
      const done = actions(dm.body).find((a) => a.verb === 'task:done')!
      const clickStarted = Date.now()
      const clicked = await h.post({
        ...invoke(
          h.connector.serviceUrl,
          'adaptiveCard/action',
          { action: { type: 'Action.Execute', verb: done.verb, data: done.data } },
          'personal',
        ),
        from: BOB,
        conversation: { id: bobChat, conversationType: 'personal', tenantId: TENANT },
        replyToId: '1001',
      })
      expect(Date.now() - clickStarted).toBeLessThan(5000)
      expect(clicked.status).toBe(200)
      expect(clicked.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: { type: 'AdaptiveCard' } })
      expect(seen(clicked.body)).toMatch(new RegExp(`T-${row.number}.*done`))
      expect(actions(clicked.body).filter((a) => a.verb === 'task:done')).toHaveLength(0)
      expect(taskRows(db()).at(-1)).toMatchObject({ status: 'done' })
      const told = await waitFor(() => sent(thread, mark).find((c) => /is done/.test(seen(c.body))), 'the done note in the source thread')
      expect(seen(told.body)).toMatch(new RegExp(`T-${row.number}.*done.*Bob Chen`))
      // The creator is told who finished it.
      await waitFor(
        () => sent(personalConversation.id, mark).find((c) => new RegExp(`Bob Chen marked .*T-${row.number}`).test(seen(c.body))),
        'Alice told it is done',
      )
    },
  )

  it('a refused dialog submission shows the form again with the error and stores nothing', async () => {
    const payload = messagePayload('1700000000400', '<p>renew the certificate</p>')
    const fetched = await h.post(
      invoke(h.connector.serviceUrl, 'composeExtension/fetchTask', { commandId: 'createTask', commandContext: 'message', messagePayload: payload }),
    )
    const form = (fetched.body as { task: { value: { card: { content: { actions: CardAction[] } } } } }).task.value.card.content.actions[0]!.data!
      .beaconForm
    const count = taskRows(db()).length
    for (const [values, field] of [
      [{ title: ' ', assignees: '', due: '' }, /title/i],
      [{ title: 'renew the certificate', assignees: '@Nobody Here', due: '' }, /Nobody Here/],
      [{ title: 'renew the certificate', assignees: '', due: 'flurbsday' }, /flurbsday/],
    ] as const) {
      const res = await h.post(
        invoke(h.connector.serviceUrl, 'composeExtension/submitAction', {
          commandId: 'createTask',
          commandContext: 'message',
          messagePayload: payload,
          data: { beaconForm: form, ...values },
        }),
      )
      expect(res.status).toBe(200)
      expect(res.body).toMatchObject({ task: { type: 'continue', value: { card: { content: { type: 'AdaptiveCard' } } } } })
      expect(seen(res.body)).toMatch(field)
    }
    expect(taskRows(db())).toHaveLength(count)
  })

  it.each([
    ['no title', 'task tomorrow 5pm', /What should the task say/],
    ['an unknown person', 'task write the guide @Nobody', /don’t know who \*\*@Nobody\*\*/],
    ['a nonsense date', 'task write the guide due flurbsday', /couldn’t read \*\*flurbsday\*\* as a date/],
    ['5,000 characters', `task ${`write the guide ${'and more '.repeat(600)}`.slice(0, 4999)}x`, /5,000 characters — too long/],
  ])('bad input in a personal chat (%s): a clear reply, nothing stored', async (_what, text, expected) => {
    const count = taskRows(db()).length
    const mark = h.connector.calls.length
    const res = await h.post(personalMessage(h.connector.serviceUrl, text))
    expect(res.status).toBe(200)
    const reply = await waitFor(() => sent(personalConversation.id, mark)[0], 'the reply')
    expect(seen(reply.body)).toMatch(expected)
    await jobsIdle(db())
    expect(taskRows(db())).toHaveLength(count)
    expect(
      h.connector.calls
        .slice(mark)
        .filter((c: ConnectorCall) => c.kind === 'createConversation' || (c.kind === 'send' && c.conversationId !== personalConversation.id)),
    ).toHaveLength(0)
  })

  it('bad input after an @mention in a channel: the refusal goes to the person, nothing stored', async () => {
    const count = taskRows(db()).length
    const mark = h.connector.calls.length
    const res = await h.post(channelMessage(h.connector.serviceUrl, 'task fix it @Nobody', { mention: true }))
    expect(res.status).toBe(200)
    const reply = await waitFor(
      () => h.connector.calls.slice(mark).find((c) => (c.kind === 'send' || c.kind === 'reply') && /don’t know who/.test(seen(c.body))),
      'the refusal',
    )
    expect(reply.conversationId).toBe(personalConversation.id)
    expect(taskRows(db())).toHaveLength(count)
  })
})
