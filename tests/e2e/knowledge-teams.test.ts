/**
 * Knowledge on Teams, end to end: composeBeacon(loadConfig(…)) + listen(0) (the Teams harness's
 * viaCompose), a real SQLite file and the in-process queue; Bot Framework activities with valid
 * tokens from the fake issuer to POST /api/messages; Graph and the Bot Connector are local fakes.
 * Assertions are what a Teams user sees: the dialog answer, the message in the thread, the chat reply.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  ALICE,
  BOB,
  CHANNEL,
  channelData,
  channelMessage,
  invoke,
  messagePayload,
  personalConversation,
  personalMessage,
  TEAM,
  TENANT,
} from '../adapters/teams/activities.ts'
import { viaCompose, type Harness } from '../adapters/teams/harness.ts'
import type { ConnectorCall } from '../support/fake-bot-connector.ts'
import type { GraphMessageFixture } from '../support/fake-graph.ts'
import { failedJobs, itemsOfThread, jobsIdle, settled } from './knowledge-support.ts'
import { waitFor } from '../support/wait.ts'
import { CAROL, DANA, OTHER_TENANT, ROOT, TITLE, WEB_URL, threadId, msg, THREAD } from './knowledge-teams-thread.ts'

let h: Harness

/** The message that was acted on: Carol's reply, not the root. */
const acted = () => messagePayload('1712000100003', THREAD[2]!.body.content, ROOT)

function saveInvoke(name: 'composeExtension/fetchTask' | 'composeExtension/submitAction', from = ALICE) {
  return { ...invoke(h.connector.serviceUrl, name, { commandId: 'saveToKnowledge', commandContext: 'message', messagePayload: acted() }), from }
}

function confirmations(): ConnectorCall[] {
  return h.connector
    .messages()
    .filter((c) => c.conversationId === `${CHANNEL.id};messageid=${ROOT}` && String(c.body?.text ?? '').includes('Saved to knowledge'))
}

/** Text and card of a connector message, as one string to search. */
const shown = (c: ConnectorCall) => JSON.stringify(c.body ?? {})

function personal(from: typeof ALICE, text: string, tenant = TENANT) {
  const base = personalMessage(h.connector.serviceUrl, text)
  return {
    ...base,
    from,
    conversation: { ...personalConversation, id: `a:1personal-${from.aadObjectId}-${tenant.slice(0, 5)}`, tenantId: tenant },
    channelData: { tenant: { id: tenant } },
  }
}

/** Sends a personal-chat command and returns the reply Beacon sent in that chat. */
async function ask(from: typeof ALICE, text: string, tenant = TENANT): Promise<ConnectorCall> {
  const activity = personal(from, text, tenant)
  const before = h.connector.messages().length
  const res = await h.post(activity)
  expect(res.status).toBe(200)
  return waitFor(
    () =>
      h.connector
        .messages()
        .slice(before)
        .find((c) => c.conversationId === activity.conversation.id),
    `the reply to "${text}"`,
  )
}

beforeAll(async () => {
  h = await viaCompose({ env: { KNOWLEDGE_REFRESH_DEBOUNCE_MS: '300' } })
  h.graph.threads.set(`${TEAM.aadGroupId}/${CHANNEL.id}/${ROOT}`, THREAD)
  h.connector.members.set(CHANNEL.id, [ALICE, BOB, CAROL])
})
afterAll(async () => {
  const failed = h ? failedJobs(h.ctx.db) : []
  await h?.close()
  expect(failed).toEqual([])
})

