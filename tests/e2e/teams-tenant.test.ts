/**
 * Teams the way a real tenant behaves, end to end through composeBeacon with Bot Framework
 * authentication on (tokens from the local issuer), the fake Bot Connector and the fake Graph:
 * - only installation events carry the team's Microsoft 365 group id, so saving must work from any
 *   channel of a team (group id per team, else the Bot Connector's team details);
 * - Graph refuses (403 without the RSC consent, 404): the acted-on message is saved and the saver
 *   is told plainly what would give the whole thread;
 * - Teams refuses proactive messages (403 BotNotInConversationRoster, a person who never installed
 *   the app): recorded, not retried, and the saver or task creator hears about it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ALICE, BOB, TENANT, nextId, personalConversation, personalMessage } from '../adapters/teams/activities.ts'
import { viaCompose, type Harness } from '../adapters/teams/harness.ts'
import { SqliteTeamsReferenceRepository } from '../../src/storage/repositories/teams-references.ts'
import type { ConnectorCall } from '../support/fake-bot-connector.ts'
import type { GraphMessageFixture } from '../support/fake-graph.ts'
import { failedJobs, itemsOfThread, jobsIdle, settled, waitUntil } from './knowledge-support.ts'

const WS = `teams:${TENANT}`
const DANA = { id: '29:dana-bf-id', name: 'Dana Scully', aadObjectId: 'aad-dana' }

interface Team {
  id: string
  name: string
  aadGroupId: string
}
const OPS: Team = { id: '19:ops-general@thread.tacv2', name: 'Ops', aadGroupId: 'group-ops' }
const SALES: Team = { id: '19:sales-general@thread.tacv2', name: 'Sales', aadGroupId: 'group-sales' }
const LEGAL: Team = { id: '19:legal-general@thread.tacv2', name: 'Legal', aadGroupId: 'group-legal' }
const INCIDENTS = '19:ops-incidents@thread.tacv2'
const DEALS = '19:sales-deals@thread.tacv2'
const CONTRACTS = '19:legal-contracts@thread.tacv2'

let h: Harness
const shown = (c: ConnectorCall) => JSON.stringify(c.body ?? {})
const threadOf = (channel: string, root: string) => `teams:${TENANT}:${encodeURIComponent(channel)}:${root}`
const aliceChat = personalConversation.id

/** What Teams sends for a channel activity: `team` without aadGroupId (only installs carry it). */
function inChannel(team: Team, channel: string, extra: Record<string, unknown>) {
  return {
    channelId: 'msteams',
    serviceUrl: h.connector.serviceUrl,
    timestamp: new Date().toISOString(),
    from: ALICE,
    recipient: { id: '28:00000000-0000-0000-0000-00000000b0b0', name: 'Beacon' },
    conversation: { id: channel, conversationType: 'channel', isGroup: true, tenantId: TENANT },
    channelData: { tenant: { id: TENANT }, team: { id: team.id, name: team.name }, channel: { id: channel.split(';')[0], name: channel.split(':')[1]!.split('@')[0] } },
    ...extra,
  }
}

function install(team: Team) {
  // Installing in a team arrives in its General channel (channel id = team id), with the group id.
  const a = inChannel(team, team.id, { type: 'installationUpdate', id: nextId(), action: 'add' })
  return { ...a, channelData: { ...a.channelData, team: { ...team } } }
}

