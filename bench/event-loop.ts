/**
 * The event loop never stalls: the longest synchronous stretch of each hostile input from issue 13,
 * measured with `perf_hooks.monitorEventLoopDelay` (10 ms resolution) while it runs, in one process.
 *
 * - Teams: a 1 MB channel message of tag soup, converted the way the adapter does (start read, cut said).
 * - Knowledge: a thread of 50 messages × 40,000 characters of unclosed brackets built into an item.
 * - Adoption: every team's 12-week report (dashboard, CSV and `/beacon stats` read the same) at
 *   200,000 events, 40 channels and 8 nested teams; ADOPTION_LOOP_EVENTS to change the size.
 *
 * Before the fix (issue 13, same machine class): 282 s, 19 s per refresh, 53.6 s.
 *
 *   npm run bench -- event-loop
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sampleEventLoop } from '../tests/support/event-loop-sampler.ts'
import { capMessage, htmlToMarkdown } from '../adapters/teams/html-to-markdown.ts'
import { resolveAdoptionDeps } from '../src/core/adoption/deps.ts'
import { workspaceReports } from '../src/core/adoption/reports.ts'
import type { ActivityEvent, ActivityKind } from '../src/core/adoption/types.ts'
import { dayToDate, lastCompleteWeeks } from '../src/core/time/iso-weeks.ts'
import { buildItemContent } from '../src/core/knowledge/build-item.ts'
import type { ChatMessage } from '../src/core/model.ts'
import { seededRandom } from '../src/core/seeded-random.ts'
import { closeDb, openDb } from '../src/storage/db.ts'
import { SqliteActivityRepository } from '../src/storage/repositories/adoption-activity.ts'
import { SqliteAdoptionSettingsRepository } from '../src/storage/repositories/adoption-settings.ts'
import { SqlitePeopleRepository } from '../src/storage/repositories/people.ts'
import { runIfMain } from './run-if-main.ts'

const WS = 'slack:TLOOP'

/**
 * Runs `work` with the loop monitored; prints its total time, the worst lateness of a 10 ms timer
 * (wall clock: perf_hooks.monitorEventLoopDelay, and our own sampler) and the worst lateness the
 * loop's thread spent working (the smaller of the lateness and that thread's CPU meanwhile; a busy shared
 * machine that does not schedule the process adds to the first, not to this).
 */
async function measure(label: string, work: () => Promise<unknown>): Promise<void> {
  const sampler = sampleEventLoop()
  // Let the sampler and the histogram take a first tick, so a stall right at the start counts.
  await new Promise((r) => setTimeout(r, 30))
  const started = performance.now()
  await work()
  const ms = performance.now() - started
  await new Promise((r) => setTimeout(r, 30))
  const { maxDelayMs, maxBusyDelayMs } = sampler.stop()
  const f = (n: number) => n.toFixed(1).padStart(10)
  process.stdout.write(`${label.padEnd(66)} ${ms.toFixed(0).padStart(8)} ${f(maxDelayMs)} ${f(maxBusyDelayMs)}\n`)
}

/** Splits synchronous work into turns the way a request would meet it (one per item). */
async function eachTurn<T>(items: T[], f: (x: T) => unknown): Promise<void> {
  for (const x of items) {
    f(x)
    await new Promise((r) => setImmediate(r))
  }
}

