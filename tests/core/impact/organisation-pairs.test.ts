/**
 * "For the first time" across one organisation, at the level of a report's reads: a pair new in one
 * workspace is not new when the same two people (matched by verified email) connected in an earlier
 * week in a linked workspace; a platform that cannot say who someone is there leaves the pair new
 * rather than failing the report. (End to end through Slack and Teams: tests/e2e/impact-cross-platform.test.ts.)
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { AdoptionOrg } from '../../../src/core/adoption/deps.ts'
import type { ImpactContext } from '../../../src/core/impact/deps.ts'
import { ImpactReads } from '../../../src/core/impact/impact-reads.ts'
import { lastCompleteWeeks } from '../../../src/core/time/iso-weeks.ts'
import { SqliteImpactRepository, SqliteSponsorRepository } from '../../../src/storage/repositories/impact.ts'
import { adoptionHarness, WS, type AdoptionHarness } from '../adoption/support.ts'

const TEAMS = 'teams:tenant-1'
/** Slack account → the same person's Teams account; 'USAM' has none there. */
const ON_TEAMS: Record<string, string> = { UANA: 'aad-ana', UBEN: 'aad-ben', UCLEO: 'aad-cleo' }

let h: AdoptionHarness
afterEach(() => h?.close())

async function setup(counterpart: AdoptionOrg['counterpart'] = async (_w, p) => ({ personId: ON_TEAMS[p] })) {
  h = await adoptionHarness()
  const org: AdoptionOrg = {
    linkedWith: async (w) => (w === WS ? [TEAMS] : [WS]),
    counterpart,
    accountIn: async () => undefined,
  }
  const ctx: ImpactContext = {
    adoption: { ...h.feature.context, org },
    impact: new SqliteImpactRepository(h.db),
    sponsors: new SqliteSponsorRepository(h.db),
  }
  const [earlier, week] = lastCompleteWeeks(h.clock.now(), 2) as [string, string]
  // Ana and Ben met on Teams the week before; Ben and Cleo meet there only this week.
  await ctx.impact.connect(TEAMS, earlier, [{ a: 'aad-ana', b: 'aad-ben', conversationId: '19:x' }])
  await ctx.impact.connect(TEAMS, week, [{ a: 'aad-ben', b: 'aad-cleo', conversationId: '19:x' }])
  // This week on Slack: Ana–Ben, Ben–Cleo, and Ana–Sam (Sam has no Teams account).
  await ctx.impact.connect(WS, week, [
    { a: 'UANA', b: 'UBEN', conversationId: 'C1' },
    { a: 'UBEN', b: 'UCLEO', conversationId: 'C1' },
    { a: 'UANA', b: 'USAM', conversationId: 'C1' },
  ])
  return { reads: new ImpactReads(ctx, [earlier, week]), week }
}

const names = (pairs: { a: string; b: string }[]) => pairs.map((p) => `${p.a}–${p.b}`).sort()

describe('first connections across an organisation', () => {
  it('are not new when the two people met earlier in a linked workspace', async () => {
    const { reads, week } = await setup()
    expect(names(await reads.newPairs(WS, ['C1'], week))).toEqual(['UANA–USAM', 'UBEN–UCLEO'])
  })

  it('stay new when the other platform cannot say who someone is, instead of failing the report', async () => {
    const { reads, week } = await setup(async (_w, p) => {
      if (p === 'UANA') throw new Error('slack_webapi_platform_error')
      return { personId: ON_TEAMS[p] }
    })
    expect(names(await reads.newPairs(WS, ['C1'], week))).toEqual(['UANA–UBEN', 'UANA–USAM', 'UBEN–UCLEO'])
  })
})