function payload(id: string, text: string, replyToId: string | null = null) {
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

function save(team: Team, channel: string, messagePayload: unknown) {
  return inChannel(team, channel, { type: 'invoke', id: `f:${nextId()}`, name: 'composeExtension/submitAction', value: { commandId: 'saveToKnowledge', commandContext: 'message', messagePayload } })
}

function graphThread(root: string, lines: [typeof ALICE, string][]): GraphMessageFixture[] {
  return lines.map(([who, text], i) => ({
    id: i === 0 ? root : `${root}${i}`,
    replyToId: i === 0 ? null : root,
    messageType: 'message',
    createdDateTime: `2025-02-03T09:0${i}:00.000Z`,
    from: { user: { id: who.aadObjectId, displayName: who.name }, application: null },
    body: { contentType: 'html', content: `<p>${text}</p>` },
  }))
}

/** Messages Teams accepted since call number `mark`. */
const sentSince = (mark: number) => h.connector.calls.slice(mark).filter((c) => (c.kind === 'send' || c.kind === 'reply') && (c.status ?? 201) < 300)
const dmsTo = (chat: string, since: number) => sentSince(since).filter((c) => c.conversationId === chat)

/** `@Beacon <text>` in a channel thread, with a mention entity for each person named like `<at>Name</at>`. */
function command(team: Team, channel: string, text: string, people: { id: string; name: string }[]) {
  const id = nextId()
  return inChannel(team, `${channel};messageid=${id}`, {
    type: 'message',
    id,
    text: `<at>Beacon</at> ${text}`,
    entities: [
      { type: 'mention', text: '<at>Beacon</at>', mentioned: { id: '28:00000000-0000-0000-0000-00000000b0b0', name: 'Beacon' } },
      ...people.map((p) => ({ type: 'mention', text: `<at>${p.name}</at>`, mentioned: { id: p.id, name: p.name } })),
    ],
  })
}

const kudosRows = () => h.ctx.db.$client.prepare('SELECT giver_id, receiver_id FROM kudos ORDER BY id').all() as { giver_id: string; receiver_id: string }[]
const taskAssignees = () => h.ctx.db.$client.prepare('SELECT t.title, a.person_id FROM tasks t JOIN task_assignees a ON a.task_id = t.id ORDER BY t.id').all() as { title: string; person_id: string }[]

beforeAll(async () => {
  h = await viaCompose({ env: { KNOWLEDGE_REFRESH_DEBOUNCE_MS: '200' } })
  // Alice has a personal chat with Beacon (where private notes reach her).
  expect((await h.post(personalMessage(h.connector.serviceUrl, 'help'))).status).toBe(200)
  h.connector.teams.set(SALES.id, SALES)
  for (const t of [OPS, SALES, LEGAL]) h.connector.members.set(t.id, [ALICE, BOB, DANA])
})
afterAll(async () => {
  const failed = h ? failedJobs(h.ctx.db) : []
  await h?.close()
  expect(failed).toEqual([])
})

describe('saving from any channel of a team', () => {
  it('a non-General channel of a team installed earlier: the group id is the team’s, no lookup needed', async () => {
    expect((await h.post(install(OPS))).status).toBe(200)
    const root = '1738573200001'
    h.graph.threads.set(`${OPS.aadGroupId}/${INCIDENTS}/${root}`, graphThread(root, [[BOB, 'Pager fired for db-3'], [ALICE, 'Failover done, root cause is disk']]))
    const res = await h.post(save(OPS, INCIDENTS, payload(root, 'Pager fired for db-3')))
    expect(res.status).toBe(200)
    const [item] = await waitUntil(() => itemsOfThread(h.ctx.db, threadOf(INCIDENTS, root)).length === 1 && itemsOfThread(h.ctx.db, threadOf(INCIDENTS, root)), 'the incidents thread saved')
    expect(item!.body).toContain('Failover done, root cause is disk')
    expect(h.connector.calls.some((c) => c.kind === 'team')).toBe(false)
    await waitUntil(() => h.connector.messages().some((c) => c.conversationId === `${INCIDENTS};messageid=${root}` && shown(c).includes('Saved to knowledge')), 'the confirmation in the thread')
  })

  it('a team whose install Beacon never saw: the group id comes from the Bot Connector’s team details, once', async () => {
    for (const root of ['1738573300001', '1738573300002']) {
      h.graph.threads.set(`${SALES.aadGroupId}/${DEALS}/${root}`, graphThread(root, [[BOB, `Deal ${root} pricing`], [ALICE, 'Use the 2025 price list']]))
      expect((await h.post(save(SALES, DEALS, payload(root, `Deal ${root} pricing`)))).status).toBe(200)
      await waitUntil(() => itemsOfThread(h.ctx.db, threadOf(DEALS, root)).length === 1, `thread ${root} saved`)
      await waitUntil(() => h.connector.messages().some((c) => c.conversationId === `${DEALS};messageid=${root}`), `thread ${root} confirmed`)
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
    h.ctx.db.$client.prepare('SELECT kind, conversation_id FROM adoption_events WHERE workspace_id = ? AND person_id = ? ORDER BY id').all(WS, person) as { kind: string; conversation_id: string }[]

  it('a plain channel message and a reply count as activity, and Beacon says nothing', async () => {
    const mark = h.connector.calls.length
    const id = nextId()
    const post = inChannel(SALES, `${DEALS};messageid=${id}`, { type: 'message', id, text: 'Closed the ACME renewal', from: BOB })
    expect((await h.post(post)).status).toBe(200)
    const replyId = nextId()
    expect((await h.post(inChannel(SALES, `${DEALS};messageid=${id}`, { type: 'message', id: replyId, replyToId: id, text: 'Congrats!' }))).status).toBe(200)
    await waitUntil(() => events(BOB.aadObjectId).length === 1 && events(ALICE.aadObjectId).some((e) => e.kind === 'reply'), 'the activity recorded')
    expect(events(BOB.aadObjectId)).toEqual([{ kind: 'message', conversation_id: DEALS }])
    await settled(() => h.connector.calls.length)
    expect(sentSince(mark).map((c) => [c.conversationId, String(c.body?.text)])).toEqual([])
  })

  it('an edit refreshes the saved thread it belongs to; deleting its root archives it', async () => {
    const root = '1738573300001'
    const thread = h.graph.threads.get(`${SALES.aadGroupId}/${DEALS}/${root}`)!
    thread[1] = { ...thread[1]!, body: { contentType: 'html', content: '<p>Use the 2026 price list</p>' }, lastEditedDateTime: '2025-02-03T10:00:00.000Z' }
    const edit = inChannel(SALES, `${DEALS};messageid=${root}`, { type: 'messageUpdate', id: thread[1]!.id, text: 'Use the 2026 price list' })
    expect((await h.post({ ...edit, channelData: { ...edit.channelData, eventType: 'editMessage' } })).status).toBe(200)
    await waitUntil(() => itemsOfThread(h.ctx.db, threadOf(DEALS, root))[0]!.body.includes('2026 price list'), 'the saved item refreshed')

    thread[0] = { ...thread[0]!, deletedDateTime: '2025-02-03T11:00:00.000Z' }
    const del = inChannel(SALES, `${DEALS};messageid=${root}`, { type: 'messageDelete', id: root })
    expect((await h.post({ ...del, channelData: { ...del.channelData, eventType: 'softDeleteMessage' } })).status).toBe(200)
    await waitUntil(() => itemsOfThread(h.ctx.db, threadOf(DEALS, root))[0]!.status === 'archived', 'the saved item archived')
  })
})

describe('when Graph refuses the thread', () => {
  it('403 (no RSC consent): the acted-on message is saved, and the saver is told what would give the whole thread', async () => {
    h.graph.forbidden.add(LEGAL.aadGroupId)
    expect((await h.post(install(LEGAL))).status).toBe(200)
    const root = '1738573400001'
    const reply = '1738573400005'
    const mark = h.connector.calls.length
    expect((await h.post(save(LEGAL, CONTRACTS, payload(reply, 'The NDA template lives in the Legal wiki', root)))).status).toBe(200)
    const [item] = await waitUntil(() => itemsOfThread(h.ctx.db, threadOf(CONTRACTS, root)).length === 1 && itemsOfThread(h.ctx.db, threadOf(CONTRACTS, root)), 'the message saved')
    expect(item!.body).toContain('The NDA template lives in the Legal wiki')
    expect(item!.body).toContain('Bob Chen')
    const [note] = await waitUntil(() => dmsTo(aliceChat, mark).filter((c) => shown(c).includes('Only the message you picked')).length === 1 && dmsTo(aliceChat, mark), 'the note to the saver')
    expect(shown(note!)).toContain('not the whole thread')
    expect(shown(note!)).toContain('ChannelMessage.Read.Group')
    expect(shown(note!)).toContain('team owner')
    expect(h.graph.requests.some((r) => r.path.includes(LEGAL.aadGroupId))).toBe(true)
    await jobsIdle(h.ctx.db)
  })

  it('404: the message is saved and the saver hears that Graph could not find the thread', async () => {
    const root = '1738573500001'
    const mark = h.connector.calls.length
    expect((await h.post(save(OPS, INCIDENTS, payload(root, 'Runbook for the VPN outage')))).status).toBe(200)
    await waitUntil(() => itemsOfThread(h.ctx.db, threadOf(INCIDENTS, root)).length === 1, 'the message saved')
    const note = await waitUntil(() => dmsTo(aliceChat, mark).find((c) => shown(c).includes('Only the message you picked')), 'the note to the saver')
    expect(shown(note)).toContain('couldn’t find this thread')
  })
})

describe('without app credentials (anonymous, Bot Framework Emulator)', () => {
  it('saving keeps the acted-on message and says what would give the whole thread', async () => {
    const anon = await viaCompose({ auth: 'anonymous' })
    try {
      const chat = 'a:1personal-anon'
      expect((await anon.post({ ...personalMessage(anon.connector.serviceUrl, 'help'), conversation: { id: chat, conversationType: 'personal', tenantId: TENANT } })).status).toBe(200)
      const root = '1738573700001'
      const a = { ...save(OPS, INCIDENTS, payload(root, 'Where is the on-call rota?')), serviceUrl: anon.connector.serviceUrl }
      expect((await anon.post({ ...a, channelData: { ...a.channelData, team: { ...OPS } } })).status).toBe(200)
      await waitUntil(() => itemsOfThread(anon.ctx.db, threadOf(INCIDENTS, root)).length === 1, 'the message saved')
      const note = await waitUntil(() => anon.connector.messages().find((c) => c.conversationId === chat && shown(c).includes('Only the message you picked')), 'the note')
      expect(shown(note)).toContain('MICROSOFT_APP_ID')
      expect(anon.graph.requests).toEqual([])
    } finally {
      await anon.close()
    }
  })
})

describe('people by @mention, including colleagues who never talked to Beacon', () => {
  const ERIN = { id: '29:erin-bf-id', name: 'Erin Wu', aadObjectId: 'aad-erin' }
  const SAM_1 = { id: '29:sam1-bf-id', name: 'Sam Lee', aadObjectId: 'aad-sam-1' }
  const SAM_2 = { id: '29:sam2-bf-id', name: 'Sam Lee', aadObjectId: 'aad-sam-2' }
  const FRANK = { id: '29:frank-bf-id', name: 'Frank Ocean', aadObjectId: 'aad-frank' }

  it('kudos to a mentioned colleague: id and name from the mention, confirmed by the team roster', async () => {
    h.connector.members.set(OPS.id, [ALICE, BOB, DANA, ERIN, SAM_1, SAM_2])
    const mark = h.connector.calls.length
    expect((await h.post(command(OPS, INCIDENTS, 'kudos <at>Erin Wu</at> for the calm postmortem', [ERIN]))).status).toBe(200)
    const reply = await waitUntil(() => sentSince(mark).find((c) => shown(c).includes('gave kudos')), 'the kudos reply')
    expect(shown(reply)).toContain('**Erin Wu**')
    expect(kudosRows().at(-1)).toEqual({ giver_id: ALICE.aadObjectId, receiver_id: ERIN.aadObjectId })
    // Confirmed through the team's roster (GET v3/conversations/{team}/members/{29:id}).
    expect(h.connector.calls.slice(mark).some((c) => c.kind === 'member' && c.memberId === ERIN.id && c.conversationId === OPS.id)).toBe(true)
  })

  it('two people with the same name: the mention decides, not the name', async () => {
    await h.ctx.repos.people.upsert({ workspace: WS, id: SAM_1.aadObjectId, displayName: SAM_1.name, timezone: 'UTC', isBot: false })
    expect((await h.post(command(OPS, INCIDENTS, 'task rotate the keys <at>Sam Lee</at> tomorrow', [SAM_2]))).status).toBe(200)
    await waitUntil(() => taskAssignees().some((t) => t.title === 'rotate the keys'), 'the task')
    expect(taskAssignees().filter((t) => t.title === 'rotate the keys').map((t) => t.person_id)).toEqual([SAM_2.aadObjectId])
  })

  it('someone in no roster Beacon can see is refused plainly, nothing recorded', async () => {
    const before = kudosRows().length
    const mark = h.connector.calls.length
    const ghost = { id: '29:ghost-bf-id', name: 'Gus Ghost' }
    expect((await h.post(command(OPS, INCIDENTS, 'kudos <at>Gus Ghost</at> for nothing', [ghost]))).status).toBe(200)
    const reply = await waitUntil(() => dmsTo(aliceChat, mark).find((c) => shown(c).includes('don’t know who')), 'the refusal, privately')
    expect(shown(reply)).toContain('no kudos went out')
    expect(kudosRows()).toHaveLength(before)
  })

  it('"@Name" typed in a personal chat finds a colleague through the team rosters (paged members)', async () => {
    h.connector.members.set(LEGAL.id, [ALICE, BOB, DANA, FRANK])
    const mark = h.connector.calls.length
    const activity = { ...personalMessage(h.connector.serviceUrl, 'kudos @Frank Ocean for the contract review'), id: nextId() }
    expect((await h.post(activity)).status).toBe(200)
    const reply = await waitUntil(() => dmsTo(aliceChat, mark).find((c) => shown(c).includes('Frank Ocean')), 'the kudos reply')
    expect(shown(reply)).toContain('gave kudos to **Frank Ocean**')
    expect(kudosRows().at(-1)).toEqual({ giver_id: ALICE.aadObjectId, receiver_id: FRANK.aadObjectId })
    expect(h.connector.calls.slice(mark).some((c) => c.kind === 'pagedMembers' && c.conversationId === LEGAL.id)).toBe(true)
  })
})

describe('proactive messages Teams refuses', () => {
  it('403 BotNotInConversationRoster in the thread: the item is saved, the saver told, the channel marked, no retry storm', async () => {
    const root = '1738573600001'
    h.graph.threads.set(`${OPS.aadGroupId}/${INCIDENTS}/${root}`, graphThread(root, [[BOB, 'Certificate renewal steps']]))
    h.connector.notInRoster.add(INCIDENTS) // Beacon was removed from the team without Beacon hearing of it
    const mark = h.connector.calls.length
    expect((await h.post(save(OPS, INCIDENTS, payload(root, 'Certificate renewal steps')))).status).toBe(200)
    const note = await waitUntil(() => dmsTo(aliceChat, mark).find((c) => shown(c).includes('couldn’t confirm it in the thread')), 'the note to the saver')
    expect(shown(note)).toContain('Saved to knowledge')
    expect(shown(note)).toContain('BotNotInConversationRoster')
    expect(itemsOfThread(h.ctx.db, threadOf(INCIDENTS, root))).toHaveLength(1)
    const repo = new SqliteTeamsReferenceRepository(h.ctx.db)
    expect(repo.get(WS, INCIDENTS)?.unreachable?.reason).toBe('BotNotInConversationRoster')
    await jobsIdle(h.ctx.db)
    await settled(() => h.connector.calls.length)
    const refused = h.connector.calls.slice(mark).filter((c) => c.status === 403)
    expect(refused).toHaveLength(1)

    // Later posts there fail at once, without asking Teams again, and say why.
    const before = h.connector.calls.length
    await expect(h.adapter.platform.post({ conversation: { workspace: WS, id: INCIDENTS } }, { text: 'digest' })).rejects.toMatchObject({ code: 'job_permanent', target: 'conversation' })
    expect(h.connector.calls.length).toBe(before)
    h.connector.notInRoster.delete(INCIDENTS)
  })

  it('an assignee who never installed Beacon: the creator is told, the person is marked, Teams is asked once', async () => {
    h.connector.notInstalledFor.add(DANA.id)
    const mark = h.connector.calls.length
    const id = nextId()
    const activity = inChannel(OPS, `${OPS.id};messageid=${id}`, {
      type: 'message',
      id,
      text: '<at>Beacon</at> task renew the certificate <at>Dana Scully</at> friday',
      entities: [
        { type: 'mention', text: '<at>Beacon</at>', mentioned: { id: '28:00000000-0000-0000-0000-00000000b0b0', name: 'Beacon' } },
        { type: 'mention', text: '<at>Dana Scully</at>', mentioned: { id: DANA.id, name: DANA.name } },
      ],
    })
    expect((await h.post(activity)).status).toBe(200)
    const told = await waitUntil(() => dmsTo(aliceChat, mark).find((c) => shown(c).includes('couldn’t tell')), 'the note to the creator')
    expect(shown(told)).toContain('Dana Scully')
    expect(shown(told)).toContain('renew the certificate')
    expect(shown(told)).toContain('hasn’t added Beacon')
    const repo = new SqliteTeamsReferenceRepository(h.ctx.db)
    expect(repo.userUnreachable(WS, DANA.aadObjectId)?.reason).toBe('BotNotInConversationRoster')

    // A reminder for her later does not knock on Teams' door again.
    const before = h.connector.calls.filter((c) => c.kind === 'createConversation').length
    await expect(h.adapter.platform.post({ dmTo: { workspace: WS, id: DANA.aadObjectId } }, { text: 'reminder' })).rejects.toMatchObject({ target: 'person' })
    expect(h.connector.calls.filter((c) => c.kind === 'createConversation')).toHaveLength(before)
    await jobsIdle(h.ctx.db)
  })
})
