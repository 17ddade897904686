import { afterEach, describe, expect, it } from 'vitest'
import { isBeaconError } from '../../../src/core/errors.ts'
import type { KnowledgeItem } from '../../../src/core/knowledge/types.ts'
import type { Task } from '../../../src/core/tasks/types.ts'
import { harness, kudosRows, recognitionPlatform, type Harness } from './support.ts'

let h: Harness
afterEach(async () => h?.close())

const item = (id: number): KnowledgeItem =>
  ({
    id,
    workspace: 'slack:T1',
    title: 'How to *rotate* keys',
    permalink: 'https://chat.example/p1',
    conversation: { id: 'C_GEN', name: 'general', privacy: 'public' },
    contributors: [],
  }) as unknown as KnowledgeItem

const task = (id: number, assignees: string[], conversationId?: string): Task =>
  ({
    id,
    number: id,
    workspace: 'slack:T1',
    title: 'Ship it',
    conversationId,
    assignees: assignees.map((personId) => ({ personId, displayName: personId })),
  }) as unknown as Task

/** Admins and the channel's team managers switch digests; here everyone may. */
const mayManageDigest = async () => true

describe('automatic credit', () => {
  it('credits the human contributors of a saved knowledge item once, outside anyone’s allowance', async () => {
    h = await harness({ dailyAllowance: 1 })
    const contributors = [
      { personId: 'U_BOB', displayName: 'Bob' },
      { personId: 'U_CAROL', displayName: 'Carol' },
      { personId: 'U_BOT', displayName: 'Deploybot' },
    ]
    await h.feature.onItemSaved(item(7), contributors)
    await h.feature.onItemSaved(item(7), contributors) // the capture job retried
    const rows = kudosRows(h.db)
    expect(rows.map((r) => [r.kind, r.source, r.giver_id, r.receiver_id, r.dedupe_key])).toEqual([
      ['auto', 'knowledge', null, 'U_BOB', 'knowledge:7:U_BOB'],
      ['auto', 'knowledge', null, 'U_CAROL', 'knowledge:7:U_CAROL'],
    ])
    expect(rows[0]!.reason).toBe('answer saved to the knowledge base: [How to \\*rotate\\* keys](https://chat.example/p1)')
    // Nobody's allowance was touched: Alice can still give her one kudos today.
    expect((await h.kudos('<@U_BOB> for the answer')).replies[0]!.visibleTo).toBeUndefined()
  })

  it('credits the assignees of a finished task once', async () => {
    h = await harness()
    await h.feature.onTaskDone(task(3, ['U_BOB', 'U_BOT']))
    await h.feature.onTaskDone(task(3, ['U_BOB', 'U_BOT']))
    expect(kudosRows(h.db).map((r) => [r.source, r.receiver_id, r.reason])).toEqual([['task-done', 'U_BOB', 'finished **T-3** Ship it']])
  })

  it('the task card’s “Send kudos” gives a kudos under the rules and DMs the people thanked', async () => {
    h = await harness({ dailyAllowance: 1 })
    const input = { workspace: 'slack:T1', fromId: 'U_ALICE', toIds: ['U_BOB'], reason: 'for finishing T-3: Ship it', taskId: 3 }
    await h.feature.taskRecognition.giveKudos(input)
    await h.feature.taskRecognition.giveKudos(input) // a second click
    await h.queue.advance(4000)
    expect(h.platform.dmsTo('U_BOB').length === 1, 'the DM to Bob').toBe(true)
    expect(h.platform.dmsTo('U_BOB')[0]!.text).toBe('🎉 **Alice** sent you kudos: for finishing T-3: Ship it')
    expect(kudosRows(h.db)).toMatchObject([{ kind: 'given', source: 'task', giver_id: 'U_ALICE', receiver_id: 'U_BOB' }])
    const err = await h.feature.taskRecognition.giveKudos({ ...input, toIds: ['U_CAROL'], taskId: 4 }).catch((e: unknown) => e)
    expect(isBeaconError(err) && err.userMessage).toMatch(/used all 1 of today’s kudos/)
  })
})

describe('weekly digest', () => {
  it('posts once per opted-in channel per week, with highlights and no pings', async () => {
    h = await harness({ dailyAllowance: 10, mayManageDigest })
    expect((await h.kudos('digest on', 'U_ALICE', { id: 'C_TEAM', name: 'team', privacy: 'public' })).replies[0]!.text).toContain(
      'weekly kudos digest is on in #team',
    )
    await h.kudos('digest on', 'U_ALICE', { id: 'C_OFF', name: 'off', privacy: 'public' })
    await h.kudos('digest off', 'U_ALICE', { id: 'C_OFF', name: 'off', privacy: 'public' })
    expect((await h.kudos('digest on', 'U_ALICE', { id: 'D1', privacy: 'direct' })).replies[0]!.text).toMatch(/for channels/)
    await h.kudos('<@U_BOB> for the release #craft', 'U_ALICE')
    await h.kudos('<@U_BOB> for the docs', 'U_CAROL')
    await h.kudos('<@U_CAROL> for the talk #teamwork', 'U_ALICE')
    // Finished from the digest's own channel, so its audience saw it.
    await h.feature.onTaskDone(task(9, ['U_DAN'], 'C_TEAM'))

    await h.queue.runNow('recognition.weekly-digest', {})
    await h.queue.runNow('recognition.weekly-digest', {})
    const posts = h.platform.inConversation('C_TEAM')
    expect(posts).toHaveLength(1)
    expect(h.platform.inConversation('C_OFF')).toHaveLength(0)
    const text = posts[0]!.text
    expect(text).toContain('3 kudos from 2 people.')
    expect(text).toContain('1. **Bob** — 2 people')
    expect(text).toContain('2. **Carol** — 1 person')
    expect(text).toContain('#craft ×1, #teamwork ×1')
    expect(text).toContain('1 credit to 1 person for finished tasks')
    expect(text).not.toMatch(/<@|for the release/)

    // Next week it posts again, once.
    h.clock.advance(7 * 86_400_000)
    await h.kudos('<@U_DAN> for the fix', 'U_ALICE')
    await h.queue.runNow('recognition.weekly-digest', {})
    await h.queue.runNow('recognition.weekly-digest', {})
    expect(h.platform.inConversation('C_TEAM')).toHaveLength(2)
  })

  it('a failed digest post gives the week back so a retry posts it; a quiet week posts nothing', async () => {
    const platform = recognitionPlatform()
    h = await harness({ platform, mayManageDigest })
    await h.kudos('digest on', 'U_ALICE', { id: 'C_TEAM', name: 'team' })
    await h.queue.runNow('recognition.weekly-digest', {})
    expect(platform.inConversation('C_TEAM')).toHaveLength(0) // nothing happened: nothing to say

    h.clock.advance(7 * 86_400_000)
    await h.kudos('<@U_BOB> for the release', 'U_ALICE')
    platform.failPosts = 1
    await expect(h.queue.runNow('recognition.weekly-digest', {})).rejects.toThrow(/post failed/)
    expect(platform.inConversation('C_TEAM')).toHaveLength(0)
    await h.queue.runNow('recognition.weekly-digest', {})
    await h.queue.runNow('recognition.weekly-digest', {})
    expect(platform.inConversation('C_TEAM')).toHaveLength(1)
  })
})
