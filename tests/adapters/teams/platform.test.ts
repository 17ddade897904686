import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Capability } from '../../../src/core/capability.ts'
import type { InboundEvent } from '../../../src/core/events.ts'
import { encodeThreadId } from '../../../src/core/thread-id.ts'
import { SqliteTeamsReferenceRepository } from '../../../src/storage/repositories/teams-references.ts'
import {
  ALICE,
  BOB,
  CHANNEL,
  TEAM,
  TENANT,
  channelData,
  channelMessage,
  installationUpdate,
  personalConversation,
  personalMessage,
} from './activities.ts'
import { withCapabilities, type Harness } from './harness.ts'

const WS = `teams:${TENANT}`
const events: InboundEvent[] = []
const listener: Capability = {
  name: 'listener',
  on: {
    'message.posted': async (e) => void events.push(e),
    'message.edited': async (e) => void events.push(e),
    'message.deleted': async (e) => void events.push(e),
    'app.installed': async (e) => void events.push(e),
  },
}

const thread = (root: string) => encodeThreadId({ platform: 'teams', workspaceExternalId: TENANT, conversationId: CHANNEL.id, rootId: root })

describe('Teams platform: references, proactive posts, Graph threads, membership', () => {
  let h: Harness
  beforeAll(async () => {
    h = await withCapabilities([listener])
    // Beacon learns where it lives from activities: a personal chat with Alice and the channel.
    expect((await h.post(installationUpdate(h.connector.serviceUrl, 'add', 'channel'))).status).toBe(200)
    expect((await h.post(personalMessage(h.connector.serviceUrl, 'hello'))).status).toBe(200)
  })
  afterAll(() => h.close())

  it('stores conversation references on install and on messages, and reports the install', async () => {
    const repo = new SqliteTeamsReferenceRepository(h.ctx.db)
    expect(repo.get(WS, CHANNEL.id)).toMatchObject({
      kind: 'channel',
      teamId: TEAM.id,
      groupId: TEAM.aadGroupId,
      reference: { serviceUrl: h.connector.serviceUrl },
    })
    expect(repo.personal(WS, ALICE.aadObjectId)).toMatchObject({ conversationId: personalConversation.id })
    expect(events.find((e) => e.type === 'app.installed')).toMatchObject({ workspace: WS, conversation: { id: CHANNEL.id, privacy: 'private' } })
  })

  it('translates channel messages, edits and deletes (HTML body → markdown, thread from ;messageid=)', async () => {
    const html = '<p>See <a href="https://example.com/doc">the doc</a> &amp; ask <at id="0">Bob Chen</at></p>'
    await h.post(channelMessage(h.connector.serviceUrl, 'ignored', { rootId: '1700000000500', id: '1700000000501', html }))
    expect(events.at(-1)).toMatchObject({
      type: 'message.posted',
      message: { id: '1700000000501', threadId: thread('1700000000500'), text: 'See [the doc](https://example.com/doc) & ask @Bob Chen' },
    })
    const edit = {
      ...channelMessage(h.connector.serviceUrl, 'fixed', { rootId: '1700000000500', id: '1700000000501' }),
      type: 'messageUpdate',
      channelData: { ...channelData(), eventType: 'editMessage' },
    }
    await h.post(edit)
    expect(events.at(-1)).toMatchObject({ type: 'message.edited', message: { id: '1700000000501', text: 'fixed' } })
    const del = { ...edit, type: 'messageDelete', channelData: { ...channelData(), eventType: 'softDeleteMessage' } }
    await h.post(del)
    expect(events.at(-1)).toMatchObject({ type: 'message.deleted', messageId: '1700000000501', threadId: thread('1700000000500') })
  })

  it('sends a proactive DM through the stored personal reference', async () => {
    const before = h.connector.messages().length
    const ref = await h.adapter.platform.post({ dmTo: { workspace: WS, id: ALICE.aadObjectId } }, { text: 'Reminder: **RFC** due today' })
    const [call] = h.connector.messages().slice(before)
    expect(call).toMatchObject({
      kind: 'send',
      conversationId: personalConversation.id,
      body: { text: 'Reminder: **RFC** due today', textFormat: 'markdown' },
    })
    expect(call!.authorization).toMatch(/^Bearer /)
    expect(ref).toMatchObject({ conversation: { id: personalConversation.id }, id: expect.any(String) })
  })

  it('opens a new 1:1 chat for a DM to someone Beacon never talked to', async () => {
    const repo = new SqliteTeamsReferenceRepository(h.ctx.db)
    repo.rememberUser(WS, BOB.aadObjectId, BOB.id)
    await h.adapter.platform.post({ dmTo: { workspace: WS, id: BOB.aadObjectId } }, { text: 'Hi Bob' })
    const create = h.connector.calls.filter((c) => c.kind === 'createConversation').at(-1)
    expect(create?.body).toMatchObject({ isGroup: false, members: [{ id: BOB.id }], tenantId: TENANT })
    expect(repo.personal(WS, BOB.aadObjectId)).toBeDefined()
  })

  it('posts from a job into a channel thread, and updates the message', async () => {
    const before = h.connector.messages().length
    const conversation = { workspace: WS, id: CHANNEL.id }
    const ref = await h.adapter.platform.post(
      { conversation, threadId: thread('1700000000600') },
      { text: 'Saved to knowledge', card: { blocks: [{ type: 'text', text: 'Saved' }] } },
    )
    const [call] = h.connector.messages().slice(before)
    expect(call).toMatchObject({ kind: 'send', conversationId: `${CHANNEL.id};messageid=1700000000600` })
    expect(ref.threadId).toBe(thread('1700000000600'))
    await h.adapter.platform.update(ref, { text: 'Saved (updated)' })
    expect(h.connector.messages().at(-1)).toMatchObject({ kind: 'update', activityId: ref.id, body: { text: 'Saved (updated)' } })
    // A new post without a thread starts one: its own id is the root.
    const root = await h.adapter.platform.post({ conversation }, { text: 'New thread' })
    expect(h.connector.messages().at(-1)!.conversationId).toBe(CHANNEL.id)
    expect(root.threadId).toBe(thread(root.id))
  })

  it('turns visibleTo on a channel post into a DM', async () => {
    const before = h.connector.messages().length
    await h.adapter.platform.post({ conversation: { workspace: WS, id: CHANNEL.id } }, { text: 'only for Alice', visibleTo: ALICE.aadObjectId })
    expect(h.connector.messages().slice(before)).toMatchObject([{ conversationId: personalConversation.id, body: { text: 'only for Alice' } }])
  })

  it('fetches a whole thread through Graph, following every page, as clean markdown', async () => {
    const msg = (id: string, who: { id: string; name: string }, html: string, extra: Record<string, unknown> = {}) => ({
      id,
      createdDateTime: `2025-01-10T10:00:${id.slice(-2)}.000Z`,
      messageType: 'message',
      from: { user: { id: who.id, displayName: who.name } },
      body: { contentType: 'html' as const, content: html },
      webUrl: `https://teams.microsoft.com/l/message/x/${id}`,
      ...extra,
    })
    const alice = { id: ALICE.aadObjectId, name: ALICE.name }
    const bob = { id: BOB.aadObjectId, name: BOB.name }
    h.graph.threads.set(`${TEAM.aadGroupId}/${CHANNEL.id}/1700000000700`, [
      msg('1700000000700', alice, '<p>How do we <strong>rotate</strong> keys?</p>'),
      msg('1700000000701', bob, '<p>Use the runbook:<br><a href="https://wiki.example/rotate">rotate keys</a></p>'),
      msg('1700000000702', alice, '<p>Thanks <at id="0">Bob&nbsp;Chen</at> &lt;3</p>'),
      msg('1700000000703', bob, '<div>deleted</div>', { deletedDateTime: '2025-01-10T11:00:00Z' }),
      msg('1700000000704', bob, '<p>Spec attached <attachment id="a1"></attachment></p>', {
        attachments: [{ id: 'a1', contentType: 'reference', contentUrl: 'https://contoso.sharepoint.com/spec.docx', name: 'spec.docx' }],
      }),
      { ...msg('1700000000705', bob, '<systemEventMessage/>'), messageType: 'systemEventMessage' },
    ])
    h.graph.pageSize = 2
    const messages = await h.adapter.platform.fetchThread(thread('1700000000700'))
    expect(messages.map((m) => m.id)).toEqual(['1700000000700', '1700000000701', '1700000000702', '1700000000704'])
    expect(messages.map((m) => m.text)).toEqual([
      'How do we **rotate** keys?',
      'Use the runbook:\n[rotate keys](https://wiki.example/rotate)',
      'Thanks @Bob Chen <3',
      'Spec attached',
    ])
    expect(messages[3]!.attachments).toEqual([{ name: 'spec.docx', url: 'https://contoso.sharepoint.com/spec.docx' }])
    expect(messages[0]).toMatchObject({ author: { id: ALICE.aadObjectId, displayName: ALICE.name }, conversation: { privacy: 'private' } })
    const replyPages = h.graph.requests.filter((r) => r.path.includes('/replies'))
    expect(replyPages.length).toBe(3)
    expect(replyPages.every((r) => r.authorized)).toBe(true)
    expect(h.graph.tokenRequests.at(-1)).toMatchObject({
      tenant: TENANT,
      scope: `${new URL(h.graph.graphUrl).origin}/.default`,
      grantType: 'client_credentials',
    })
  })

  it('checks membership through the Bot Connector and caches the answer', async () => {
    h.connector.members.set(CHANNEL.id, [{ id: ALICE.id, name: ALICE.name, aadObjectId: ALICE.aadObjectId }])
    expect(await h.adapter.platform.isMember(WS, ALICE.aadObjectId, CHANNEL.id)).toBe(true)
    expect(await h.adapter.platform.isMember(WS, BOB.aadObjectId, CHANNEL.id)).toBe(false)
    const lookups = h.connector.calls.filter((c) => c.kind === 'member').length
    expect(await h.adapter.platform.isMember(WS, ALICE.aadObjectId, CHANNEL.id)).toBe(true)
    expect(h.connector.calls.filter((c) => c.kind === 'member').length).toBe(lookups)
    expect(await h.adapter.platform.isMember(WS, ALICE.aadObjectId, '19:unknown@thread.tacv2')).toBe(false)
  })

  it('builds the Teams deep link for a channel message', async () => {
    const link = await h.adapter.platform.permalink({
      conversation: { workspace: WS, id: CHANNEL.id },
      id: '1700000000701',
      threadId: thread('1700000000700'),
    })
    expect(link).toBe(
      `https://teams.microsoft.com/l/message/${encodeURIComponent(CHANNEL.id)}/1700000000701` +
        `?tenantId=${TENANT}&groupId=${TEAM.aadGroupId}&parentMessageId=1700000000700`,
    )
  })

  it('forgets the references of a team the app is removed from', async () => {
    await h.post(installationUpdate(h.connector.serviceUrl, 'remove', 'channel'))
    expect(new SqliteTeamsReferenceRepository(h.ctx.db).get(WS, CHANNEL.id)).toBeUndefined()
    await expect(h.adapter.platform.post({ conversation: { workspace: WS, id: CHANNEL.id } }, { text: 'x' })).rejects.toMatchObject({
      code: 'not_found',
    })
  })
})

describe('Teams with neither an app id nor TEAMS_ANONYMOUS', () => {
  it('answers 401 to everything and processes nothing', async () => {
    const h = await withCapabilities([listener], { auth: 'none' })
    try {
      const res = await h.post(personalMessage(h.connector.serviceUrl, 'help'))
      expect(res.status).toBe(401)
      expect(h.connector.calls).toHaveLength(0)
      expect(await h.ctx.repos.workspaces.get(WS)).toBeUndefined()
    } finally {
      await h.close()
    }
  })
})
