/**
 * Teams activity JSON → core events, without botbuilder or HTTP: the activities are shaped as
 * Teams sends them (botbuilder-js teamsActivityHandler tests, msteams-docs conversation events).
 */
import { describe, expect, it } from 'vitest'
import { activitySchema, whereOf } from '../../../adapters/teams/translate-activity.ts'
import {
  beaconRemoved,
  commandEvent,
  deletedEvent,
  installationEvent,
  joinedEvents,
  postedEvent,
  readMessage,
  withoutBotMention,
} from '../../../adapters/teams/translate-events.ts'
import { ALICE, BOB, BOT, CHANNEL, TEAM, TENANT, channelData, channelMessage, installationUpdate, personalMessage } from './activities.ts'

const SERVICE = 'https://smba.trafficmanager.net/emea/'
const NOW = new Date('2025-01-06T09:00:00Z')
const parse = (raw: unknown) => {
  const a = activitySchema.parse(raw)
  return { a, where: whereOf(a) }
}

describe('Teams translation (pure)', () => {
  it('an @mention in a channel is a command in that thread, with Beacon’s mention removed', () => {
    const { a, where } = parse(channelMessage(SERVICE, 'kb deploy checklist', { mention: true, id: '1736150000001', rootId: '1736150000000' }))
    expect(withoutBotMention(a)).toBe('kb deploy checklist')
    const m = readMessage(a, where)!
    expect(m.addressed).toBe(true)
    const event = commandEvent(a, where, m, NOW)
    expect(event).toMatchObject({
      type: 'command',
      command: 'kb',
      text: 'deploy checklist',
      workspace: `teams:${TENANT}`,
      platform: 'teams',
      eventId: `${CHANNEL.id}|1736150000001`,
      person: { workspace: `teams:${TENANT}`, id: ALICE.aadObjectId, displayName: ALICE.name },
      conversation: { id: CHANNEL.id, name: `${TEAM.name} › ${CHANNEL.name}`, privacy: 'private' },
    })
    expect(event.type === 'command' && event.threadId).toContain('1736150000000')
  })

  it('a channel message without a mention is only posted; Beacon’s own messages are nothing', () => {
    const { a, where } = parse(channelMessage(SERVICE, 'we ship on Friday', { id: '1736150000002' }))
    const m = readMessage(a, where)!
    expect(m.addressed).toBe(false)
    expect(postedEvent(a, where, m, NOW)).toMatchObject({
      type: 'message.posted',
      message: { id: '1736150000002', text: 'we ship on Friday', author: { id: ALICE.aadObjectId } },
    })
    const own = parse({ ...channelMessage(SERVICE, 'a reply from Beacon'), from: BOT })
    expect(readMessage(own.a, own.where)).toBeUndefined()
  })

  it('in a personal chat every message is for Beacon; unknown words ask Beacon itself', () => {
    const { a, where } = parse(personalMessage(SERVICE, 'what can you do?', '1736150000003'))
    const m = readMessage(a, where)!
    expect(m.addressed).toBe(true)
    expect(commandEvent(a, where, m, NOW)).toMatchObject({
      type: 'command',
      command: 'beacon',
      text: 'what can you do?',
      conversation: { privacy: 'direct' },
    })
  })

  it('a deleted message names its thread; the activity time wins over the clock', () => {
    const raw = { ...channelMessage(SERVICE, ''), type: 'messageDelete', id: '1736150000004', timestamp: '2025-01-05T08:00:00.000Z' }
    const { a, where } = parse(raw)
    const event = deletedEvent({ ...a, id: '1736150000004' }, where, NOW)
    expect(event).toMatchObject({ type: 'message.deleted', messageId: '1736150000004', at: new Date('2025-01-05T08:00:00Z') })
  })

  it('members added become member.joined (not Beacon itself); Beacon removed is a removal', () => {
    const update = {
      type: 'conversationUpdate',
      id: 'f:1736150000005',
      channelId: 'msteams',
      serviceUrl: SERVICE,
      from: ALICE,
      recipient: BOT,
      conversation: { id: CHANNEL.id, conversationType: 'channel', tenantId: TENANT, isGroup: true },
      channelData: { ...channelData(), eventType: 'teamMemberAdded' },
      membersAdded: [BOB, BOT],
    }
    const { a, where } = parse(update)
    const joined = joinedEvents(a, where, NOW)
    expect(joined.map((j) => j.event)).toEqual([
      expect.objectContaining({ type: 'member.joined', person: { workspace: `teams:${TENANT}`, id: BOB.aadObjectId, displayName: BOB.name } }),
    ])
    expect(joined[0]!.member.id).toBe(BOB.id)
    expect(beaconRemoved(a)).toBe(false)
    expect(
      beaconRemoved(
        parse({ ...update, membersAdded: undefined, membersRemoved: [BOT], channelData: { ...channelData(), eventType: 'teamMemberRemoved' } }).a,
      ),
    ).toBe(true)
    expect(beaconRemoved(parse({ ...update, membersAdded: undefined, channelData: { ...channelData(), eventType: 'teamDeleted' } }).a)).toBe(true)
  })

  it('installationUpdate: add is app.installed, remove is a removal, add-upgrade is nothing', () => {
    const added = parse(installationUpdate(SERVICE, 'add', 'channel'))
    expect(installationEvent(added.a, added.where, NOW)).toMatchObject({ type: 'app.installed', installer: { id: ALICE.aadObjectId } })
    const removed = parse(installationUpdate(SERVICE, 'remove', 'channel'))
    expect(installationEvent(removed.a, removed.where, NOW)).toBe('removed')
    const upgraded = parse({ ...installationUpdate(SERVICE, 'add', 'channel'), action: 'add-upgrade' })
    expect(installationEvent(upgraded.a, upgraded.where, NOW)).toBeUndefined()
  })
})
