/**
 * Teams private and shared channels have their own members, a subset of (or beyond) the team. The
 * Bot Connector answers "is X a member" for a channel conversation with the team's roster, so a
 * thread saved in a private channel must be checked against the channel's own members (Graph
 * `allMembers`), which the channel's `membershipType` tells Beacon to do. Dana is in the team but
 * not in the private channel; Bob is in both. Bot Framework activities in, fakes for the Connector
 * and Graph out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ALICE, BOB, TEAM, TENANT, invoke, messagePayload, personalConversation, personalMessage } from '../adapters/teams/activities.ts'
import { viaCompose, type Harness } from '../adapters/teams/harness.ts'
import type { ConnectorCall } from '../support/fake-bot-connector.ts'
import type { GraphMessageFixture } from '../support/fake-graph.ts'
import { waitFor } from '../support/wait.ts'

const DANA = { id: '29:dana-bf-id', name: 'Dana Scully', aadObjectId: 'aad-dana' }
const PRIVATE = { id: '19:private-budget@thread.tacv2', name: 'budget' }
const SHARED = { id: '19:shared-vendors@thread.tacv2', name: 'vendors' }

describe('knowledge from Teams private and shared channels', () => {
  let h: Harness

  async function ask(from: typeof ALICE, text: string): Promise<string> {
    const conversation = { ...personalConversation, id: `a:1personal-${from.aadObjectId}`, tenantId: TENANT }
    const before = h.connector.messages().length
    expect((await h.post({ ...personalMessage(h.connector.serviceUrl, text), from, conversation })).status).toBe(200)
    const reply: ConnectorCall = await waitFor(
      () =>
        h.connector
          .messages()
          .slice(before)
          .find((c) => c.conversationId === conversation.id),
      `the reply to ${text}`,
    )
    return JSON.stringify(reply.body ?? {})
  }

  /** Saves a one-message thread in `channel` (membershipType as Teams sends it) through the message action. */
  async function save(channel: { id: string; name: string }, membershipType: string, root: string, text: string): Promise<void> {
    const thread: GraphMessageFixture[] = [
      {
        id: root,
        replyToId: null,
        messageType: 'message',
        createdDateTime: '2025-01-10T10:00:00.000Z',
        from: { user: { id: BOB.aadObjectId, displayName: BOB.name } },
        body: { contentType: 'html', content: `<p>${text}</p>` },
      },
    ]
    h.graph.threads.set(`${TEAM.aadGroupId}/${channel.id}/${root}`, thread)
    const activity = invoke(h.connector.serviceUrl, 'composeExtension/submitAction', {
      commandId: 'saveToKnowledge',
      commandContext: 'message',
      messagePayload: messagePayload(root, thread[0]!.body.content),
    })
    const inChannel = {
      ...activity,
      from: BOB,
      conversation: { ...activity.conversation, id: channel.id },
      channelData: { tenant: { id: TENANT }, team: TEAM, channel: { ...channel, membershipType } },
    }
    expect((await h.post(inChannel)).status).toBe(200)
    await waitFor(
      () => h.ctx.db.$client.prepare('SELECT count(*) AS n FROM knowledge_items WHERE root_message_id = ?').get(root) as { n: number },
      'saved',
    )
    await waitFor(
      () => (h.ctx.db.$client.prepare('SELECT count(*) AS n FROM knowledge_items WHERE root_message_id = ?').get(root) as { n: number }).n === 1,
      'saved',
    )
  }

  beforeAll(async () => {
    h = await viaCompose()
    // The Connector answers for any channel of the team with the team's roster.
    for (const id of [TEAM.id, PRIVATE.id, SHARED.id]) h.connector.members.set(id, [ALICE, BOB, DANA])
    // The channels' own members, as Graph lists them (AAD object ids).
    h.graph.channelMembers.set(`${TEAM.aadGroupId}/${PRIVATE.id}`, [ALICE.aadObjectId, BOB.aadObjectId])
    h.graph.channelMembers.set(`${TEAM.aadGroupId}/${SHARED.id}`, [BOB.aadObjectId, 'aad-partner-from-other-tenant'])
    for (const p of [ALICE, BOB, DANA]) await ask(p, 'help')
  })
  afterAll(async () => h?.close())

  it('a thread from a private channel is found by its members only, not by the rest of the team', async () => {
    await save(PRIVATE, 'private', '1712000300001', 'The capybara budget is frozen until Q3')
    expect(await ask(BOB, 'kb capybara')).toContain('capybara budget')
    expect(await ask(ALICE, 'kb capybara')).toContain('capybara budget')
    expect(await ask(DANA, 'kb capybara')).toContain('No saved knowledge matches')
    // Graph was asked with the app's token for the channel's own members.
    expect(h.graph.requests.some((r) => r.path.includes(`/channels/${encodeURIComponent(PRIVATE.id)}/allMembers`) && r.authorized)).toBe(true)
  })

  it('a shared channel likewise: team members outside it do not find its threads', async () => {
    await save(SHARED, 'shared', '1712000400001', 'The axolotl vendor contract renews in May')
    expect(await ask(BOB, 'kb axolotl')).toContain('axolotl vendor')
    expect(await ask(DANA, 'kb axolotl')).toContain('No saved knowledge matches')
    expect(await ask(ALICE, 'kb axolotl')).toContain('No saved knowledge matches')
  })
})
