import { describe, expect, it } from 'vitest'
import { eventEnvelope, mentionToCommand, translateEvent, type TranslateContext } from '../../../adapters/slack/translate-events.ts'
import { decodeThreadId } from '../../../src/core/thread-id.ts'

const t: TranslateContext = {
  teamId: 'T1',
  botUserId: 'UBOT',
  names: { personName: async (id) => (id === 'U1' ? 'Ada' : undefined), conversationName: async () => undefined },
}
const run = (event: Record<string, unknown>) =>
  translateEvent(eventEnvelope.parse({ type: 'event_callback', team_id: 'T1', event_id: 'Ev1', event_time: 1700000000, event }), t)

describe('translateEvent', () => {
  it('a plain message', async () => {
    const r = await run({ type: 'message', channel: 'C1', channel_type: 'channel', user: 'U1', text: 'hi <@U1>', ts: '1700000000.000100' })
    expect(r?.event).toMatchObject({
      type: 'message.posted',
      eventId: 'Ev1',
      workspace: 'slack:T1',
      message: { id: '1700000000.000100', text: 'hi @Ada', author: { id: 'U1', displayName: 'Ada' }, conversation: { id: 'C1', privacy: 'public' } },
    })
    if (r?.event.type !== 'message.posted') throw new Error('type')
    expect(decodeThreadId(r.event.message.threadId)).toEqual({
      platform: 'slack',
      workspaceExternalId: 'T1',
      conversationId: 'C1',
      rootId: '1700000000.000100',
    })
  })

  it('a thread reply belongs to its thread', async () => {
    const r = await run({
      type: 'message',
      channel: 'G1',
      channel_type: 'group',
      user: 'U1',
      text: 'reply',
      ts: '1700000009.000100',
      thread_ts: '1700000000.000100',
    })
    if (r?.event.type !== 'message.posted') throw new Error('type')
    expect(decodeThreadId(r.event.message.threadId).rootId).toBe('1700000000.000100')
    expect(r.event.message.conversation.privacy).toBe('private')
    expect(r.reply).toEqual({ channel: 'G1', threadTs: '1700000000.000100' })
  })

  it('ignores bot messages, bot_message subtypes, our own messages and system subtypes', async () => {
    expect(await run({ type: 'message', channel: 'C1', bot_id: 'B2', user: 'U9', text: 'beep', ts: '1.1' })).toBeUndefined()
    expect(await run({ type: 'message', subtype: 'bot_message', channel: 'C1', bot_id: 'B2', text: 'beep', ts: '1.1' })).toBeUndefined()
    expect(await run({ type: 'message', channel: 'C1', user: 'UBOT', text: 'mine', ts: '1.1' })).toBeUndefined()
    expect(await run({ type: 'message', subtype: 'channel_join', channel: 'C1', user: 'U1', text: 'joined', ts: '1.1' })).toBeUndefined()
  })

  it('message_changed is an edit, but an unfurl is not', async () => {
    const edit = await run({
      type: 'message',
      subtype: 'message_changed',
      channel: 'C1',
      ts: '1700000050.000100',
      message: { type: 'message', user: 'U1', text: 'new text', ts: '1700000000.000100', edited: { user: 'U1', ts: '1700000050.000000' } },
      previous_message: { type: 'message', user: 'U1', text: 'old text', ts: '1700000000.000100' },
    })
    expect(edit?.event).toMatchObject({
      type: 'message.edited',
      message: { id: '1700000000.000100', text: 'new text', editedAt: new Date(1700000050000) },
    })
    const unfurl = await run({
      type: 'message',
      subtype: 'message_changed',
      channel: 'C1',
      ts: '1700000051.000100',
      message: { type: 'message', user: 'U1', text: 'see https://x.io', ts: '1700000000.000100', attachments: [{}] },
      previous_message: { type: 'message', user: 'U1', text: 'see https://x.io', ts: '1700000000.000100' },
    })
    expect(unfurl).toBeUndefined()
  })

  it('message_deleted names the message and its thread', async () => {
    const r = await run({
      type: 'message',
      subtype: 'message_deleted',
      channel: 'C1',
      ts: '1700000060.000100',
      deleted_ts: '1700000009.000100',
      previous_message: { type: 'message', user: 'U1', text: 'gone', ts: '1700000009.000100', thread_ts: '1700000000.000100' },
    })
    if (r?.event.type !== 'message.deleted') throw new Error('type')
    expect(r.event.messageId).toBe('1700000009.000100')
    expect(decodeThreadId(r.event.threadId).rootId).toBe('1700000000.000100')
  })

  it('reactions carry no thread id (the core asks threadOf) and drop skin tones', async () => {
    const r = await run({
      type: 'reaction_added',
      user: 'U1',
      reaction: 'bookmark::skin-tone-3',
      item_user: 'U2',
      item: { type: 'message', channel: 'C1', ts: '1700000009.000100' },
      event_ts: '1700000070.000100',
    })
    expect(r?.event).toMatchObject({
      type: 'reaction.added',
      reaction: 'bookmark',
      messageId: '1700000009.000100',
      person: { id: 'U1' },
      messageAuthor: { id: 'U2' },
    })
    expect(r?.event).not.toHaveProperty('threadId')
    const removed = await run({
      type: 'reaction_removed',
      user: 'U1',
      reaction: 'bookmark',
      item: { type: 'message', channel: 'C1', ts: '1.1' },
      event_ts: '2.2',
    })
    expect(removed?.event.type).toBe('reaction.removed')
    expect(await run({ type: 'reaction_added', user: 'U1', reaction: 'x', item: { type: 'file', file: 'F1' }, event_ts: '2.2' })).toBeUndefined()
  })

  it('app_mention "@Beacon kb foo" is the kb command, answered in the thread', async () => {
    const r = await run({ type: 'app_mention', user: 'U1', text: '<@UBOT> kb vpn setup', ts: '1700000080.000100', channel: 'C1' })
    expect(r?.event).toMatchObject({ type: 'command', command: 'kb', text: 'vpn setup', person: { id: 'U1' } })
    expect(r?.reply).toEqual({ channel: 'C1', threadTs: '1700000080.000100', newThread: true })
    expect(mentionToCommand('<@UBOT>', 'UBOT')).toEqual({ command: 'beacon', text: '' })
    expect(mentionToCommand('<@UBOT> HELP', 'UBOT')).toEqual({ command: 'help', text: '' })
    expect(mentionToCommand('hey <@UBOT> what is up', 'UBOT')).toEqual({ command: 'beacon', text: 'hey what is up' })
  })

  it('app_home_opened (home tab only), member_joined_channel, our own join, app_uninstalled', async () => {
    expect((await run({ type: 'app_home_opened', user: 'U1', channel: 'D1', tab: 'home' }))?.event).toMatchObject({
      type: 'home.opened',
      person: { id: 'U1' },
    })
    expect(await run({ type: 'app_home_opened', user: 'U1', channel: 'D1', tab: 'messages' })).toBeUndefined()
    expect((await run({ type: 'member_joined_channel', user: 'U1', channel: 'C1', channel_type: 'C', team: 'T1' }))?.event).toMatchObject({
      type: 'member.joined',
      conversation: { id: 'C1', privacy: 'public' },
    })
    expect((await run({ type: 'member_joined_channel', user: 'UBOT', channel: 'C1', channel_type: 'C', inviter: 'U1' }))?.event).toMatchObject({
      type: 'app.installed',
      installer: { id: 'U1' },
    })
    expect((await run({ type: 'app_uninstalled' }))?.event.type).toBe('app.uninstalled')
  })

  it('rejects a payload missing what Beacon relies on', async () => {
    await expect(run({ type: 'message', text: 'no channel or ts' })).rejects.toThrow()
  })
})
