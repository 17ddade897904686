// A new team's first week: the current week so far is shown (marked partial) once it meets the
// privacy minimum, never below it, and never where it would allow subtracting one team from another.
import { afterEach, describe, expect, it } from 'vitest'
import type { ActivityEvent } from '../../../src/core/adoption/types.ts'
import { adoptionHarness, people, WS, type AdoptionHarness } from './support.ts'

let h: AdoptionHarness | undefined
afterEach(() => h?.close())

/** Messages this week (NOW is Wednesday 2025-06-18 10:00 UTC): Monday and Tuesday. */
function thisWeek(ids: string[], channel = 'C1'): ActivityEvent[] {
  return ids.flatMap((personId, i) => [
    { workspace: WS, conversationId: channel, personId, kind: 'message' as const, at: new Date(`2025-06-16T09:0${i % 10}:00Z`) },
    { workspace: WS, conversationId: channel, personId, kind: 'reply' as const, at: new Date(`2025-06-17T11:0${i % 10}:00Z`) },
  ])
}

describe('the first week of a new team', () => {
  it('shows this week so far, marked partial, once 5 people are active; 4 stay withheld', async () => {
    h = await adoptionHarness()
    await h.feature.context.settings.syncTeam(WS, 'Platform', ['C1'], ['U_ALICE'], h.clock.now())
    await h.feature.context.activity.recordMany(thisWeek(people('p', 4)))
    expect((await h.command('stats')).replies[0]!.text).toMatch(/Platform\*\* — fewer than 5 active people; not shown/)

    await h.feature.context.activity.recordMany(thisWeek(['p5']))
    const text = (await h.command('stats')).replies[0]!.text
    expect(text).toContain('**Platform** — this week so far (2025-W25, partial: Monday to now, UTC)')
    expect(text).toContain('- Active people: **5**')
    expect(text).toContain('Contributions: 10')
    expect(text).not.toContain('fewer than 5 active people; not shown')
  })

  it('a team inside another is not shown partially when the difference is a small group', async () => {
    // U_ALICE is a workspace admin: she sees both teams, so she could subtract one from the other.
    h = await adoptionHarness({ roles: { isAdmin: async (_w, id) => id === 'U_ALICE' } })
    const s = h.feature.context.settings
    await s.syncTeam(WS, 'Division', ['C1', 'C2'], [], h.clock.now())
    await s.syncTeam(WS, 'Squad', ['C1'], [], h.clock.now())
    // Squad: 6 people in C1; Division adds 2 people in C2, so Division − Squad would expose those 2.
    await h.feature.context.activity.recordMany([...thisWeek(people('s', 6)), ...thisWeek(people('d', 2), 'C2')])
    const text = (await h.command('stats')).replies[0]!.text
    expect(text).toContain('**Division** — this week so far')
    expect(text).toContain('- Active people: **8**')
    expect(text).not.toMatch(/Squad\*\* — this week so far/)
  })
})
