/**
 * Teams people and refusals in a real tenant, end to end through composeBeacon with Bot Framework
 * authentication on and the fake Bot Connector:
 * - kudos, tasks and assignees by @mention work for colleagues who never talked to Beacon: the
 *   mention gives id and name, the roster confirms them (member lookups, paged team members);
 * - Teams refuses proactive messages (403 BotNotInConversationRoster, a person who never installed
 *   the app): recorded, not retried, and the saver or task creator hears about it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ALICE, BOB, nextId, personalMessage } from '../adapters/teams/activities.ts'
import { viaCompose, type Harness } from '../adapters/teams/harness.ts'
import { SqliteTeamsReferenceRepository } from '../../src/storage/repositories/teams-references.ts'
import { failedJobs, itemsOfThread, jobsIdle, settled } from './knowledge-support.ts'
import { aliceChat, DANA, graphThread, INCIDENTS, LEGAL, OPS, payload, shown, tenant, threadOf, WS } from './teams-tenant-support.ts'
import { waitFor } from '../support/wait.ts'

let h: Harness
let t: ReturnType<typeof tenant>
const kudosRows = () =>
  h.ctx.db.$client.prepare('SELECT giver_id, receiver_id FROM kudos ORDER BY id').all() as { giver_id: string; receiver_id: string }[]
const taskAssignees = () =>
  h.ctx.db.$client.prepare('SELECT t.title, a.person_id FROM tasks t JOIN task_assignees a ON a.task_id = t.id ORDER BY t.id').all() as {
    title: string
    person_id: string
  }[]

beforeAll(async () => {
  h = await viaCompose()
  t = tenant(h)
  expect((await h.post(personalMessage(h.connector.serviceUrl, 'help'))).status).toBe(200)
  for (const team of [OPS, LEGAL]) {
    h.connector.members.set(team.id, [ALICE, BOB, DANA])
    expect((await h.post(t.install(team))).status).toBe(200)
  }
})
afterAll(async () => {
  const failed = h ? failedJobs(h.ctx.db) : []
  await h?.close()
  expect(failed).toEqual([])
})

describe('people by @mention, including colleagues who never talked to Beacon', () => {
  const ERIN = { id: '29:erin-bf-id', name: 'Erin Wu', aadObjectId: 'aad-erin' }
  const SAM_1 = { id: '29:sam1-bf-id', name: 'Sam Lee', aadObjectId: 'aad-sam-1' }
  const SAM_2 = { id: '29:sam2-bf-id', name: 'Sam Lee', aadObjectId: 'aad-sam-2' }
  const FRANK = { id: '29:frank-bf-id', name: 'Frank Ocean', aadObjectId: 'aad-frank' }

  it('kudos to a mentioned colleague: id and name from the mention, confirmed by the team roster', async () => {
    h.connector.members.set(OPS.id, [ALICE, BOB, DANA, ERIN, SAM_1, SAM_2])
    const mark = h.connector.calls.length
    expect((await h.post(t.command(OPS, INCIDENTS, 'kudos <at>Erin Wu</at> for the calm postmortem', [ERIN]))).status).toBe(200)
    const reply = await waitFor(() => t.sentSince(mark).find((c) => shown(c).includes('gave kudos')), 'the kudos reply')
    expect(shown(reply)).toContain('**Erin Wu**')
    expect(kudosRows().at(-1)).toEqual({ giver_id: ALICE.aadObjectId, receiver_id: ERIN.aadObjectId })
    // Confirmed through the team's roster (GET v3/conversations/{team}/members/{29:id}).
    expect(h.connector.calls.slice(mark).some((c) => c.kind === 'member' && c.memberId === ERIN.id && c.conversationId === OPS.id)).toBe(true)
  })

  it('two people with the same name: the mention decides, not the name', async () => {
    await h.ctx.repos.people.upsert({ workspace: WS, id: SAM_1.aadObjectId, displayName: SAM_1.name, timezone: 'UTC', isBot: false })
    expect((await h.post(t.command(OPS, INCIDENTS, 'task rotate the keys <at>Sam Lee</at> tomorrow', [SAM_2]))).status).toBe(200)
    await waitFor(() => taskAssignees().some((t) => t.title === 'rotate the keys'), 'the task')
    expect(
      taskAssignees()
        .filter((t) => t.title === 'rotate the keys')
        .map((t) => t.person_id),
    ).toEqual([SAM_2.aadObjectId])
  })

  it('someone in no roster Beacon can see is refused plainly, nothing recorded', async () => {
    const before = kudosRows().length
    const mark = h.connector.calls.length
    const ghost = { id: '29:ghost-bf-id', name: 'Gus Ghost' }
    expect((await h.post(t.command(OPS, INCIDENTS, 'kudos <at>Gus Ghost</at> for nothing', [ghost]))).status).toBe(200)
    const reply = await waitFor(() => t.dmsTo(aliceChat, mark).find((c) => shown(c).includes('don’t know who')), 'the refusal, privately')
    expect(shown(reply)).toContain('no kudos went out')
    expect(kudosRows()).toHaveLength(before)
  })

  it('"@Name" typed in a personal chat finds a colleague through the team rosters (paged members)', async () => {
    h.connector.members.set(LEGAL.id, [ALICE, BOB, DANA, FRANK])
    const mark = h.connector.calls.length
    const activity = { ...personalMessage(h.connector.serviceUrl, 'kudos @Frank Ocean for the contract review'), id: nextId() }
    expect((await h.post(activity)).status).toBe(200)
    const reply = await waitFor(() => t.dmsTo(aliceChat, mark).find((c) => shown(c).includes('Frank Ocean')), 'the kudos reply')
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
    expect((await h.post(t.save(OPS, INCIDENTS, payload(root, 'Certificate renewal steps')))).status).toBe(200)
    const note = await waitFor(
      () => t.dmsTo(aliceChat, mark).find((c) => shown(c).includes('couldn’t confirm it in the thread')),
      'the note to the saver',
    )
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
    await expect(h.adapter.platform.post({ conversation: { workspace: WS, id: INCIDENTS } }, { text: 'digest' })).rejects.toMatchObject({
      code: 'job_permanent',
      target: 'conversation',
    })
    expect(h.connector.calls.length).toBe(before)
    h.connector.notInRoster.delete(INCIDENTS)
  })

  it('an assignee who never installed Beacon: the creator is told, the person is marked, Teams is asked once', async () => {
    h.connector.notInstalledFor.add(DANA.id)
    const mark = h.connector.calls.length
    const id = nextId()
    const activity = t.inChannel(OPS, `${OPS.id};messageid=${id}`, {
      type: 'message',
      id,
      text: '<at>Beacon</at> task renew the certificate <at>Dana Scully</at> friday',
      entities: [
        { type: 'mention', text: '<at>Beacon</at>', mentioned: { id: '28:00000000-0000-0000-0000-00000000b0b0', name: 'Beacon' } },
        { type: 'mention', text: '<at>Dana Scully</at>', mentioned: { id: DANA.id, name: DANA.name } },
      ],
    })
    expect((await h.post(activity)).status).toBe(200)
    const told = await waitFor(() => t.dmsTo(aliceChat, mark).find((c) => shown(c).includes('couldn’t tell')), 'the note to the creator')
    expect(shown(told)).toContain('Dana Scully')
    expect(shown(told)).toContain('renew the certificate')
    expect(shown(told)).toContain('hasn’t added Beacon')
    const repo = new SqliteTeamsReferenceRepository(h.ctx.db)
    expect(repo.userUnreachable(WS, DANA.aadObjectId)?.reason).toBe('BotNotInConversationRoster')

    // A reminder for her later does not knock on Teams' door again.
    const before = h.connector.calls.filter((c) => c.kind === 'createConversation').length
    await expect(h.adapter.platform.post({ dmTo: { workspace: WS, id: DANA.aadObjectId } }, { text: 'reminder' })).rejects.toMatchObject({
      target: 'person',
    })
    expect(h.connector.calls.filter((c) => c.kind === 'createConversation')).toHaveLength(before)
    await jobsIdle(h.ctx.db)
  })
})
