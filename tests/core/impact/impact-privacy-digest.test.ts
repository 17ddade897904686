/**
 * Impact on the real feature over in-memory SQLite: the adoption privacy rules hold for impact
 * figures (the organisation counts as a team a viewer can combine with the others), and the
 * sponsors' digest is planned in their working hours and sent at most once a month.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { createImpactFeature, type ImpactFeature } from '../../../src/core/impact/index.ts'
import { impactReports } from '../../../src/core/impact/reports.ts'
import { sendDigest } from '../../../src/core/impact/digest.ts'
import { organisationReports } from '../../../src/core/impact/organisation.ts'
import { SqliteImpactRepository, SqliteSponsorRepository } from '../../../src/storage/repositories/impact.ts'
import { addPeople, adoptionHarness, crowd, historyEvents, people, WS, type AdoptionHarness } from '../adoption/support.ts'

let h: AdoptionHarness
let impact: ImpactFeature

async function setup(): Promise<void> {
  h = await adoptionHarness()
  impact = createImpactFeature({ adoption: h.feature.context, impact: new SqliteImpactRepository(h.db), sponsors: new SqliteSponsorRepository(h.db) })
  impact.registerJobs()
}
const weeks = (ids: string[]) => Array.from({ length: 12 }, () => crowd(ids))
afterEach(() => h?.close())

describe('impact privacy', () => {
  it('a team below the minimum shows nothing, and the organisation cannot be used to subtract it', async () => {
    await setup()
    const s = h.feature.context.settings
    const big = await s.syncTeam(WS, 'Big', ['C1'], ['UBOSS'], h.clock.now())
    const tiny = await s.syncTeam(WS, 'Tiny', ['C2'], ['UBOSS'], h.clock.now())
    await h.feature.context.activity.recordMany(historyEvents(weeks(people('p', 10)), { channel: 'C1' }))
    await h.feature.context.activity.recordMany(historyEvents(weeks(people('q', 2)), { channel: 'C2' }))
    const admin = await impactReports(impact.context, { workspace: WS, personId: 'UADMIN', admin: true, teams: [big, tiny] })
    const shown = admin.filter((r) => !r.hidden && r.current)
    expect(admin.find((r) => r.team.name === 'Tiny')!.current).toBeUndefined()
    // Whatever is shown side by side, no difference between two figures is a group of 1–4 people
    // (Organisation − Big must not be Tiny's two people).
    expect(shown.length).toBeGreaterThan(0)
    for (const x of shown)
      for (const y of shown) {
        const d = Math.abs(x.current!.activePeople - y.current!.activePeople)
        expect(d === 0 || d >= 5, `${x.team.name} − ${y.team.name} = ${d}`).toBe(true)
      }
    // A manager of Big alone sees Big (no organisation, nothing to subtract).
    const manager = await impactReports(impact.context, { workspace: WS, personId: 'UBOSS', admin: false, teams: [big] })
    expect(manager.map((r) => [r.team.name, Boolean(r.current)])).toEqual([['Big', true]])
  })
})

describe('organisation figures for a sponsor who manages a team', () => {
  async function world(auditWeekly: number): Promise<void> {
    await setup()
    const s = h.feature.context.settings
    await s.syncTeam(WS, 'Platform', ['C1'], ['UMAX'], h.clock.now())
    await s.syncTeam(WS, 'Audit', ['C2'], [], h.clock.now())
    await h.feature.context.activity.recordMany(historyEvents(weeks(people('p', 8)), { channel: 'C1' }))
    const audit = [crowd(people('a', 6)), ...Array.from({ length: 11 }, () => crowd(people('a', auditWeekly)))]
    await h.feature.context.activity.recordMany(historyEvents(audit, { channel: 'C2' }))
  }
  const org = async (person: string) => (await organisationReports(impact.context, WS, person)).find((r) => r.organisation)!

  it('is withheld when organisation − their team is a group under the minimum; admins still see it', async () => {
    await world(3)
    await expect(org('UMAX')).resolves.toMatchObject({ hidden: 'own-teams' })
    expect((await org('UMAX')).current).toBeUndefined()
    expect((await org('UADMIN')).current?.activePeople).toBe(11)
    expect((await org('UNOBODY')).current?.activePeople).toBe(11)
  })

  it('is shown when nothing small is left over beside their team', async () => {
    await world(6)
    expect((await org('UMAX')).current?.activePeople).toBe(14)
  })
})

describe('executive digest', () => {
  it('is planned inside the sponsor’s working hours, once per month however often the monthly job runs', async () => {
    await setup()
    await addPeople(h.db, ['UTOKYO'], 'Asia/Tokyo')
    const s = h.feature.context.settings
    await s.syncTeam(WS, 'Big', ['C1'], [], h.clock.now())
    await h.feature.context.activity.recordMany(historyEvents(weeks(people('p', 10)), { channel: 'C1' }))
    await impact.context.sponsors.add({ workspace: WS, personId: 'UTOKYO', addedBy: 'UADMIN', addedAt: h.clock.now() })
    await h.queue.runNow('impact.monthly')
    await h.queue.runNow('impact.monthly')
    const planned = h.queue.pending.filter((j) => j.name === 'impact.digest')
    expect(planned).toHaveLength(1)
    // Wednesday 10:00 UTC is 19:00 in Tokyo: the digest waits for Thursday 09:00 there.
    expect(planned[0]!.opts.runAt?.toISOString()).toBe('2025-06-19T00:00:00.000Z')
    expect(planned[0]!.data).toEqual({ workspace: WS, sponsorId: 'UTOKYO', month: '2025-05' })

    // Even a duplicated job sends once: the month is claimed before posting.
    expect(await sendDigest(impact.context, { workspace: WS, sponsorId: 'UTOKYO', month: '2025-05' })).toBe('sent')
    expect(await sendDigest(impact.context, { workspace: WS, sponsorId: 'UTOKYO', month: '2025-05' })).toBe('already-sent')
    const dms = h.platform.dmsTo('UTOKYO')
    expect(dms).toHaveLength(1)
    expect(dms[0]!.text).toMatch(/Three numbers that moved/)
    expect(dms[0]!.text).not.toMatch(/Big|p\d/)
  })

  it('gives the month back when the DM fails, so the retry sends it', async () => {
    await setup()
    await addPeople(h.db, ['UEXEC'], 'UTC')
    await impact.context.sponsors.add({ workspace: WS, personId: 'UEXEC', addedBy: 'UADMIN', addedAt: h.clock.now() })
    h.platform.failFor.add('UEXEC')
    await expect(sendDigest(impact.context, { workspace: WS, sponsorId: 'UEXEC', month: '2025-05' })).rejects.toThrow()
    h.platform.failFor.delete('UEXEC')
    expect(await sendDigest(impact.context, { workspace: WS, sponsorId: 'UEXEC', month: '2025-05' })).toBe('sent')
    expect(h.platform.dmsTo('UEXEC')).toHaveLength(1)
    // Removed sponsors hear nothing more.
    await impact.context.sponsors.remove(WS, 'UEXEC')
    expect(await sendDigest(impact.context, { workspace: WS, sponsorId: 'UEXEC', month: '2025-06' })).toBe('not-a-sponsor')
  })
})