describe('Teams knowledge end to end', () => {
  it('saveToKnowledge saves the whole channel thread from Graph (every page, HTML → markdown), confirmed once in the thread', async () => {
    const res = await h.post(saveInvoke('composeExtension/fetchTask'))
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ task: { type: 'message', value: expect.stringContaining('Saving this thread') } })

    const [confirmation] = await waitFor(() => confirmations().length === 1 && confirmations(), 'the confirmation in the thread')
    const text = String(confirmation!.body!.text)
    expect(text).toContain(`Saved to knowledge: [${TITLE}](${WEB_URL})`)
    expect(text).toContain('@Bob Chen, @Alice Martin, @Carol Diaz')
    expect(text).not.toContain('CI Bot')
    // A reply in the channel thread: the conversation id carries ";messageid=<root>", percent-encoded on the wire.
    expect(confirmation!.rawPath).toContain(encodeURIComponent(`${CHANNEL.id};messageid=${ROOT}`))

    // Graph was read with an app-only token of the thread's tenant, following @odata.nextLink.
    expect(h.graph.tokenRequests.some((t) => t.tenant === TENANT)).toBe(true)
    const replies = h.graph.requests.filter((r) => r.path.includes(`/messages/${ROOT}/replies`))
    expect(replies.length).toBeGreaterThanOrEqual(3)
    expect(replies.every((r) => r.authorized)).toBe(true)

    const [item] = itemsOfThread(h.ctx.db, threadId)
    expect(item!.title).toBe(TITLE)
    expect(item!.body).toContain('Ask @Bob Chen — he wrote [the runbook](https://wiki.example.com/rotate).')
    expect(item!.body).toContain('Done, thanks @Carol Diaz!') // last page
    expect(item!.body).toContain('ninety_ days & need a ticket') // entities decoded
    expect(item!.body).not.toMatch(/<at|<p>|&amp;|&nbsp;/)
  })

  it('saving again, by someone else, retried or racing never makes a second item or confirmation', async () => {
    const retried = saveInvoke('composeExtension/fetchTask')
    const [a, b, c, d] = await Promise.all([
      h.post(retried),
      h.post(retried), // the same invoke delivered twice
      h.post(saveInvoke('composeExtension/fetchTask', BOB)),
      h.post(saveInvoke('composeExtension/submitAction', CAROL)),
    ])
    for (const r of [a, b, c, d]) expect(r!.status).toBe(200)
    await jobsIdle(h.ctx.db)
    await settled(() => h.connector.calls.length + h.graph.requests.length)
    expect(confirmations()).toHaveLength(1)
    expect(itemsOfThread(h.ctx.db, threadId)).toHaveLength(1)
  })

  it('a saved channel thread stays current: a new reply and an edit update it, deleting the root archives it', async () => {
    // A second saved thread, so the first stays intact for the searches below.
    const root2 = '1712000200001'
    const thread2: GraphMessageFixture[] = [
      { ...msg(root2, ALICE, '<p>Which printer queue is for the fourth floor?</p>', 10), replyToId: null },
      { ...msg('1712000200002', BOB, '<p>The one called <b>heron</b></p>', 11), replyToId: root2 },
    ]
    h.graph.threads.set(`${TEAM.aadGroupId}/${CHANNEL.id}/${root2}`, thread2)
    const save = invoke(h.connector.serviceUrl, 'composeExtension/fetchTask', {
      commandId: 'saveToKnowledge',
      commandContext: 'message',
      messagePayload: messagePayload(root2, thread2[0]!.body.content),
    })
    expect((await h.post(save)).status).toBe(200)
    const thread2Id = `teams:${TENANT}:${encodeURIComponent(CHANNEL.id)}:${root2}`
    await waitFor(
      () =>
        itemsOfThread(h.ctx.db, thread2Id).length === 1 &&
        h.connector.messages().some((c) => c.conversationId === `${CHANNEL.id};messageid=${root2}`),
      'the second thread saved',
    )

    // A new reply arrives as a channel message in that thread (RSC delivers every channel message).
    thread2.push({ ...msg('1712000200003', CAROL, '<p>Unless it jams, then use <i>egret</i></p>', 12), replyToId: root2 })
    expect(
      (
        await h.post({
          ...channelMessage(h.connector.serviceUrl, 'Unless it jams, then use egret', { rootId: root2, id: '1712000200003' }),
          from: CAROL,
        })
      ).status,
    ).toBe(200)
    await waitFor(
      async () => shown(await ask(ALICE, 'kb egret')).includes('Which printer queue is for the fourth floor?'),
      'the new reply to be searchable',
    )

    // An edit of Bob's reply.
    thread2[1] = {
      ...thread2[1]!,
      body: { contentType: 'html', content: '<p>The one called <b>pelican</b></p>' },
      lastEditedDateTime: '2025-01-10T10:20:00.000Z',
    }
    const edit = {
      ...channelMessage(h.connector.serviceUrl, 'The one called pelican', { rootId: root2, id: '1712000200002' }),
      from: BOB,
      type: 'messageUpdate',
      channelData: { ...channelData(), eventType: 'editMessage' },
    }
    expect((await h.post(edit)).status).toBe(200)
    await waitFor(
      async () => shown(await ask(ALICE, 'kb pelican')).includes('Which printer queue is for the fourth floor?'),
      'the edit to be searchable',
    )
    expect(shown(await ask(ALICE, 'kb heron'))).toContain('No saved knowledge matches')

    // The root deleted: archived, gone from search, and still only one confirmation in that thread.
    const del = {
      ...channelMessage(h.connector.serviceUrl, '', { rootId: root2, id: root2 }),
      from: ALICE,
      type: 'messageDelete',
      channelData: { ...channelData(), eventType: 'softDeleteMessage' },
    }
    expect((await h.post(del)).status).toBe(200)
    await waitFor(async () => shown(await ask(ALICE, 'kb pelican')).includes('No saved knowledge matches'), 'the archived item to leave search')
    expect(itemsOfThread(h.ctx.db, thread2Id)).toMatchObject([{ status: 'archived' }])
    expect(
      h.connector
        .messages()
        .filter((c) => c.conversationId === `${CHANNEL.id};messageid=${root2}` && String(c.body?.text ?? '').includes('Saved to knowledge')),
    ).toHaveLength(1)
  })

  it('kb <words> in a personal chat returns the item with its snippet, channel and link', async () => {
    const reply = await ask(ALICE, 'kb ninety days')
    const body = shown(reply)
    expect(body).toContain(TITLE)
    expect(body).toContain(WEB_URL.replace(/&/g, '\\u0026').slice(0, 40)) // the link (JSON-escaped)
    expect(body).toContain('**ninety**')
    expect(body).toContain('Platform › design')
    expect(body).toContain('Open in Teams')
    // Mentions were stored as names: the snippet around "runbook" reads "@Bob Chen".
    expect(shown(await ask(ALICE, 'kb runbook'))).toContain('Bob Chen')
    expect(shown(await ask(ALICE, 'kb tag:ops'))).toContain(TITLE)
    expect(shown(await ask(ALICE, 'kb from:@carol rotate'))).toContain(TITLE)
  })

  it('kb after an @mention in a channel answers privately, by DM, not in the channel', async () => {
    // Alice's 1:1 chat reference is known from the personal chat above.
    const before = h.connector.messages().length
    const res = await h.post({ ...channelMessage(h.connector.serviceUrl, 'kb kubeconfig', { mention: true }), from: ALICE })
    expect(res.status).toBe(200)
    const [dm] = await waitFor(() => h.connector.messages().slice(before).length && h.connector.messages().slice(before), 'the private results')
    const aliceChat = `a:1personal-${ALICE.aadObjectId}-${TENANT.slice(0, 5)}`
    expect(dm!.conversationId).toBe(aliceChat)
    expect(shown(dm!)).toContain(TITLE)
    await settled(() => h.connector.calls.length)
    const inChannel = h.connector
      .messages()
      .slice(before)
      .filter((c) => c.conversationId?.startsWith(CHANNEL.id))
    expect(inChannel.map(shown).join('\n')).not.toContain(TITLE)
  })

  it('a channel item is found only by current members of that channel (members endpoint: 200 vs 404)', async () => {
    expect(shown(await ask(BOB, 'kb kubeconfig'))).toContain(TITLE)
    const denied = await ask(DANA, 'kb kubeconfig')
    expect(shown(denied)).toContain('No saved knowledge matches')
    expect(shown(denied)).not.toContain(TITLE)
    expect(h.connector.calls.some((c) => c.kind === 'member' && c.memberId === DANA.aadObjectId)).toBe(true)
    expect(shown(await ask(DANA, 'kb in:design'))).not.toContain(TITLE)
    expect(shown(await ask(DANA, 'kb'))).not.toContain(TITLE)
  })

  it('another tenant never sees it, even the same AAD ids', async () => {
    const other = await ask(ALICE, 'kb kubeconfig', OTHER_TENANT)
    expect(shown(other)).toContain('No saved knowledge matches')
    expect(shown(other)).not.toContain(TITLE)
    expect(shown(await ask(ALICE, 'kb', OTHER_TENANT))).toContain('Nothing saved yet')
  })

  it('with suggestions on, a new question in the channel gets the saved answer as a reply in its thread', async () => {
    const on = await h.post({ ...channelMessage(h.connector.serviceUrl, 'kb suggest on', { mention: true }), from: ALICE })
    expect(on.status).toBe(200)
    await waitFor(
      () => h.connector.messages().some((c) => String(c.body?.text ?? '').includes('Answer suggestions are on')),
      'suggestions switched on',
    )
    const question = channelMessage(h.connector.serviceUrl, 'Anyone know how we rotate the staging kubeconfig?')
    expect((await h.post({ ...question, from: BOB })).status).toBe(200)
    // Saved from this very channel, so everyone in the thread may read it: a reply there, not a DM.
    const [tip] = await waitFor(() => {
      const found = h.connector
        .messages()
        .filter((c) => c.conversationId === `${CHANNEL.id};messageid=${question.id}` && shown(c).includes('This may help'))
      return found.length > 0 && found
    }, 'the suggestion in the question’s thread')
    expect(shown(tip!)).toContain(TITLE)
  })

  it('hostile queries are answered in the chat, never an error', async () => {
    for (const q of ['"unbalanced', 'kube*', 'NEAR(rotate kubeconfig)', '-rotate', '🔥🔥', 'x'.repeat(5000)]) {
      const reply = shown(await ask(ALICE, `kb ${q}`))
      expect(reply, q.slice(0, 20)).not.toMatch(/went wrong/i)
      expect(reply, q.slice(0, 20)).toMatch(/Knowledge for|No saved knowledge matches|Type some words|these match some of them/)
    }
  })
})
