import { afterEach, describe, expect, it } from 'vitest'
import { harness, kudosRows, type Harness } from './support.ts'

let h: Harness
afterEach(async () => h?.close())

const only = (t: { replies: { text: string; visibleTo?: string }[] }) => {
  expect(t.replies).toHaveLength(1)
  return t.replies[0]!
}

describe('giving kudos by command', () => {
  it('records one kudos per receiver and answers with ONE public message naming people without pings', async () => {
    h = await harness()
    const t = await h.kudos('<@U_BOB|bob> @Ada Lovelace for the *great* demo prep #Teamwork')
    const r = only(t)
    expect(r.visibleTo).toBeUndefined()
    expect(r.text).toBe('🎉 **Alice** gave kudos to **Bob** and **Ada Lovelace**: for the \\*great\\* demo prep · _#teamwork_')
    expect(r.text).not.toMatch(/<@|@Bob|@Ada/)
    const rows = kudosRows(h.db)
    expect(rows.map((x) => [x.kind, x.source, x.giver_id, x.receiver_id, x.value])).toEqual([
      ['given', 'command', 'U_ALICE', 'U_BOB', 'teamwork'],
      ['given', 'command', 'U_ALICE', 'U_ADA', 'teamwork'],
    ])
  })

  it('refuses kudos to yourself, to bots, to groups and to unknown people, changing nothing', async () => {
    h = await harness()
    const cases: [string, RegExp][] = [
      ['@me for being me', /can’t give them to yourself/],
      ['<@U_ALICE> thanks', /can’t give them to yourself/],
      ['<@U_BOT> for deploying', /Deploybot\*\* is a bot/],
      ['@here for the party', /not to \*\*@here\*\*/],
      ['@Nobody for nothing', /don’t know who \*\*@Nobody\*\*/],
      ['<@U_BOB>', /Say what you’re thanking them for/],
      ['for everything', /Mention who you’re thanking/],
    ]
    for (const [text, expected] of cases) {
      const r = only(await h.kudos(text))
      expect(r.visibleTo, text).toBe('U_ALICE')
      expect(r.text, text).toMatch(expected)
    }
    expect(kudosRows(h.db)).toHaveLength(0)
  })

  it('takes at most one known #value and lists the values for an unknown one', async () => {
    h = await harness({ values: ['teamwork', 'craft'] })
    const unknown = only(await h.kudos('<@U_BOB> for the fix #speed'))
    expect(unknown.visibleTo).toBe('U_ALICE')
    expect(unknown.text).toContain('**#speed** isn’t one of our values')
    expect(unknown.text).toContain('**#teamwork**, **#craft**')
    const two = only(await h.kudos('<@U_BOB> for the fix #craft #teamwork'))
    expect(two.text).toMatch(/one value/)
    expect(kudosRows(h.db)).toHaveLength(0)
    only(await h.kudos('<@U_BOB> for the fix #CRAFT'))
    expect(kudosRows(h.db)[0]).toMatchObject({ value: 'craft', reason: 'for the fix' })
  })

  it('a retried command event (same event id) never counts twice', async () => {
    h = await harness()
    await h.kudos('<@U_BOB> for the review', 'U_ALICE', undefined, 'Ev1')
    const again = await h.kudos('<@U_BOB> for the review', 'U_ALICE', undefined, 'Ev1')
    expect(again.replies).toHaveLength(0)
    expect(kudosRows(h.db)).toHaveLength(1)
  })

  it('the store itself is idempotent on the natural key, even past the dispatcher', async () => {
    h = await harness()
    const giver = { workspace: 'slack:T1', id: 'U_ALICE', displayName: 'Alice', timezone: 'UTC', isBot: false }
    const bob = { workspace: 'slack:T1', id: 'U_BOB', displayName: 'Bob', timezone: 'UTC', isBot: false }
    const input = { workspace: 'slack:T1', giver, receivers: [bob], reason: 'x', source: 'command' as const, keyBase: 'command:Ev9' }
    expect((await h.feature.service.give(input)).kind).toBe('given')
    expect((await h.feature.service.give(input)).kind).toBe('duplicate')
    expect(kudosRows(h.db)).toHaveLength(1)
  })

  it('kudos given in a private chat with Beacon are DMed to the people thanked', async () => {
    h = await harness()
    await h.kudos('<@U_BOB> for covering my shift', 'U_ALICE', { id: 'D_ALICE', privacy: 'direct' })
    await h.queue.advance(0) // the DM job
    expect(h.platform.dmsTo('U_BOB').map((m) => m.text)).toEqual(['🎉 **Alice** sent you kudos: for covering my shift'])
  })
})
