/**
 * Recognition end to end on Microsoft Teams: composeBeacon + listen(0) on a real SQLite file, Bot
 * Framework activities to POST /api/messages with tokens from the local issuer, replies and
 * proactive posts read from the fake Bot Connector, threads from the fake Graph.
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
import { markdownToPlain } from '../../src/core/outbound.ts'
import { jobsIdle } from '../support/jobs.ts'
import type { ConnectorCall } from '../support/fake-bot-connector.ts'
import type { GraphMessageFixture } from '../support/fake-graph.ts'
import { waitFor } from '../support/wait.ts'

const WS = `teams:${TENANT}`
const person = (key: string, name: string) => ({ id: `29:${key}-bf-id`, name, aadObjectId: `aad-${key}` })
const CAROL = person('carol', 'Carol Diaz')
const DAN = person('dan', 'Dan Brown')
const ERIN = person('erin', 'Erin Wu')
const FRANK = person('frank', 'Frank Ocean')
const GRACE = person('grace', 'Grace Hopper')
const EVERYONE = [ALICE, BOB, CAROL, DAN, ERIN, FRANK, GRACE]
type Who = typeof ALICE

interface KudosRow {
  kind: string
  source: string
  giver_id: string | null
  receiver_id: string
  value: string | null
}

/** Every string a person sees in an activity (text, card text). */
const seen = (c: ConnectorCall) => JSON.stringify(c.body ?? {})

/** What the message reads as, plain: the text of a chat message, or a card's fallback text. */
function textOf(c: ConnectorCall): string {
  const b = (c.body ?? {}) as { text?: string; attachments?: { content?: { fallbackText?: string } }[] }
  return markdownToPlain(b.text ?? b.attachments?.[0]?.content?.fallbackText ?? '')
}

