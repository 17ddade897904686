/** Activity events from the dispatcher and the hooks, daily rollups, retention and opt-out, on real SQLite. */
import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import type { MessagePosted, ReactionAdded } from '../../../src/core/events.ts'
import { encodeThreadId } from '../../../src/core/thread-id.ts'
import { adoptionHarness, addPeople, WS, type AdoptionHarness } from './support.ts'
import { recordingTurn } from '../tasks/support.ts'

let h: AdoptionHarness
afterEach(() => h.close())

const rows = (h: AdoptionHarness, sql: string) => h.db.$client.prepare(sql).all() as Record<string, unknown>[]

function posted(id: string, rootId: string, author: string, opts: { bot?: boolean; privacy?: 'public' | 'direct' } = {}): MessagePosted {
  return {
    type: 'message.posted',
    eventId: randomUUID(),
    workspace: WS,
    platform: 'slack',
    at: new Date('2025-06-16T09:00:00Z'),
    message: {
      id,
      threadId: encodeThreadId({ platform: 'slack', workspaceExternalId: 'T1', conversationId: 'C1', rootId }),
      conversation: { workspace: WS, id: 'C1', privacy: opts.privacy ?? 'public' },
      author: { workspace: WS, id: author, ...(opts.bot ? { isBot: true } : {}) },
      text: 'secret words',
      at: new Date('2025-06-16T09:00:00Z'),
    },
  }
}

