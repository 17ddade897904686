import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ALICE, CHANNEL, TENANT, channelMessage, invoke, messagePayload, personalConversation, personalMessage } from './activities.ts'
import { jobsIdle } from '../../support/jobs.ts'
import { APP_ID as APP_ID_FOR_TEST, viaCompose, type Harness } from './harness.ts'

describe('Teams through composeBeacon: messages, commands, invokes', () => {
  let h: Harness
  beforeAll(async () => {
    h = await viaCompose()
  })
  afterAll(() => h.close())

  it('answers `help` in a personal chat with the help card', async () => {
    const before = h.connector.messages().length
    const res = await h.post(personalMessage(h.connector.serviceUrl, 'help'))
    expect(res.status).toBe(200)
    const [reply] = (await h.connector.waitForMessages(before + 1)).slice(before)
    expect(reply!.kind).toBe('reply')
    expect(reply!.conversationId).toBe(personalConversation.id)
    const body = reply!.body as { summary?: string; attachments?: { contentType: string; content: { body: { text?: string }[] } }[] }
    expect(body.attachments?.[0]?.contentType).toBe('application/vnd.microsoft.card.adaptive')
    expect(body.attachments?.[0]?.content.body[0]?.text).toBe('Beacon help')
    expect(body.summary).toContain('Beacon')
    // The Bot Connector call carried a token from the (fake) Azure AD for the Bot Framework audience.
    expect(reply!.authorization).toMatch(/^Bearer fake-token-/)
    expect(h.graph.tokenRequests.some((t) => t.scope === 'https://api.botframework.com/.default' && t.tenant === 'botframework.com')).toBe(true)
  })

  it('answers `@Beacon beacon help` in a channel inside that thread, with the encoded conversation id', async () => {
    const before = h.connector.messages().length
    const msg = channelMessage(h.connector.serviceUrl, 'beacon help', { mention: true, rootId: '1700000000001' })
    expect((await h.post(msg)).status).toBe(200)
    const [reply] = (await h.connector.waitForMessages(before + 1)).slice(before)
    expect(reply!.conversationId).toBe(`${CHANNEL.id};messageid=1700000000001`)
    expect(reply!.rawPath).toContain('19%3Aabc%40thread.tacv2%3Bmessageid%3D1700000000001')
    expect(reply!.activityId).toBe(msg.id)
  })

  it('processes a redelivered activity once', async () => {
    const before = h.connector.messages().length
    const msg = personalMessage(h.connector.serviceUrl, 'kb something')
    // The Bot Framework answers after the whole turn: each 200 means that delivery was fully handled.
    expect((await h.post(msg)).status).toBe(200)
    expect((await h.post(msg)).status).toBe(200)
    await jobsIdle(h.ctx.db)
    expect(h.connector.messages().length).toBe(before + 1)
  })

  it('stores the workspace, the person (with timezone) and the conversation', async () => {
    const ws = `teams:${TENANT}`
    expect(await h.ctx.repos.workspaces.get(ws)).toMatchObject({ platform: 'teams' })
    expect(await h.ctx.repos.people.get(ws, ALICE.aadObjectId)).toMatchObject({ displayName: ALICE.name, timezone: 'Europe/Paris' })
    expect(await h.ctx.repos.conversations.get(ws, CHANNEL.id)).toMatchObject({ privacy: 'private', name: 'Platform › design' })
    expect(await h.ctx.repos.conversations.get(ws, personalConversation.id)).toMatchObject({ privacy: 'direct' })
  })

  it('answers composeExtension/fetchTask within budget with a task response', async () => {
    const started = Date.now()
    const res = await h.post(
      invoke(h.connector.serviceUrl, 'composeExtension/fetchTask', {
        commandId: 'createTask',
        commandContext: 'message',
        messagePayload: messagePayload('1700000000100', '<p>Ship it</p>'),
      }),
    )
    expect(Date.now() - started).toBeLessThan(5_000)
    expect(res.status).toBe(200)
    // The dialog asks for the task's details, prefilled from the message.
    expect(res.body).toMatchObject({ task: { type: 'continue' } })
    expect(JSON.stringify(res.body)).toContain('Ship it')
  })

  it('refuses a malformed body or activity with 400 and keeps serving', async () => {
    expect((await h.post(undefined, { raw: '{"type": "message",' })).status).toBe(400)
    expect((await h.post({ type: 'message', text: 'no envelope' })).status).toBe(400)
    expect((await h.post([1, 2, 3])).status).toBe(400)
    const bad = { ...personalMessage(h.connector.serviceUrl, 'help'), serviceUrl: 'javascript:alert(1)' }
    expect((await h.post(bad)).status).toBe(400)
    const ok = await fetch(`${h.url}/healthz`)
    expect(ok.status).toBe(200)
  })

  it('refuses a request without a token, with a foreign key, or expired: 401 and nothing processed', async () => {
    const before = h.connector.calls.length
    const msg = personalMessage(h.connector.serviceUrl, 'help')
    expect((await h.post(msg, { token: null })).status).toBe(401)
    expect(
      (await h.post(msg, { token: h.issuer.token({ audience: APP_ID_FOR_TEST, serviceUrl: h.connector.serviceUrl, foreignKey: true }) })).status,
    ).toBe(401)
    expect(
      (await h.post(msg, { token: h.issuer.token({ audience: APP_ID_FOR_TEST, serviceUrl: h.connector.serviceUrl, expiresIn: -3600 }) })).status,
    ).toBe(401)
    expect((await h.post(msg, { token: h.issuer.token({ audience: 'another-bot', serviceUrl: h.connector.serviceUrl }) })).status).toBe(401)
    expect((await h.post(msg, { token: h.issuer.token({ audience: APP_ID_FOR_TEST, serviceUrl: 'https://evil.example/' }) })).status).toBe(401)
    const tampered = h.issuer
      .token({ audience: APP_ID_FOR_TEST, serviceUrl: h.connector.serviceUrl })
      .replace(/\.([^.]+)\./, (_m, p: string) => `.${p.slice(0, -2)}AA.`)
    expect((await h.post(msg, { token: tampered })).status).toBe(401) // refused before the turn starts
    expect(h.connector.calls.length).toBe(before)
    // And the same activity with a valid token goes through.
    expect((await h.post(msg)).status).toBe(200)
  })
})

describe('Teams without an app id', () => {
  it('accepts unauthenticated traffic with TEAMS_ANONYMOUS=true and warns loudly at start', async () => {
    const h = await viaCompose({ auth: 'anonymous' })
    try {
      expect(h.logs.some((l) => l.includes('UNAUTHENTICATED') && l.includes('"level":40'))).toBe(true)
      const before = h.connector.messages().length
      expect((await h.post(personalMessage(h.connector.serviceUrl, 'help'))).status).toBe(200)
      const [reply] = (await h.connector.waitForMessages(before + 1)).slice(before)
      expect(reply!.authorization).toBeUndefined()
    } finally {
      await h.close()
    }
  })
})
