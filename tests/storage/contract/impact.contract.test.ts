/**
 * Impact events, questions, first connections and sponsors, on SQLite and on PostgreSQL: an event
 * counts once per source key, a question gets one first answer, a pair is new in its earliest week
 * only, a sponsor's monthly digest is claimed once. On PostgreSQL the same holds for two processes
 * at once.
 */
import { expect, it } from 'vitest'
import { type ImpactEvent, pairKey } from '../../../src/core/impact/types.ts'
import { PgImpactRepository, PgSponsorRepository } from '../../../src/storage/pg/repositories/impact.ts'
import { describeWithPostgres, withPostgresDatabase } from '../../support/postgres.ts'
import { contract, secondProcess } from './backends.ts'

const W = 'slack:T1'
const MON = '2026-01-05'
const ev = (sourceKey: string, over: Partial<ImpactEvent> = {}): ImpactEvent => ({
  workspace: W,
  conversationId: 'C1',
  kind: 'item_opened',
  at: new Date('2026-01-07T10:00:00Z'),
  sourceKey,
  ...over,
})
const byKind = <T extends { kind: string }>(rows: T[]) => [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))
const sortPairs = (ps: { a: string; b: string }[]) => ps.map((p) => `${p.a}-${p.b}`).sort()

contract('impact', (fresh) => {
  it('records an event once per source key, in the week of its time unless told, and reads one week of some channels', async () => {
    const { repos: r } = await fresh()
    expect(await r.impact.record(ev('open:1', { itemId: 7 }))).toBe(true)
    expect(await r.impact.record(ev('open:1', { itemId: 7 }))).toBe(false)
    expect(await r.impact.record(ev('fb:1', { kind: 'feedback', itemId: 7, flag: false }))).toBe(true)
    expect(await r.impact.record(ev('ans:1', { kind: 'question_answered', minutes: 42, flag: true, week: '2025-12-29' }))).toBe(true)
    expect(await r.impact.record(ev('task:1', { kind: 'task_created', conversationId: 'C2', flag: true }))).toBe(true)
    expect(await r.impact.record(ev('open:1', { workspace: 'slack:T2' }))).toBe(true) // another workspace's key
    expect(byKind(await r.impact.weekEvents(W, ['C1'], MON))).toEqual(
      byKind([
        { kind: 'item_opened', itemId: 7, minutes: null, flag: null },
        { kind: 'feedback', itemId: 7, minutes: null, flag: false },
      ]),
    )
    expect(await r.impact.weekEvents(W, ['C1'], '2025-12-29')).toEqual([{ kind: 'question_answered', itemId: null, minutes: 42, flag: true }])
    expect((await r.impact.weekEvents(W, ['C1', 'C2', 'C2'], MON)).map((e) => e.kind).sort()).toEqual(['feedback', 'item_opened', 'task_created'])
    expect(await r.impact.weekEvents(W, [], MON)).toEqual([])
    expect(await r.impact.weekEvents('slack:T3', ['C1'], MON)).toEqual([])
  })

  it('gives a question one first answer, by someone other than its asker, and forgets old and opted-out questions', async () => {
    const { repos: r } = await fresh()
    const asked = new Date('2026-01-05T09:00:00Z')
    await r.impact.openQuestion({ workspace: W, conversationId: 'C1', threadId: 't1', askerId: 'U_ASK', askedAt: asked })
    await r.impact.openQuestion({ workspace: W, conversationId: 'C1', threadId: 't1', askerId: 'U_OTHER', askedAt: new Date('2026-01-06T09:00:00Z') })
    expect(await r.impact.answerQuestion(W, 't1', 'U_ASK', new Date('2026-01-05T09:05:00Z'))).toBeUndefined()
    expect(await r.impact.answerQuestion(W, 't1', 'U_B', new Date('2026-01-05T08:00:00Z'))).toBeUndefined() // before it was asked
    expect(await r.impact.answerQuestion('slack:T2', 't1', 'U_B', new Date('2026-01-05T10:00:00Z'))).toBeUndefined()
    expect(await r.impact.answerQuestion(W, 't1', 'U_B', new Date('2026-01-05T10:00:00Z'))).toEqual({
      workspace: W,
      conversationId: 'C1',
      threadId: 't1',
      askerId: 'U_ASK',
      askedAt: asked,
    })
    expect(await r.impact.answerQuestion(W, 't1', 'U_C', new Date('2026-01-05T11:00:00Z'))).toBeUndefined()

    await r.impact.openQuestion({ workspace: W, conversationId: 'C1', threadId: 't2', askerId: 'U_OUT', askedAt: asked })
    await r.impact.openQuestion({ workspace: W, conversationId: 'C1', threadId: 't3', askerId: 'U_ASK', askedAt: new Date('2026-02-01T00:00:00Z') })
    await r.impact.forgetPerson(W, 'U_OUT')
    expect(await r.impact.answerQuestion(W, 't2', 'U_B', new Date('2026-01-05T10:00:00Z'))).toBeUndefined()
    await r.impact.openQuestion({ workspace: W, conversationId: 'C1', threadId: 't4', askerId: 'U_ASK', askedAt: new Date('2026-02-01T00:00:00Z') })
    expect(await r.impact.answerQuestion(W, 't4', 'U_B', new Date('2026-02-01T00:30:00Z'))).toMatchObject({ threadId: 't4' })
    // t1 is old (t2 is gone already); t4 was answered, so nothing needs it any more; t3 is open and recent.
    expect(await r.impact.purgeQuestionsBefore(new Date('2026-01-15T00:00:00Z'))).toBe(2)
    expect(await r.impact.answerQuestion(W, 't3', 'U_B', new Date('2026-02-01T01:00:00Z'))).toMatchObject({ threadId: 't3' })
  })

  it('counts a pair as new in its earliest week only, folds each week once and forgets an opted-out person', async () => {
    const { repos: r } = await fresh()
    expect(await r.impact.pairWeekDone(W, '2026-01-12')).toBe(false)
    await r.impact.addPairs(W, '2026-01-12', [
      { a: 'U_B', b: 'U_A', conversationId: 'C1' },
      { a: 'U_A', b: 'U_B', conversationId: 'C2' },
      { a: 'U_C', b: 'U_D', conversationId: 'C2' },
    ])
    expect(await r.impact.pairWeekDone(W, '2026-01-12')).toBe(true)
    expect(await r.impact.pairWeekDone('slack:T2', '2026-01-12')).toBe(false)
    expect(await r.impact.newPairs(W, ['C1'], '2026-01-12')).toEqual([{ a: 'U_A', b: 'U_B' }])
    // An earlier week folded afterwards moves the pair back; a later one does not move it forward.
    await r.impact.addPairs(W, MON, [{ a: 'U_D', b: 'U_C', conversationId: 'C3' }])
    await r.impact.addPairs(W, '2026-01-19', [
      { a: 'U_A', b: 'U_B', conversationId: 'C1' },
      { a: 'U_A', b: 'U_E', conversationId: 'C1' },
    ])
    expect(sortPairs(await r.impact.newPairs(W, ['C1', 'C2', 'C3'], '2026-01-12'))).toEqual(['U_A-U_B'])
    expect(await r.impact.newPairs(W, ['C3'], MON)).toEqual([{ a: 'U_C', b: 'U_D' }])
    expect(await r.impact.newPairs(W, ['C1'], '2026-01-19')).toEqual([{ a: 'U_A', b: 'U_E' }])
    await r.impact.addPairs(W, '2026-01-26', [])
    expect(await r.impact.pairWeekDone(W, '2026-01-26')).toBe(true)
    await r.impact.forgetPerson(W, 'U_A')
    expect(await r.impact.newPairs(W, ['C1', 'C2'], '2026-01-12')).toEqual([])
    expect(await r.impact.newPairs(W, ['C1'], '2026-01-19')).toEqual([])
    expect(await r.impact.newPairs(W, ['C3'], MON)).toEqual([{ a: 'U_C', b: 'U_D' }])
  })

  it('tells the week a pair was first connected, in either order, in its own workspace only', async () => {
    const { repos: r } = await fresh()
    await r.impact.addPairs(W, '2026-01-12', [{ a: 'U_B', b: 'U_A', conversationId: 'C1' }])
    await r.impact.connect(W, '2026-01-19', [{ a: 'U_C', b: 'U_A', conversationId: 'C2' }])
    await r.impact.addPairs('slack:T2', MON, [{ a: 'U_A', b: 'U_D', conversationId: 'C1' }])
    const weeks = await r.impact.firstWeeks(W, [
      { a: 'U_A', b: 'U_B' },
      { a: 'U_A', b: 'U_C' },
      { a: 'U_D', b: 'U_A' },
    ])
    expect([...weeks].sort()).toEqual([
      [pairKey('U_A', 'U_B'), '2026-01-12'],
      [pairKey('U_C', 'U_A'), '2026-01-19'],
    ])
    expect(await r.impact.firstWeeks(W, [])).toEqual(new Map())
  })

  it('connects task pairs at once without marking the week folded, and the earliest week still wins', async () => {
    const { repos: r } = await fresh()
    await r.impact.connect(W, '2026-01-19', [{ a: 'U_B', b: 'U_A', conversationId: 'C1' }])
    expect(await r.impact.pairWeekDone(W, '2026-01-19')).toBe(false)
    expect(await r.impact.newPairs(W, ['C1'], '2026-01-19')).toEqual([{ a: 'U_A', b: 'U_B' }])
    // The same pair's reply, folded later for an earlier week, makes that week its first.
    await r.impact.addPairs(W, '2026-01-12', [{ a: 'U_A', b: 'U_B', conversationId: 'C1' }])
    await r.impact.connect(W, '2026-01-26', [{ a: 'U_A', b: 'U_B', conversationId: 'C2' }])
    expect(await r.impact.newPairs(W, ['C1', 'C2'], '2026-01-19')).toEqual([])
    expect(await r.impact.newPairs(W, ['C1', 'C2'], '2026-01-26')).toEqual([])
    expect(await r.impact.newPairs(W, ['C1'], '2026-01-12')).toEqual([{ a: 'U_A', b: 'U_B' }])
  })

  it('keeps sponsors per workspace and lets one caller claim each sponsor’s month, again after a release', async () => {
    const { repos: r } = await fresh()
    const at = new Date('2026-01-05T09:00:00Z')
    expect(await r.sponsors.add({ workspace: W, personId: 'U_EXEC', addedBy: 'U_ADMIN', addedAt: at })).toBe(true)
    expect(await r.sponsors.add({ workspace: W, personId: 'U_EXEC', addedBy: 'U_OTHER', addedAt: at })).toBe(false)
    await r.sponsors.add({ workspace: W, personId: 'U_CFO', addedBy: 'U_ADMIN', addedAt: at })
    await r.sponsors.add({ workspace: 'slack:T2', personId: 'U_EXEC', addedBy: 'U_X', addedAt: at })
    expect((await r.sponsors.list(W)).sort((a, b) => a.personId.localeCompare(b.personId))).toEqual([
      { workspace: W, personId: 'U_CFO', addedBy: 'U_ADMIN', addedAt: at },
      { workspace: W, personId: 'U_EXEC', addedBy: 'U_ADMIN', addedAt: at },
    ])
    expect((await r.sponsors.workspaces()).sort()).toEqual([W, 'slack:T2'])
    expect(await r.sponsors.remove(W, 'U_CFO')).toBe(true)
    expect(await r.sponsors.remove(W, 'U_CFO')).toBe(false)
    expect((await r.sponsors.list(W)).map((s) => s.personId)).toEqual(['U_EXEC'])

    expect(await r.sponsors.claimDigest(W, 'U_EXEC', '2026-01', at)).toBe(true)
    expect(await r.sponsors.claimDigest(W, 'U_EXEC', '2026-01', at)).toBe(false)
    expect(await r.sponsors.claimDigest(W, 'U_EXEC', '2026-02', at)).toBe(true)
    expect(await r.sponsors.claimDigest('slack:T2', 'U_EXEC', '2026-01', at)).toBe(true)
    await r.sponsors.releaseDigest(W, 'U_EXEC', '2026-01')
    expect(await r.sponsors.claimDigest(W, 'U_EXEC', '2026-01', at)).toBe(true)
  })

  it('records an event and claims a digest once among many concurrent callers', async () => {
    const { repos: r } = await fresh()
    const at = new Date('2026-01-05T09:00:00Z')
    expect((await Promise.all(Array.from({ length: 10 }, () => r.impact.record(ev('race'))))).filter(Boolean)).toHaveLength(1)
    expect((await Promise.all(Array.from({ length: 10 }, () => r.sponsors.claimDigest(W, 'U_EXEC', '2026-01', at)))).filter(Boolean)).toHaveLength(1)
  })
})