describe('activity events', () => {
  it('counts messages, replies and reactions without content; bots and DMs are left out', async () => {
    h = await adoptionHarness()
    await h.dispatch(posted('1.1', '1.1', 'U1'))
    await h.dispatch(posted('1.2', '1.1', 'U2'))
    await h.dispatch(posted('1.3', '1.1', 'UBOT', { bot: true }))
    await h.dispatch(posted('1.4', '1.4', 'U1', { privacy: 'direct' }))
    const reaction: ReactionAdded = {
      type: 'reaction.added',
      eventId: randomUUID(),
      workspace: WS,
      platform: 'slack',
      at: new Date('2025-06-16T10:00:00Z'),
      reaction: 'tada',
      person: { workspace: WS, id: 'U3' },
      conversation: { workspace: WS, id: 'C1', privacy: 'public' },
      messageId: '1.1',
      messageAuthor: { workspace: WS, id: 'U1' },
    }
    await h.dispatch(reaction)
    const events = rows(h, 'select person_id, kind, target_person_id, day from adoption_events order by id')
    expect(events).toEqual([
      { person_id: 'U1', kind: 'message', target_person_id: null, day: '2025-06-16' },
      { person_id: 'U2', kind: 'reply', target_person_id: null, day: '2025-06-16' },
      { person_id: 'U3', kind: 'reaction', target_person_id: 'U1', day: '2025-06-16' },
    ])
    expect(JSON.stringify(rows(h, 'select * from adoption_events'))).not.toContain('secret')
  })

  it('a delivery replayed after a crash (the inbox runs it again) counts once; a new message still counts', async () => {
    h = await adoptionHarness()
    const message = posted('1.1', '1.1', 'U1')
    const reaction: ReactionAdded = {
      type: 'reaction.added',
      eventId: randomUUID(),
      workspace: WS,
      platform: 'slack',
      at: new Date('2025-06-16T10:00:00Z'),
      reaction: 'tada',
      person: { workspace: WS, id: 'U3' },
      conversation: { workspace: WS, id: 'C1', privacy: 'public' },
      messageId: '1.1',
    }
    // The inbox row is the claim, so a replay is dispatched again with `claimed` and runs in full.
    for (let i = 0; i < 2; i++) {
      for (const e of [message, reaction]) await h.dispatcher.dispatch(e, recordingTurn(), { claimed: true })
    }
    await h.dispatch(posted('1.2', '1.2', 'U1'))
    expect(rows(h, 'select kind, count(*) as n from adoption_events group by kind order by kind')).toEqual([
      { kind: 'message', n: 2 },
      { kind: 'reaction', n: 1 },
    ])
    expect(rows(h, 'select kind, sum(count) as n from adoption_weekly group by kind order by kind')).toEqual([
      { kind: 'message', n: 2 },
      { kind: 'reaction', n: 1 },
    ])
  })

  it('people marked as bots in the directory are excluded too', async () => {
    h = await adoptionHarness()
    await h.feature.context.people.upsert({ workspace: WS, id: 'UDEPLOY', displayName: 'Deploy', timezone: 'UTC', isBot: true })
    await h.dispatch(posted('2.1', '2.1', 'UDEPLOY'))
    expect(rows(h, 'select * from adoption_events')).toHaveLength(0)
  })

  it('keeps daily rollups incrementally per workspace, day, person, conversation and kind', async () => {
    h = await adoptionHarness()
    const a = h.feature.context.activity
    for (let i = 0; i < 3; i++)
      await a.record({ workspace: WS, conversationId: 'C1', personId: 'U1', kind: 'message', at: new Date(`2025-06-16T0${i}:00:00Z`) })
    await a.record({ workspace: WS, conversationId: 'C2', personId: 'U1', kind: 'message', at: new Date('2025-06-16T05:00:00Z') })
    await a.record({ workspace: WS, conversationId: 'C1', personId: 'U1', kind: 'message', at: new Date('2025-06-17T05:00:00Z') })
    expect(rows(h, 'select day, conversation_id as c, count from adoption_daily order by day, c')).toEqual([
      { day: '2025-06-16', c: 'C1', count: 3 },
      { day: '2025-06-16', c: 'C2', count: 1 },
      { day: '2025-06-17', c: 'C1', count: 1 },
    ])
  })

  it('recordActivity (the hook for saves, tasks and kudos) counts a keyed fact once', async () => {
    h = await adoptionHarness()
    const input = { workspace: WS, personId: 'U1', kind: 'task_done' as const, conversationId: 'C1', key: 'task:42:done' }
    expect(await h.feature.recordActivity(input)).toBe(true)
    expect(await h.feature.recordActivity(input)).toBe(false)
    expect(rows(h, 'select count from adoption_daily')).toEqual([{ count: 1 }])
  })

  it('purges raw events (and rollups) older than the retention', async () => {
    h = await adoptionHarness({ retentionMonths: 13 })
    const a = h.feature.context.activity
    await a.record({ workspace: WS, conversationId: 'C1', personId: 'U1', kind: 'message', at: new Date('2024-04-01T00:00:00Z') })
    await a.record({ workspace: WS, conversationId: 'C1', personId: 'U1', kind: 'message', at: new Date('2024-06-01T00:00:00Z') })
    await h.queue.runNow('adoption.purge')
    expect(rows(h, 'select day from adoption_events')).toEqual([{ day: '2024-06-01' }])
    expect(rows(h, 'select day from adoption_daily')).toEqual([{ day: '2024-06-01' }])
  })

  it('/beacon privacy optout deletes the person’s activity and stops counting them', async () => {
    h = await adoptionHarness()
    await addPeople(h.db, ['U1'])
    await h.dispatch(posted('3.1', '3.1', 'U1'))
    await h.dispatch(posted('3.2', '3.1', 'U2'))
    const t = await h.command('privacy optout', 'U1')
    expect(t.replies[0]!.text).toMatch(/out of Beacon’s analytics/)
    await h.dispatch(posted('3.3', '3.3', 'U1'))
    expect(rows(h, 'select person_id from adoption_events')).toEqual([{ person_id: 'U2' }])
    expect(rows(h, "select count(*) as n from adoption_daily where person_id = 'U1'")).toEqual([{ n: 0 }])
    await h.command('privacy optin', 'U1')
    await h.dispatch(posted('3.4', '3.4', 'U1'))
    expect(rows(h, "select count(*) as n from adoption_events where person_id = 'U1'")).toEqual([{ n: 1 }])
  })
})
