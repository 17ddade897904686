/**
 * Bot Framework activities shaped like the ones Teams sends (see botbuilder-js
 * teamsActivityHandler tests and the msteams-docs conversation-event pages).
 */
import { randomUUID } from 'node:crypto'
import { APP_ID } from './harness.ts'

export const TENANT = '72f988bf-0000-0000-0000-00000000000a'
export const BOT = { id: `28:${APP_ID}`, name: 'Beacon' }
export const ALICE = { id: '29:alice-bf-id', name: 'Alice Martin', aadObjectId: 'aad-alice' }
export const BOB = { id: '29:bob-bf-id', name: 'Bob Chen', aadObjectId: 'aad-bob' }
export const TEAM = { id: '19:team-general@thread.tacv2', name: 'Platform', aadGroupId: 'group-platform' }
export const CHANNEL = { id: '19:abc@thread.tacv2', name: 'design' }

let seq = 1_712_000_000_000
export const nextId = () => String(++seq)

function base(serviceUrl: string, conversation: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    channelId: 'msteams',
    serviceUrl,
    timestamp: new Date().toISOString(),
    localTimezone: 'Europe/Paris',
    from: ALICE,
    recipient: BOT,
    conversation: { tenantId: TENANT, ...conversation },
    channelData: { tenant: { id: TENANT } },
    ...extra,
  }
}

export const personalConversation = { id: 'a:1personal-alice', conversationType: 'personal' }

export function personalMessage(serviceUrl: string, text: string, id = nextId()) {
  return { ...base(serviceUrl, personalConversation), type: 'message', id, text, textFormat: 'plain' }
}

export function channelData(membershipType = 'standard') {
  return { tenant: { id: TENANT }, team: TEAM, channel: { ...CHANNEL, membershipType } }
}

/** A channel message; `rootId` makes it a reply in that thread, otherwise it starts its own. */
export function channelMessage(serviceUrl: string, text: string, opts: { mention?: boolean; rootId?: string; id?: string; html?: string } = {}) {
  const id = opts.id ?? nextId()
  const root = opts.rootId ?? id
  const mentionText = '<at>Beacon</at>'
  return {
    ...base(serviceUrl, { id: `${CHANNEL.id};messageid=${root}`, conversationType: 'channel', isGroup: true }),
    type: 'message',
    id,
    ...(opts.rootId ? { replyToId: opts.rootId } : {}),
    text: opts.mention ? `${mentionText} ${text}` : text,
    textFormat: 'plain',
    entities: [
      ...(opts.mention ? [{ type: 'mention', text: mentionText, mentioned: BOT }] : []),
      { type: 'clientInfo', locale: 'en-US', timezone: 'Europe/Paris', platform: 'Web' },
    ],
    ...(opts.html ? { attachments: [{ contentType: 'text/html', content: opts.html }] } : {}),
    channelData: channelData(),
  }
}

export function invoke(
  serviceUrl: string,
  name: string,
  value: unknown,
  where: 'channel' | 'personal' = 'channel',
  extra: Record<string, unknown> = {},
) {
  const conversation = where === 'channel' ? { id: CHANNEL.id, conversationType: 'channel', isGroup: true } : personalConversation
  return {
    ...base(serviceUrl, conversation),
    type: 'invoke',
    id: `f:${randomUUID()}`,
    name,
    value,
    ...(where === 'channel' ? { channelData: channelData() } : {}),
    ...extra,
  }
}

export function messagePayload(id: string, html: string, replyToId?: string) {
  return {
    id,
    replyToId: replyToId ?? null,
    createdDateTime: '2025-01-10T10:00:00.000Z',
    messageType: 'message',
    from: { user: { id: BOB.aadObjectId, displayName: BOB.name, userIdentityType: 'aadUser' }, application: null },
    body: { contentType: 'html', content: html },
    attachments: [],
    linkToMessage: `https://teams.microsoft.com/l/message/${encodeURIComponent(CHANNEL.id)}/${id}`,
  }
}

export function installationUpdate(serviceUrl: string, action: 'add' | 'remove', where: 'channel' | 'personal') {
  const conversation = where === 'channel' ? { id: CHANNEL.id, conversationType: 'channel', isGroup: true } : personalConversation
  return {
    ...base(serviceUrl, conversation),
    type: 'installationUpdate',
    id: nextId(),
    action,
    ...(where === 'channel' ? { channelData: channelData() } : {}),
  }
}
