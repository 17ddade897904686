/**
 * Teams invoke JSON → core events, without botbuilder or HTTP. The activities are written out as
 * Teams sends them (msteams-docs "Respond to the action command" / "Universal Actions" payloads,
 * botbuilder-js teamsActivityHandler tests): a message action's fetchTask and submitAction, and an
 * Adaptive Card Action.Execute.
 */
import { describe, expect, it } from 'vitest'
import { activitySchema, whereOf } from '../../../adapters/teams/translate-activity.ts'
import { cardActionInvoke, messageActionInvoke } from '../../../adapters/teams/translate-invokes.ts'
import { ALICE, BOB, BOT, CHANNEL, TEAM, TENANT } from './activities.ts'

const NOW = new Date('2025-01-10T12:00:00Z')
const WS = `teams:${TENANT}`
const threadOf = (root: string) => `teams:${TENANT}:${encodeURIComponent(CHANNEL.id)}:${root}`

/** An invoke in the design channel (or Alice's personal chat), as the Bot Connector posts it. */
function invokeActivity(name: string, value: unknown, opts: { personal?: boolean; replyToId?: string; id?: string } = {}) {
  return {
    name,
    type: 'invoke',
    timestamp: '2025-01-10T11:59:58.123Z',
    localTimestamp: '2025-01-10T12:59:58.123+01:00',
    id: opts.id ?? 'f:4a9b5e3c-1d2f-4e6a-8b7c-0d1e2f3a4b5c',
    channelId: 'msteams',
    serviceUrl: 'https://smba.trafficmanager.net/emea/',
    from: ALICE,
    recipient: BOT,
    conversation: opts.personal
      ? { conversationType: 'personal', tenantId: TENANT, id: 'a:1personal-alice' }
      : { isGroup: true, conversationType: 'channel', tenantId: TENANT, id: CHANNEL.id },
    entities: [{ type: 'clientInfo', locale: 'en-US', country: 'US', platform: 'Web', timezone: 'Europe/Paris' }],
    channelData: opts.personal
      ? { tenant: { id: TENANT }, source: { name: 'message' } }
      : { channel: { ...CHANNEL, membershipType: 'standard' }, team: TEAM, tenant: { id: TENANT }, source: { name: 'message' } },
    ...(opts.replyToId ? { replyToId: opts.replyToId } : {}),
    locale: 'en-US',
    value,
  }
}

/** The message a message action was run on: Graph's chatMessage shape, inside `value.messagePayload`. */
const bobsReply = {
  id: '1736503000200',
  replyToId: '1736503000100',
  createdDateTime: '2025-01-10T10:00:00.000Z',
  lastModifiedDateTime: null,
  deleted: false,
  subject: null,
  summary: null,
  importance: 'normal',
  locale: 'en-us',
  linkToMessage: `https://teams.microsoft.com/l/message/${encodeURIComponent(CHANNEL.id)}/1736503000200`,
  from: { device: null, conversation: null, user: { userIdentityType: 'aadUser', id: BOB.aadObjectId, displayName: BOB.name }, application: null },
  body: { contentType: 'html', content: '<p>Please <b>ship</b> the <a href="https://example.com/rfc">RFC</a> by Friday</p>' },
  attachments: [{ id: 'f1', contentType: 'reference', contentUrl: 'https://contoso.sharepoint.com/rfc.docx', name: 'rfc.docx' }],
  mentions: [],
  reactions: [],
}

const form = {
  formId: 'tasks:create',
  title: 'Create a task',
  submitLabel: 'Create',
  context: 'msg-1736503000200',
  fields: [
    { id: 'title', label: 'Title', kind: 'text', required: true },
    { id: 'due', label: 'Due', kind: 'date' },
  ],
}

const read = (raw: unknown) => {
  const a = activitySchema.parse(raw)
  return { a, where: whereOf(a) }
}