describe('recognition on Teams, end to end', () => {
  let h: Harness
  const rows = (where = '1 = 1', ...args: string[]) =>
    h.ctx.db.$client.prepare(`SELECT * FROM kudos WHERE ${where} ORDER BY id`).all(...args) as KudosRow[]
  const chatOf = (from: Who) => `a:1personal-${from.aadObjectId}`

  function personal(from: Who, text: string, id?: string) {
    const base = personalMessage(h.connector.serviceUrl, text, id)
    return { ...base, from, conversation: { ...personalConversation, id: chatOf(from), tenantId: TENANT } }
  }

  /** A personal-chat command; resolves with Beacon's reply in that chat. */
  async function ask(from: Who, text: string): Promise<ConnectorCall> {
    const before = h.connector.messages().length
    const res = await h.post(personal(from, text))
    expect(res.status).toBe(200)
    return waitFor(
      () =>
        h.connector
          .messages()
          .slice(before)
          .find((c) => c.conversationId === chatOf(from)),
      `the reply to "${text}"`,
    )
  }

  /** `@Beacon <text>` in the channel; resolves with every message Beacon sent because of it. */
  async function inChannel(from: Who, text: string, id?: string): Promise<ConnectorCall[]> {
    const before = h.connector.messages().length
    const res = await h.post({ ...channelMessage(h.connector.serviceUrl, text, { mention: true, ...(id ? { id } : {}) }), from })
    expect(res.status).toBe(200)
    await waitFor(() => h.connector.messages().length > before, `an answer to "${text}"`)
    await jobsIdle(h.ctx.db)
    return h.connector.messages().slice(before)
  }

  beforeAll(async () => {
    // Alice administers Beacon (on Teams only BEACON_ADMINS makes admins), so she may switch the digest on.
    h = await viaCompose({ env: { KUDOS_DAILY_ALLOWANCE: '3', KUDOS_WEEKLY_PER_PERSON: '2', BEACON_ADMINS: ALICE.aadObjectId } })
    h.connector.members.set(TEAM.id, EVERYONE)
    h.connector.members.set(CHANNEL.id, EVERYONE)
    // Everyone has talked to Beacon once, so "@Name" resolves (Teams' people cache) and DMs can open.
    for (const p of EVERYONE) await ask(p, 'help')
    // A bot Beacon knows of (Teams apps in a chat are people-like accounts flagged as bots).
    await h.ctx.repos.people.upsert({ workspace: WS, id: 'aad-cibot', displayName: 'CI Bot', timezone: 'UTC', isBot: true })
  })
  afterAll(async () => h?.close())

  it('`@Beacon kudos …` in a channel: ONE public reply in the thread, names without mentions', async () => {
    const sent = await inChannel(ALICE, 'kudos <at>Bob Chen</at> for the launch demo #craft')
    expect(sent).toHaveLength(1)
    const [reply] = sent
    expect(reply!.kind).toBe('reply')
    expect(reply!.conversationId).toMatch(new RegExp(`^${CHANNEL.id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')};messageid=`))
    expect(reply!.body?.text).toBe('🎉 **Alice Martin** gave kudos to **Bob Chen**: for the launch demo · _#craft_')
    expect(JSON.stringify(reply!.body?.entities ?? [])).not.toContain('mention')
    expect(rows()).toMatchObject([{ kind: 'given', source: 'command', giver_id: ALICE.aadObjectId, receiver_id: BOB.aadObjectId, value: 'craft' }])
  })

  it('refuses kudos to yourself and to bots, changing nothing', async () => {
    const before = rows().length
    expect(seen(await ask(ALICE, 'kudos @Alice Martin for being me'))).toContain('can’t give them to yourself')
    expect(seen(await ask(ALICE, 'kudos @CI Bot for the green build'))).toContain('**CI Bot** is a bot')
    expect(rows()).toHaveLength(before)
  })

  it('an unknown #value lists the values', async () => {
    const r = seen(await ask(DAN, 'kudos @Bob Chen for the fix #speed'))
    expect(r).toContain('**#speed** isn’t one of our values')
    expect(r).toContain('**#teamwork**, **#ownership**, **#customer**, **#craft**')
    expect(rows('giver_id = ?', DAN.aadObjectId)).toHaveLength(0)
  })

  it('the daily allowance is explained and enforced', async () => {
    for (const to of ['Bob Chen', 'Dan Brown', 'Alice Martin']) expect(seen(await ask(CAROL, `kudos @${to} for the help`))).toContain('gave kudos to')
    const r = seen(await ask(CAROL, 'kudos @Erin Wu for the help'))
    expect(r).toMatch(/You’ve used all 3 of today’s kudos\. Your allowance resets in \d+ h \(.+ 00:00 Europe\/Paris\)/)
    expect(rows('giver_id = ?', CAROL.aadObjectId)).toHaveLength(3)
  })

  it('at most 2 to the same person per giver per week', async () => {
    await ask(DAN, 'kudos @Bob Chen for the review')
    await ask(DAN, 'kudos @Bob Chen for the second review')
    expect(seen(await ask(DAN, 'kudos @Bob Chen for the third review'))).toContain('You’ve already given **Bob Chen** 2 kudos this week')
    expect(rows('giver_id = ?', DAN.aadObjectId)).toHaveLength(2)
  })

  it('a retried activity (same id, delivered twice) counts and answers once', async () => {
    const activity = personal(ERIN, 'kudos @Grace Hopper for pairing', 'retry-me-1')
    const before = h.connector.messages().length
    await Promise.all([h.post(activity), h.post(activity)])
    await waitFor(() => h.connector.messages().length > before, 'the answer')
    await jobsIdle(h.ctx.db)
    expect(
      h.connector
        .messages()
        .slice(before)
        .filter((c) => c.conversationId === chatOf(ERIN)),
    ).toHaveLength(1)
    expect(rows('giver_id = ?', ERIN.aadObjectId)).toHaveLength(1)
  })

  it('reactions: Teams only reports them on Beacon’s own messages, so no kudos by reaction — and help does not offer it', async () => {
    const before = rows().length
    const res = await h.post({
      ...personal(FRANK, ''),
      type: 'messageReaction',
      reactionsAdded: [{ type: 'like' }],
      replyToId: '1001',
    })
    expect(res.status).toBe(200)
    await jobsIdle(h.ctx.db)
    expect(rows()).toHaveLength(before)
    const usage = seen(await ask(FRANK, 'kudos'))
    expect(usage).toContain('kudos @someone for what they did #value')
    expect(usage).not.toMatch(/react/i)
  })

  it('`kudos top` ranks by distinct givers first, then count; names, no mentions', async () => {
    // Given in the channel, and asked in the channel: a board counts what its audience could see.
    await inChannel(FRANK, 'kudos @Grace Hopper for onboarding #customer')
    await inChannel(ALICE, 'kudos @Grace Hopper for the escalation #customer')
    await inChannel(FRANK, 'kudos @Erin Wu for the call #customer')
    await inChannel(FRANK, 'kudos @Erin Wu for the follow-up #customer')
    const top = (await inChannel(BOB, 'kudos top all #customer')).find((c) => textOf(c).includes('Top kudos'))!
    const text = textOf(top)
    expect(text.split('\n').filter((l) => /^\d\./.test(l))).toEqual(['1. Grace Hopper — 2 people, 2 kudos', '2. Erin Wu — 1 person, 2 kudos'])
    expect(JSON.stringify(top.body?.entities ?? [])).not.toContain('mention')
  })

  it('`kudos me` shows what I gave and received', async () => {
    const text = textOf(await ask(BOB, 'kudos me'))
    expect(text).toContain('This week: received 4 kudos from 3 people, gave 0.')
    expect(text).toContain('- from Alice Martin: for the launch demo · #craft')
    expect(text).toContain('You can give 3 more kudos today (of 3)')
  })

  it('the weekly digest goes to the opted-in channel once per week', async () => {
    const on = await inChannel(ALICE, 'kudos digest on')
    expect(String(on[0]!.body?.text)).toContain('weekly kudos digest is on')
    const before = h.connector.calls.length
    await h.ctx.queue.runNow('recognition.weekly-digest', {})
    await h.ctx.queue.runNow('recognition.weekly-digest', {})
    const posted = h.connector.calls.slice(before).filter((c) => c.kind === 'send' || c.kind === 'reply')
    expect(posted).toHaveLength(1)
    expect(posted[0]!.conversationId?.startsWith(CHANNEL.id)).toBe(true)
    const text = textOf(posted[0]!)
    expect(text).toContain('This week in kudos')
    // Only what was given in this channel: Carol's and Dan's kudos to Bob went by private chat.
    expect(text).toMatch(/1\. Grace Hopper — 2 people/)
    expect(text).toMatch(/\d\. Bob Chen — 1 person/)
    expect(text).toContain('5 kudos from 2 people.')
    expect(JSON.stringify(posted[0]!.body?.entities ?? [])).not.toContain('mention')
  })

  it('automatic credit for the contributors of a thread saved to knowledge', async () => {
    const root = '1712000900001'
    const msg = (id: string, who: Who | 'app', html: string, minute: number): GraphMessageFixture => ({
      id,
      replyToId: id === root ? null : root,
      messageType: 'message',
      createdDateTime: `2025-01-10T10:${String(minute).padStart(2, '0')}:00.000Z`,
      from:
        who === 'app'
          ? { user: null, application: { id: 'app-ci', displayName: 'CI Bot' } }
          : { user: { id: who.aadObjectId, displayName: who.name }, application: null },
      body: { contentType: 'html', content: html },
    })
    h.graph.threads.set(`${TEAM.aadGroupId}/${CHANNEL.id}/${root}`, [
      msg(root, DAN, '<p>How do we rotate the signing key?</p>', 0),
      msg('1712000900002', GRACE, '<p>Run the rotate script, then redeploy.</p>', 1),
      msg('1712000900003', 'app', '<p>Build 42 passed</p>', 2),
    ])
    const save = invoke(h.connector.serviceUrl, 'composeExtension/fetchTask', {
      commandId: 'saveToKnowledge',
      commandContext: 'message',
      messagePayload: messagePayload(root, '<p>How do we rotate the signing key?</p>'),
    })
    expect((await h.post({ ...save, from: ALICE })).status).toBe(200)
    await waitFor(() => rows("source = 'knowledge'").length >= 2, 'knowledge credit')
    await jobsIdle(h.ctx.db)
    expect(rows("source = 'knowledge'").map((r) => [r.kind, r.giver_id, r.receiver_id])).toEqual([
      ['auto', null, DAN.aadObjectId],
      ['auto', null, GRACE.aadObjectId],
    ])
    expect(textOf(await ask(GRACE, 'kudos me'))).toContain('+ 1 automatic credit')
  })

  it('automatic credit for the assignee of a completed task', async () => {
    expect(seen(await ask(ALICE, 'task @Frank Ocean write the runbook'))).toContain('T-1')
    await ask(FRANK, 'task done T-1')
    await waitFor(() => rows("source = 'task-done'").length === 1, 'task credit')
    expect(rows("source = 'task-done'")).toMatchObject([{ kind: 'auto', giver_id: null, receiver_id: FRANK.aadObjectId }])
  })
})
