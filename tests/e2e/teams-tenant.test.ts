/**
 * Teams the way a real tenant behaves, end to end through composeBeacon with Bot Framework
 * authentication on (tokens from the local issuer), the fake Bot Connector and the fake Graph:
 * - only installation events carry the team's Microsoft 365 group id, so saving must work from any
 *   channel of a team (group id per team, else the Bot Connector's team details);
 * - with the RSC permission, plain channel messages, edits and deletes arrive and count;
 * - Graph refuses (403 without the RSC consent, 404, no app credentials): the acted-on message is
 *   saved and the saver is told plainly what would give the whole thread.
 * People by @mention and refused proactive messages are in teams-people.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ALICE, BOB, TENANT, nextId, personalMessage } from '../adapters/teams/activities.ts'
import { viaCompose, type Harness } from '../adapters/teams/harness.ts'
import { failedJobs, itemsOfThread, jobsIdle, settled } from './knowledge-support.ts'
import {
  aliceChat,
  CONTRACTS,
  DANA,
  DEALS,
  graphThread,
  INCIDENTS,
  LEGAL,
  OPS,
  payload,
  SALES,
  shown,
  tenant,
  threadOf,
  WS,
} from './teams-tenant-support.ts'
import { waitFor } from '../support/wait.ts'

let h: Harness
let t: ReturnType<typeof tenant>

beforeAll(async () => {
  h = await viaCompose({ env: { KNOWLEDGE_REFRESH_DEBOUNCE_MS: '200' } })
  t = tenant(h)
  // Alice has a personal chat with Beacon (where private notes reach her).
  expect((await h.post(personalMessage(h.connector.serviceUrl, 'help'))).status).toBe(200)
  h.connector.teams.set(SALES.id, SALES)
  for (const team of [OPS, SALES, LEGAL]) h.connector.members.set(team.id, [ALICE, BOB, DANA])
})
afterAll(async () => {
  const failed = h ? failedJobs(h.ctx.db) : []
  await h?.close()
  expect(failed).toEqual([])
})

describe('saving from any channel of a team', () => {
  it('a non-General channel of a team installed earlier: the group id is the team’s, no lookup needed', async () => {
    expect((await h.post(t.install(OPS))).status).toBe(200)
    const root = '1738573200001'
    h.graph.threads.set(
      `${OPS.aadGroupId}/${INCIDENTS}/${root}`,
      graphThread(root, [
        [BOB, 'Pager fired for db-3'],
        [ALICE, 'Failover done, root cause is disk'],
      ]),
    )
    const res = await h.post(t.save(OPS, INCIDENTS, payload(root, 'Pager fired for db-3')))
    expect(res.status).toBe(200)
    const [item] = await waitFor(
      () => itemsOfThread(h.ctx.db, threadOf(INCIDENTS, root)).length === 1 && itemsOfThread(h.ctx.db, threadOf(INCIDENTS, root)),
      'the incidents thread saved',
    )
    expect(item!.body).toContain('Failover done, root cause is disk')
    expect(h.connector.calls.some((c) => c.kind === 'team')).toBe(false)
    await waitFor(
      () => h.connector.messages().some((c) => c.conversationId === `${INCIDENTS};messageid=${root}` && shown(c).includes('Saved to knowledge')),
      'the confirmation in the thread',
    )
  })

  it('a team whose install Beacon never saw: the group id comes from the Bot Connector’s team details, once', async () => {
    for (const root of ['1738573300001', '1738573300002']) {
      h.graph.threads.set(
        `${SALES.aadGroupId}/${DEALS}/${root}`,
        graphThread(root, [
          [BOB, `Deal ${root} pricing`],
          [ALICE, 'Use the 2025 price list'],
        ]),
      )
      expect((await h.post(t.save(SALES, DEALS, payload(root, `Deal ${root} pricing`)))).status).toBe(200)
      await waitFor(() => itemsOfThread(h.ctx.db, threadOf(DEALS, root)).length === 1, `thread ${root} saved`)
      await waitFor(() => h.connector.messages().some((c) => c.conversationId === `${DEALS};messageid=${root}`), `thread ${root} confirmed`)
    }
    const lookups = h.connector.calls.filter((c) => c.kind === 'team')
    expect(lookups).toHaveLength(1)
    expect(lookups[0]!.rawPath).toContain(`v3/teams/${encodeURIComponent(SALES.id)}`)
    expect(lookups[0]!.authorization).toMatch(/^Bearer /)
    expect(itemsOfThread(h.ctx.db, threadOf(DEALS, '1738573300002'))[0]!.body).toContain('Use the 2025 price list')
  })
})

describe('channel activity without @mention (RSC ChannelMessage.Read.Group)', () => {
  const events = (person: string) =>
    h.ctx.db.$client
      .prepare('SELECT kind, conversation_id FROM adoption_events WHERE workspace_id = ? AND person_id = ? ORDER BY id')
      .all(WS, person) as { kind: string; conversation_id: string }[]

  it('a plain channel message and a reply count as activity, and Beacon says nothing', async () => {
    const mark = h.connector.calls.length
    const id = nextId()
    const post = t.inChannel(SALES, `${DEALS};messageid=${id}`, { type: 'message', id, text: 'Closed the ACME renewal', from: BOB })
    expect((await h.post(post)).status).toBe(200)
    const replyId = nextId()
    expect(
      (await h.post(t.inChannel(SALES, `${DEALS};messageid=${id}`, { type: 'message', id: replyId, replyToId: id, text: 'Congrats!' }))).status,
    ).toBe(200)
    await waitFor(() => events(BOB.aadObjectId).length === 1 && events(ALICE.aadObjectId).some((e) => e.kind === 'reply'), 'the activity recorded')
    expect(events(BOB.aadObjectId)).toEqual([{ kind: 'message', conversation_id: DEALS }])
    await settled(() => h.connector.calls.length)
    expect(t.sentSince(mark).map((c) => [c.conversationId, String(c.body?.text)])).toEqual([])
  })

  it('an edit refreshes the saved thread it belongs to; deleting its root archives it', async () => {
    const root = '1738573300001'
    const thread = h.graph.threads.get(`${SALES.aadGroupId}/${DEALS}/${root}`)!
    thread[1] = {
      ...thread[1]!,
      body: { contentType: 'html', content: '<p>Use the 2026 price list</p>' },
      lastEditedDateTime: '2025-02-03T10:00:00.000Z',
    }
    const edit = t.inChannel(SALES, `${DEALS};messageid=${root}`, { type: 'messageUpdate', id: thread[1]!.id, text: 'Use the 2026 price list' })
    expect((await h.post({ ...edit, channelData: { ...edit.channelData, eventType: 'editMessage' } })).status).toBe(200)
    await waitFor(() => itemsOfThread(h.ctx.db, threadOf(DEALS, root))[0]!.body.includes('2026 price list'), 'the saved item refreshed')

    thread[0] = { ...thread[0]!, deletedDateTime: '2025-02-03T11:00:00.000Z' }
    const del = t.inChannel(SALES, `${DEALS};messageid=${root}`, { type: 'messageDelete', id: root })
    expect((await h.post({ ...del, channelData: { ...del.channelData, eventType: 'softDeleteMessage' } })).status).toBe(200)
    await waitFor(() => itemsOfThread(h.ctx.db, threadOf(DEALS, root))[0]!.status === 'archived', 'the saved item archived')
  })
})

describe('when Graph refuses the thread', () => {
  it('403 (no RSC consent): the acted-on message is saved, and the saver is told what would give the whole thread', async () => {
    h.graph.forbidden.add(LEGAL.aadGroupId)
    expect((await h.post(t.install(LEGAL))).status).toBe(200)
    const root = '1738573400001'
    const reply = '1738573400005'
    const mark = h.connector.calls.length
    expect((await h.post(t.save(LEGAL, CONTRACTS, payload(reply, 'The NDA template lives in the Legal wiki', root)))).status).toBe(200)
    const [item] = await waitFor(
      () => itemsOfThread(h.ctx.db, threadOf(CONTRACTS, root)).length === 1 && itemsOfThread(h.ctx.db, threadOf(CONTRACTS, root)),
      'the message saved',
    )
    expect(item!.body).toContain('The NDA template lives in the Legal wiki')
    expect(item!.body).toContain('Bob Chen')
    const [note] = await waitFor(
      () => t.dmsTo(aliceChat, mark).filter((c) => shown(c).includes('Only the message you picked')).length === 1 && t.dmsTo(aliceChat, mark),
      'the note to the saver',
    )
    expect(shown(note!)).toContain('not the whole thread')
    expect(shown(note!)).toContain('ChannelMessage.Read.Group')
    expect(shown(note!)).toContain('team owner')
    expect(h.graph.requests.some((r) => r.path.includes(LEGAL.aadGroupId))).toBe(true)
    await jobsIdle(h.ctx.db)
  })

  it('404: the message is saved and the saver hears that Graph could not find the thread', async () => {
    const root = '1738573500001'
    const mark = h.connector.calls.length
    expect((await h.post(t.save(OPS, INCIDENTS, payload(root, 'Runbook for the VPN outage')))).status).toBe(200)
    await waitFor(() => itemsOfThread(h.ctx.db, threadOf(INCIDENTS, root)).length === 1, 'the message saved')
    const note = await waitFor(() => t.dmsTo(aliceChat, mark).find((c) => shown(c).includes('Only the message you picked')), 'the note to the saver')
    expect(shown(note)).toContain('couldn’t find this thread')
  })
})

describe('without app credentials (anonymous, Bot Framework Emulator)', () => {
  it('saving keeps the acted-on message and says what would give the whole thread', async () => {
    const anon = await viaCompose({ auth: 'anonymous' })
    try {
      const chat = 'a:1personal-anon'
      expect(
        (
          await anon.post({
            ...personalMessage(anon.connector.serviceUrl, 'help'),
            conversation: { id: chat, conversationType: 'personal', tenantId: TENANT },
          })
        ).status,
      ).toBe(200)
      const root = '1738573700001'
      const a = tenant(anon).save(OPS, INCIDENTS, payload(root, 'Where is the on-call rota?'))
      expect((await anon.post({ ...a, channelData: { ...a.channelData, team: { ...OPS } } })).status).toBe(200)
      await waitFor(() => itemsOfThread(anon.ctx.db, threadOf(INCIDENTS, root)).length === 1, 'the message saved')
      const note = await waitFor(
        () => anon.connector.messages().find((c) => c.conversationId === chat && shown(c).includes('Only the message you picked')),
        'the note',
      )
      expect(shown(note)).toContain('MICROSOFT_APP_ID')
      expect(anon.graph.requests).toEqual([])
    } finally {
      await anon.close()
    }
  })
})