const describePg = await describeWithPostgres()

describePg('impact on two PostgreSQL processes', () => {
  const pg = withPostgresDatabase()

  it('one event per source key, one first answer, one digest per month, and a pair new in its earliest week, whichever process wins', async () => {
    await pg.reset()
    const other = await secondProcess(pg.url)
    const impact = [new PgImpactRepository(pg.db), new PgImpactRepository(other)]
    const sponsors = [new PgSponsorRepository(pg.db), new PgSponsorRepository(other)]
    const at = new Date('2026-01-05T10:00:00Z')
    await impact[0]!.openQuestion({ workspace: W, conversationId: 'C1', threadId: 't1', askerId: 'U_ASK', askedAt: new Date('2026-01-05T09:00:00Z') })
    const [recorded, answers, claims] = await Promise.all([
      Promise.all(Array.from({ length: 8 }, (_, i) => impact[i % 2]!.record(ev('hook:1')))),
      Promise.all(Array.from({ length: 8 }, (_, i) => impact[i % 2]!.answerQuestion(W, 't1', `U_${i}`, at))),
      Promise.all(Array.from({ length: 8 }, (_, i) => sponsors[i % 2]!.claimDigest(W, 'U_EXEC', '2026-01', at))),
      // Two processes fold different weeks with the same pair at once: the earlier week wins.
      impact[0]!.addPairs(W, '2026-01-12', [{ a: 'U_A', b: 'U_B', conversationId: 'C1' }]),
      impact[1]!.addPairs(W, MON, [{ a: 'U_B', b: 'U_A', conversationId: 'C1' }]),
    ])
    expect(recorded.filter(Boolean)).toHaveLength(1)
    expect(answers.filter(Boolean)).toHaveLength(1)
    expect(claims.filter(Boolean)).toHaveLength(1)
    expect(await impact[1]!.weekEvents(W, ['C1'], MON)).toHaveLength(1)
    expect(await impact[0]!.newPairs(W, ['C1'], MON)).toEqual([{ a: 'U_A', b: 'U_B' }])
    expect(await impact[0]!.newPairs(W, ['C1'], '2026-01-12')).toEqual([])
  })
})