async function seedAdoption(activity: SqliteActivityRepository, settings: SqliteAdoptionSettingsRepository, total: number): Promise<void> {
  const now = new Date()
  const start = dayToDate(lastCompleteWeeks(now, 16)[0]!).getTime()
  const rand = seededRandom(7)
  const kinds: ActivityKind[] = ['message', 'reply', 'reply', 'reaction', 'reaction', 'knowledge_saved', 'task_created', 'kudos_given']
  const batch: ActivityEvent[] = []
  for (let i = 0; i < total; i++) {
    const kind = kinds[Math.floor(rand() * kinds.length)]!
    const ch = `C${Math.floor(rand() * 40)}`
    batch.push({
      workspace: WS,
      conversationId: ch,
      personId: `U${Math.floor(2000 * rand() ** 2)}`,
      kind,
      at: new Date(start + Math.floor(rand() * 16 * 7 * 86_400_000)),
      ...(kind === 'message' || kind === 'reply' ? { threadId: `${WS}:${ch}:${Math.floor(rand() * 5000)}` } : {}),
      ...(kind === 'kudos_given' ? { targetPersonId: `U${Math.floor(rand() * 2000)}` } : {}),
    })
    if (batch.length === 50_000) await activity.recordMany(batch.splice(0))
  }
  await activity.recordMany(batch)
  for (let k = 1; k <= 8; k++)
    await settings.syncTeam(
      WS,
      `T${k}`,
      Array.from({ length: 5 * k }, (_, i) => `C${i}`),
      ['U1'],
      now,
    )
  await settings.replaceDepartments(Array.from({ length: 2000 }, (_, i) => ({ workspace: WS, personId: `U${i}`, department: `D${i % 6}` })))
}

export async function main(): Promise<void> {
  process.stdout.write(`${'hostile input'.padEnd(66)} ${'total ms'.padStart(8)} ${'max late'.padStart(10)} ${'busy late'.padStart(10)}\n`)

  const soup = `<p>notes</p>${'x<p><li><b>y</b><a href=https://x.test/>z'.repeat(1_000_000 / 41)}`
  await measure('Teams: 1 MB message of tag soup, as the adapter reads it (64 KB)', async () => capMessage(soup, htmlToMarkdown))
  await measure('Teams: the same 1 MB through the parser alone (linear)', async () => htmlToMarkdown(soup))

  const at = new Date('2026-01-05T10:00:00Z')
  const messages: ChatMessage[] = Array.from({ length: 50 }, (_, i) => ({
    id: `m${i}`,
    threadId: 'slack:T1:C1:m0',
    conversation: { workspace: 'slack:T1', id: 'C1', name: 'runbooks', privacy: 'public' as const },
    author: { workspace: 'slack:T1', id: `U${i % 3}`, displayName: `Person ${i % 3}` },
    at: new Date(at.getTime() + i * 60_000),
    text: `part ${i}: see [the runbook](https://x.test/${i}) ${'[a'.repeat(19_970)}`,
  }))
  await measure('Knowledge: thread of 50 × 40,000 characters built into an item', async () =>
    buildItemContent({
      workspace: 'slack:T1',
      threadId: 'slack:T1:C1:m0',
      conversation: { id: 'C1', name: 'runbooks', privacy: 'public' },
      messages,
      people: new Map(),
    }),
  )
  await measure('Knowledge: markdownToPlain of 40,000 characters, 50 turns', async () => {
    const { markdownToPlain } = await import('../src/core/outbound.ts')
    await eachTurn(messages, (m) => markdownToPlain(m.text))
  })

  const total = Number(process.env.ADOPTION_LOOP_EVENTS ?? 200_000)
  const dir = mkdtempSync(join(tmpdir(), 'beacon-bench-loop-'))
  const db = openDb(join(dir, 'bench.db'))
  try {
    const activity = new SqliteActivityRepository(db)
    const settings = new SqliteAdoptionSettingsRepository(db)
    const t = performance.now()
    await seedAdoption(activity, settings, total)
    const seedS = ((performance.now() - t) / 1000).toFixed(1)
    const ctx = resolveAdoptionDeps({ activity, settings, people: new SqlitePeopleRepository(db), platforms: {} as never, queue: {} as never })
    let shown = 0
    await measure(`Adoption: dashboard, ${total.toLocaleString('en-US')} events, 40 channels, 8 nested teams`, async () => {
      shown = (await workspaceReports(ctx, WS)).filter((r) => !r.hidden).length
    })
    process.stdout.write(`(adoption history seeded in ${seedS} s; ${shown} of 8 teams shown)\n`)
  } finally {
    closeDb(db)
    rmSync(dir, { recursive: true, force: true })
  }
}

runIfMain(import.meta.url, main)
