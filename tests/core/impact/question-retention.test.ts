/**
 * Question records are kept only as long as "questions answered" needs them: the nightly
 * `impact.purge` deletes answered questions (their answer is an impact event already) and open ones
 * asked before the oldest week any report reads; a late answer to a forgotten question counts for
 * nothing, one to a kept question still counts in its week. Time moves with the test clock.
 */
import { randomUUID } from 'node:crypto'
import { afterEach, expect, it } from 'vitest'
import type { MessagePosted } from '../../../src/core/events.ts'
import { createImpactFeature, type ImpactFeature } from '../../../src/core/impact/index.ts'
import { encodeThreadId } from '../../../src/core/thread-id.ts'
import { recordingTurn } from '../tasks/support.ts'
import { SqliteImpactRepository, SqliteSponsorRepository } from '../../../src/storage/repositories/impact.ts'
import { adoptionHarness, WS, type AdoptionHarness } from '../adoption/support.ts'

let h: AdoptionHarness
let impact: ImpactFeature
afterEach(() => h?.close())

const WEEK = 7 * 86_400_000
const rows = (sql: string) => h.db.$client.prepare(sql).all()

function posted(rootId: string, id: string, author: string, at: string, text = 'How do we deploy the billing service?'): MessagePosted {
  return {
    type: 'message.posted',
    eventId: randomUUID(),
    workspace: WS,
    platform: 'slack',
    at: new Date(at),
    message: {
      id,
      threadId: encodeThreadId({ platform: 'slack', workspaceExternalId: 'T1', conversationId: 'C1', rootId }),
      conversation: { workspace: WS, id: 'C1', privacy: 'public' },
      author: { workspace: WS, id: author },
      text,
      at: new Date(at),
    },
  } as MessagePosted
}
const say = (e: MessagePosted) => impact.capability.on!['message.posted']!(e, recordingTurn())

it('impact.purge forgets answered questions at once and open ones once their week leaves the reports’ window', async () => {
  h = await adoptionHarness() // NOW: Wednesday 2025-06-18; the reports read the 12 complete weeks from Monday 2025-03-24
  impact = createImpactFeature({ adoption: h.feature.context, impact: new SqliteImpactRepository(h.db), sponsors: new SqliteSponsorRepository(h.db) })
  impact.registerJobs()
  await impact.scheduleJobs()
  expect(h.queue.schedules.map((s) => s.name)).toContain('impact.purge')

  await say(posted('1.0', '1.0', 'UASK', '2025-03-21T09:00:00Z')) // open, before the window
  await say(posted('2.0', '2.0', 'UASK', '2025-03-24T09:00:00Z')) // open, first day of the window
  await say(posted('3.0', '3.0', 'UASK', '2025-06-16T09:00:00Z')) // answered below
  await say(posted('3.0', '3.1', 'UANS', '2025-06-16T09:30:00Z', 'the runbook'))
  await say(posted('4.0', '4.0', 'UASK', '2025-06-16T10:00:00Z')) // open, this week
  const threads = () =>
    rows('select thread_id from impact_questions order by asked_at').map((r) =>
      String((r as { thread_id: string }).thread_id)
        .split(':')
        .at(-1),
    )
  expect(threads()).toEqual(['1.0', '2.0', '3.0', '4.0'])

  await h.queue.runNow('impact.purge')
  expect(threads()).toEqual(['2.0', '4.0'])
  // A late answer to a kept question still counts, in the week it was asked.
  await say(posted('2.0', '2.1', 'UANS', '2025-06-18T09:00:00Z', 'here'))
  // One to a forgotten question counts for nothing.
  await say(posted('1.0', '1.1', 'UANS', '2025-06-18T09:00:00Z', 'here'))
  expect(rows("select week from impact_events where kind = 'question_answered' order by week")).toEqual([
    { week: '2025-03-24' },
    { week: '2025-06-16' },
  ])

  // Thirteen weeks later question 4's week has left the window too.
  h.clock.advance(13 * WEEK)
  await h.queue.runNow('impact.purge')
  expect(threads()).toEqual([])
  await say(posted('4.0', '4.1', 'UANS', h.clock.now().toISOString(), 'here'))
  expect(rows("select count(*) as n from impact_events where kind = 'question_answered'")).toEqual([{ n: 2 }])
  // The questions asked still count: only the records that tell an answer went.
  expect(rows("select count(*) as n from impact_events where kind = 'question_asked'")).toEqual([{ n: 4 }])
})
