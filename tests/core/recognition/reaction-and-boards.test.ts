import { afterEach, describe, expect, it } from 'vitest'
import { harness, kudosRows, recognitionPlatform, type Harness } from './support.ts'

let h: Harness
afterEach(async () => h?.close())

describe('kudos by reaction', () => {
  it('reacting with the kudos reaction gives the author a kudos linking the message, announced once in its thread', async () => {
    h = await harness()
    await h.react('U_ALICE', '1712.0001', 'U_BOB')
    await h.queue.advance(4000)
    expect(h.platform.posts.length === 1, 'the announcement').toBe(true)
    const [post] = h.platform.posts
    expect(post!.target).toEqual({ conversation: { workspace: 'slack:T1', id: 'C_GEN', name: 'general' }, threadId: 'slack:T1:C_GEN:1712.0001' })
    expect(post!.message.text).toBe('🎉 **Alice** gave kudos to **Bob**: for [this message](https://example.slack.com/archives/C_GEN/p17120001)')
    expect(kudosRows(h.db)).toMatchObject([{ source: 'reaction', giver_id: 'U_ALICE', receiver_id: 'U_BOB' }])

    // The same person reacting again (remove + add), a retried event, another reaction name: nothing more.
    await h.react('U_ALICE', '1712.0001', 'U_BOB')
    await h.react('U_ALICE', '1712.0001', 'U_BOB', 'bookmark')
    // The job itself run twice (a retry after a crash) records and announces nothing more.
    await h.queue.runNow('recognition.reaction', {
      workspace: 'slack:T1',
      conversation: { id: 'C_GEN' },
      messageId: '1712.0001',
      giver: { id: 'U_ALICE' },
      authorId: 'U_BOB',
    })
    await h.queue.advance(3_000)
    expect(kudosRows(h.db)).toHaveLength(1)
    expect(h.platform.posts).toHaveLength(1)

    // Another person reacting to the same message is their own kudos.
    await h.react('U_CAROL', '1712.0001', 'U_BOB')
    await h.queue.advance(4000)
    expect(h.platform.posts.length === 2, 'Carol’s announcement').toBe(true)
    expect(kudosRows(h.db)).toHaveLength(2)
  })

  it('reacting to your own message or a bot’s explains privately and records nothing', async () => {
    h = await harness()
    await h.react('U_ALICE', '1712.0002', 'U_ALICE')
    await h.react('U_ALICE', '1712.0003', 'U_BOT')
    await h.queue.advance(4000)
    expect(h.platform.posts.length === 2, 'two refusals').toBe(true)
    expect(h.platform.posts.map((p) => [p.message.visibleTo, p.message.text.slice(0, 40)])).toEqual([
      ['U_ALICE', 'Kudos are for thanking someone else — yo'],
      ['U_ALICE', '**Deploybot** is a bot — kudos are for p'],
    ])
    expect(kudosRows(h.db)).toHaveLength(0)
  })

  it('a failed announcement is retried without counting the kudos twice', async () => {
    const platform = recognitionPlatform()
    platform.failPosts = 1
    h = await harness({ platform })
    await h.react('U_ALICE', '1712.0004', 'U_BOB')
    await h.queue.advance(8000)
    expect(h.platform.posts.length === 1, 'the announcement after a retry').toBe(true)
    expect(kudosRows(h.db)).toHaveLength(1)
  })

  it('platforms that do not report reactions to other people’s messages (Teams) ignore it', async () => {
    h = await harness({ platform: recognitionPlatform({ reactions: false }) })
    await h.react('U_ALICE', '1712.0005', 'U_BOB')
    await h.queue.advance(3_000)
    expect(kudosRows(h.db)).toHaveLength(0)
  })
})

describe('/kudos top and /kudos me', () => {
  it('ranks by distinct givers first, then count, with names and no pings', async () => {
    h = await harness({ dailyAllowance: 10 })
    // Bob: 3 kudos from 1 person. Carol: 2 kudos from 2 people. Dan: 1 from 1. Erin: automatic only.
    for (let i = 0; i < 3; i++) await h.kudos(`<@U_BOB> thing ${i}`, 'U_ALICE')
    await h.kudos('<@U_CAROL> for X #craft', 'U_ALICE')
    await h.kudos('<@U_CAROL> for Y', 'U_DAN')
    await h.kudos('<@U_DAN> for Z #craft', 'U_ERIN')
    await h.feature.service.credit({
      workspace: 'slack:T1',
      people: [{ id: 'U_ERIN', name: 'Erin' }],
      reason: 'saved',
      source: 'knowledge',
      refId: 1,
    })
    const top = (await h.kudos('top')).replies[0]!
    expect(top.visibleTo).toBe('U_ALICE')
    const lines = top.text.split('\n').filter((l) => /^\d\./.test(l))
    expect(lines).toEqual(['1. **Carol** — 2 people, 2 kudos', '2. **Bob** — 1 person, 3 kudos', '3. **Dan** — 1 person, 1 kudos'])
    expect(top.text).not.toMatch(/<@|@Carol|U_CAROL/)
    const craft = (await h.kudos('top all #craft')).replies[0]!
    expect(craft.text.split('\n').filter((l) => /^\d\./.test(l))).toEqual(['1. **Carol** — 1 person, 1 kudos', '2. **Dan** — 1 person, 1 kudos'])
    expect((await h.kudos('top forever')).replies[0]!.text).toMatch(/kudos top \[week\|month\|all\]/)
    // Older than a week: out of "week", still in "all".
    h.clock.advance(8 * 86_400_000)
    expect((await h.kudos('top week')).replies[0]!.text).toMatch(/No kudos in the last 7 days/)
    expect((await h.kudos('top all')).replies[0]!.text).toContain('1. **Carol**')
  })

  it('me: what I gave and received, this week and all time, with automatic credit apart', async () => {
    h = await harness({ dailyAllowance: 5 })
    await h.kudos('<@U_BOB> for the deploy fix #craft', 'U_ALICE')
    await h.kudos('<@U_ALICE> for the review', 'U_BOB')
    await h.kudos('<@U_CAROL> for lunch', 'U_ALICE')
    await h.feature.service.credit({
      workspace: 'slack:T1',
      people: [{ id: 'U_ALICE', name: 'Alice' }],
      reason: 'finished **T-1** ship',
      source: 'task-done',
      refId: 1,
    })
    const me = (await h.kudos('me', 'U_ALICE')).replies[0]!
    expect(me.visibleTo).toBe('U_ALICE')
    expect(me.text).toContain('This week: received 1 kudos from 1 person + 1 automatic credit, gave 2.')
    expect(me.text).toContain('All time: received 1 kudos from 1 person + 1 automatic credit, gave 2.')
    expect(me.text).toContain('You can give 3 more kudos today (of 5)')
    expect(me.text).toContain('- from **Bob**: for the review')
    expect(me.text).toContain('- _a finished task_: finished **T-1** ship')
    expect(me.text).toContain('- to **Bob**: for the deploy fix · _#craft_')
  })
})