describe('Teams message actions (pure)', () => {
  it('fetchTask on a channel reply is the message action on that message, in its root’s thread', () => {
    const { a, where } = read(
      invokeActivity('composeExtension/fetchTask', {
        commandId: 'createTask',
        commandContext: 'message',
        messagePayload: bobsReply,
        context: { theme: 'default' },
      }),
    )
    const t = messageActionInvoke(a, where, 'fetchTask', NOW)!
    expect(t.submitted).toBeUndefined()
    expect(t.publicTarget).toEqual({ conversation: where.conversation, threadId: threadOf('1736503000100') })
    expect(t.event).toEqual({
      eventId: 'f:4a9b5e3c-1d2f-4e6a-8b7c-0d1e2f3a4b5c',
      workspace: WS,
      platform: 'teams',
      at: new Date('2025-01-10T11:59:58.123Z'),
      type: 'message.action',
      action: 'create_task',
      person: { workspace: WS, id: ALICE.aadObjectId, displayName: ALICE.name },
      message: {
        id: '1736503000200',
        threadId: threadOf('1736503000100'),
        conversation: { workspace: WS, id: CHANNEL.id, name: `${TEAM.name} › ${CHANNEL.name}`, privacy: 'private' },
        author: { workspace: WS, id: BOB.aadObjectId, displayName: BOB.name, isBot: false },
        text: 'Please **ship** the [RFC](https://example.com/rfc) by Friday',
        at: new Date('2025-01-10T10:00:00.000Z'),
        attachments: [{ name: 'rfc.docx', url: 'https://contoso.sharepoint.com/rfc.docx' }],
        permalink: bobsReply.linkToMessage,
      },
    })
  })

  it('in a personal chat the message is its own thread and replies go to the chat, not a thread', () => {
    const botPost = { ...bobsReply, replyToId: null, from: { user: null, application: { id: BOT.id, displayName: 'Beacon' } } }
    const { a, where } = read(
      invokeActivity(
        'composeExtension/fetchTask',
        { commandId: 'saveToKnowledge', commandContext: 'message', messagePayload: botPost },
        { personal: true },
      ),
    )
    const t = messageActionInvoke(a, where, 'fetchTask', NOW)!
    expect(t.publicTarget).toEqual({ conversation: where.conversation })
    expect(t.event).toMatchObject({
      type: 'message.action',
      action: 'save_to_knowledge',
      message: { author: { id: BOT.id, isBot: true }, conversation: { privacy: 'direct' } },
    })
  })

  it('submitAction carrying Beacon’s form is that form submitted, with only its own fields as strings', () => {
    const { a, where } = read(
      invokeActivity('composeExtension/submitAction', {
        commandId: 'createTask',
        commandContext: 'message',
        messagePayload: bobsReply,
        data: { beaconForm: form, title: 'Ship the RFC', due: '2025-01-17', injected: 'x', notText: 3 },
      }),
    )
    const t = messageActionInvoke(a, where, 'submitAction', NOW)!
    expect(t.submitted).toEqual({ form, values: { title: 'Ship the RFC', due: '2025-01-17' } })
    expect(t.event).toEqual({
      eventId: 'f:4a9b5e3c-1d2f-4e6a-8b7c-0d1e2f3a4b5c',
      workspace: WS,
      platform: 'teams',
      at: new Date('2025-01-10T11:59:58.123Z'),
      type: 'form.submitted',
      formId: 'tasks:create',
      values: { title: 'Ship the RFC', due: '2025-01-17' },
      context: 'msg-1736503000200',
      person: { workspace: WS, id: ALICE.aadObjectId, displayName: ALICE.name },
    })
  })

  it('opening a dialog is never a submission, even with form data in the value', () => {
    const { a, where } = read(
      invokeActivity('composeExtension/fetchTask', { commandId: 'createTask', messagePayload: bobsReply, data: { beaconForm: form, title: 'x' } }),
    )
    expect(messageActionInvoke(a, where, 'fetchTask', NOW)?.event).toMatchObject({ type: 'message.action' })
  })

  it('an unknown command, or one run from the compose box (no message), has nothing to dispatch', () => {
    const unknown = read(
      invokeActivity('composeExtension/fetchTask', { commandId: 'shareLocation', commandContext: 'message', messagePayload: bobsReply }),
    )
    expect(messageActionInvoke(unknown.a, unknown.where, 'fetchTask', NOW)).toEqual({
      publicTarget: { conversation: unknown.where.conversation, threadId: threadOf('1736503000100') },
    })
    const compose = read(
      invokeActivity('composeExtension/fetchTask', { commandId: 'createTask', commandContext: 'compose', context: { theme: 'dark' } }),
    )
    expect(messageActionInvoke(compose.a, compose.where, 'fetchTask', NOW)?.event).toBeUndefined()
  })

  it('a value that is not a message-extension action is refused (the bot answers 400)', () => {
    for (const value of [{ nope: true }, { commandId: '' }, undefined, 'createTask', { commandId: 'createTask', messagePayload: { id: 'x' } }]) {
      const { a, where } = read(invokeActivity('composeExtension/submitAction', value))
      expect(messageActionInvoke(a, where, 'submitAction', NOW)).toBeUndefined()
    }
  })
})

