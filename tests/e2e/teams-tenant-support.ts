/**
 * Helpers for the Teams "real tenant" end-to-end tests: activities shaped like the ones a tenant
 * sends (channel activities without the group id, installs with it, message actions, @mentions)
 * and views of what the fake Bot Connector was sent.
 */
import { ALICE, BOB, TENANT, nextId, personalConversation } from '../adapters/teams/activities.ts'
import type { Harness } from '../adapters/teams/harness.ts'
import type { ConnectorCall } from '../support/fake-bot-connector.ts'
import type { GraphMessageFixture } from '../support/fake-graph.ts'

export const WS = `teams:${TENANT}`
export const DANA = { id: '29:dana-bf-id', name: 'Dana Scully', aadObjectId: 'aad-dana' }

export interface Team {
  id: string
  name: string
  aadGroupId: string
}
export const OPS: Team = { id: '19:ops-general@thread.tacv2', name: 'Ops', aadGroupId: 'group-ops' }
export const SALES: Team = { id: '19:sales-general@thread.tacv2', name: 'Sales', aadGroupId: 'group-sales' }
export const LEGAL: Team = { id: '19:legal-general@thread.tacv2', name: 'Legal', aadGroupId: 'group-legal' }
export const INCIDENTS = '19:ops-incidents@thread.tacv2'
export const DEALS = '19:sales-deals@thread.tacv2'
export const CONTRACTS = '19:legal-contracts@thread.tacv2'
const BEACON = { id: '28:00000000-0000-0000-0000-00000000b0b0', name: 'Beacon' }

export const shown = (c: ConnectorCall) => JSON.stringify(c.body ?? {})
export const threadOf = (channel: string, root: string) => `teams:${TENANT}:${encodeURIComponent(channel)}:${root}`
export const aliceChat = personalConversation.id

export function graphThread(root: string, lines: [typeof ALICE, string][]): GraphMessageFixture[] {
  return lines.map(([who, text], i) => ({
    id: i === 0 ? root : `${root}${i}`,
    replyToId: i === 0 ? null : root,
    messageType: 'message',
    createdDateTime: `2025-02-03T09:0${i}:00.000Z`,
    from: { user: { id: who.aadObjectId, displayName: who.name }, application: null },
    body: { contentType: 'html', content: `<p>${text}</p>` },
  }))
}

export function payload(id: string, text: string, replyToId: string | null = null) {
  return {
    id,
    replyToId,
    createdDateTime: '2025-02-03T09:00:00.000Z',
    messageType: 'message',
    from: { user: { id: BOB.aadObjectId, displayName: BOB.name, userIdentityType: 'aadUser' }, application: null },
    body: { contentType: 'html', content: `<p>${text}</p>` },
    attachments: [],
    linkToMessage: `https://teams.microsoft.com/l/message/x/${id}`,
  }
}

/** Activities and views bound to one harness. */
export function tenant(h: Harness) {
  /** What Teams sends for a channel activity: `team` without aadGroupId (only installs carry it). */
  function inChannel(team: Team, channel: string, extra: Record<string, unknown>) {
    return {
      channelId: 'msteams',
      serviceUrl: h.connector.serviceUrl,
      timestamp: new Date().toISOString(),
      from: ALICE,
      recipient: BEACON,
      conversation: { id: channel, conversationType: 'channel', isGroup: true, tenantId: TENANT },
      channelData: {
        tenant: { id: TENANT },
        team: { id: team.id, name: team.name },
        channel: { id: channel.split(';')[0], name: channel.split(':')[1]!.split('@')[0] },
      },
      ...extra,
    }
  }
  /** Messages Teams accepted since call number `mark`. */
  const sentSince = (mark: number) =>
    h.connector.calls.slice(mark).filter((c) => (c.kind === 'send' || c.kind === 'reply') && (c.status ?? 201) < 300)
  return {
    inChannel,
    sentSince,
    dmsTo: (chat: string, since: number) => sentSince(since).filter((c) => c.conversationId === chat),
    /** Installing in a team arrives in its General channel (channel id = team id), with the group id. */
    install(team: Team) {
      const a = inChannel(team, team.id, { type: 'installationUpdate', id: nextId(), action: 'add' })
      return { ...a, channelData: { ...a.channelData, team: { ...team } } }
    },
    save(team: Team, channel: string, messagePayload: unknown) {
      return inChannel(team, channel, {
        type: 'invoke',
        id: `f:${nextId()}`,
        name: 'composeExtension/submitAction',
        value: { commandId: 'saveToKnowledge', commandContext: 'message', messagePayload },
      })
    },
    /** `@Beacon <text>` in a channel thread, with a mention entity for each person named like `<at>Name</at>`. */
    command(team: Team, channel: string, text: string, people: { id: string; name: string }[]) {
      const id = nextId()
      return inChannel(team, `${channel};messageid=${id}`, {
        type: 'message',
        id,
        text: `<at>Beacon</at> ${text}`,
        entities: [
          { type: 'mention', text: '<at>Beacon</at>', mentioned: BEACON },
          ...people.map((p) => ({ type: 'mention', text: `<at>${p.name}</at>`, mentioned: { id: p.id, name: p.name } })),
        ],
      })
    },
  }
}