describe('Teams Adaptive Card actions (pure)', () => {
  it('an Action.Execute on a card in a thread is a button click on that card', () => {
    const { a, where } = read(
      invokeActivity(
        'adaptiveCard/action',
        { action: { type: 'Action.Execute', id: 'done', verb: 'tasks:done', data: { value: '42' } }, trigger: 'manual' },
        { replyToId: '1736503000300' },
      ),
    )
    const t = cardActionInvoke(a, where, NOW)!
    expect(t.submitted).toBeUndefined()
    expect(t.publicTarget).toEqual({ conversation: where.conversation, threadId: threadOf('1736503000300') })
    expect(t.event).toEqual({
      eventId: 'f:4a9b5e3c-1d2f-4e6a-8b7c-0d1e2f3a4b5c',
      workspace: WS,
      platform: 'teams',
      at: new Date('2025-01-10T11:59:58.123Z'),
      type: 'button',
      actionId: 'tasks:done',
      value: '42',
      person: { workspace: WS, id: ALICE.aadObjectId, displayName: ALICE.name },
      conversation: where.conversation,
      source: { conversation: where.conversation, messageId: '1736503000300', threadId: threadOf('1736503000300') },
    })
  })

  it('inside a thread the click belongs to the thread’s root; a non-string value is dropped', () => {
    const raw = invokeActivity(
      'adaptiveCard/action',
      { action: { type: 'Action.Execute', verb: 'kb:open', data: { value: { id: 7 } } } },
      { replyToId: '1736503000301' },
    )
    const { a, where } = read({ ...raw, conversation: { ...raw.conversation, id: `${CHANNEL.id};messageid=1736503000100` } })
    const event = cardActionInvoke(a, where, NOW)?.event
    expect(event).toMatchObject({ type: 'button', actionId: 'kb:open', source: { messageId: '1736503000301', threadId: threadOf('1736503000100') } })
    expect(event).not.toHaveProperty('value')
  })

  it('the form shown inside a message, submitted, is a form submission', () => {
    const { a, where } = read(
      invokeActivity(
        'adaptiveCard/action',
        { action: { type: 'Action.Execute', verb: 'beacon.form.submit', data: { beaconForm: form, title: '  ', due: '' } }, trigger: 'manual' },
        { personal: true, replyToId: '1736503000400' },
      ),
    )
    const t = cardActionInvoke(a, where, NOW)!
    expect(t.publicTarget).toEqual({ conversation: where.conversation })
    expect(t.submitted?.values).toEqual({ title: '  ', due: '' })
    expect(t.event).toMatchObject({ type: 'form.submitted', formId: 'tasks:create', values: { title: '  ', due: '' }, context: 'msg-1736503000200' })
  })

  it('anything but an Action.Execute with a verb is refused (the bot answers 400)', () => {
    for (const value of [
      { action: { type: 'Action.Submit', verb: 'tasks:done', data: {} } },
      { action: { type: 'Action.Execute', data: { value: '42' } } },
      { trigger: 'automatic' },
      undefined,
    ]) {
      const { a, where } = read(invokeActivity('adaptiveCard/action', value))
      expect(cardActionInvoke(a, where, NOW)).toBeUndefined()
    }
  })

  it('without an activity time the clock’s time is used', () => {
    const { timestamp: _drop, ...raw } = invokeActivity('adaptiveCard/action', { action: { type: 'Action.Execute', verb: 'tasks:done' } })
    const { a, where } = read(raw)
    expect(cardActionInvoke(a, where, NOW)?.event?.at).toEqual(NOW)
  })
})
