/**
 * Adoption test support: the real feature on a real (in-memory) SQLite, the fake queue and platform
 * from the other features' tests, a fixed clock, and synthetic histories — N weeks, each a map of
 * person → contributions — written as real activity events.
 */
import { randomUUID } from 'node:crypto'
import { createAdoptionFeature, type AdoptionDeps, type AdoptionFeature } from '../../../src/core/adoption/index.ts'
import type { ActivityEvent, ActivityKind } from '../../../src/core/adoption/types.ts'
import { addDays, dayToDate, lastCompleteWeeks } from '../../../src/core/time/iso-weeks.ts'
import { Dispatcher } from '../../../src/core/dispatcher.ts'
import type { ButtonClicked, CommandInvoked, InboundEvent } from '../../../src/core/events.ts'
import { silentLogger } from '../../../src/core/logger.ts'
import type { Person } from '../../../src/core/model.ts'
import { MapPlatformDirectory } from '../../../src/core/platform-directory.ts'
import { closeDb, openMemoryDb, type Db } from '../../../src/storage/db.ts'
import { SqliteActivityRepository } from '../../../src/storage/repositories/adoption-activity.ts'
import { SqliteAdoptionSettingsRepository } from '../../../src/storage/repositories/adoption-settings.ts'
import { SqlitePeopleRepository } from '../../../src/storage/repositories/people.ts'
import { SqliteProcessedEventRepository } from '../../../src/storage/repositories/processed-events.ts'
import type { FakePlatform } from '../../support/fake-platform.ts'
import { recordingTurn, tasksPlatform, type RecordingTurn } from '../tasks/support.ts'
import { MemoryJobQueue } from '../../support/memory-queue.ts'
import { TestClock } from '../../support/test-clock.ts'

export const WS = 'slack:T1'
/** A Wednesday; the 12 complete weeks before it are the history. */
export const NOW = '2025-06-18T10:00:00.000Z'

export interface AdoptionHarness {
  db: Db
  feature: AdoptionFeature
  queue: MemoryJobQueue
  platform: FakePlatform
  clock: TestClock
  dispatcher: Dispatcher
  command(text: string, as?: string, conversation?: string): Promise<RecordingTurn>
  click(actionId: string, value: string, as: string): Promise<RecordingTurn>
  dispatch(e: InboundEvent): Promise<RecordingTurn>
  close(): void
}

export async function adoptionHarness(opts: Partial<AdoptionDeps> = {}): Promise<AdoptionHarness> {
  const db = openMemoryDb()
  const people = new SqlitePeopleRepository(db)
  const platform = tasksPlatform()
  const platforms = new MapPlatformDirectory()
  platforms.register(platform)
  const clock = TestClock.at(NOW)
  const queue = new MemoryJobQueue(clock)
  const feature = createAdoptionFeature({
    activity: new SqliteActivityRepository(db),
    settings: new SqliteAdoptionSettingsRepository(db),
    people,
    platforms,
    queue,
    clock,
    publicUrl: 'https://beacon.example',
    dashboardKey: Buffer.alloc(32, 7),
    ...opts,
  })
  feature.registerJobs()
  const dispatcher = new Dispatcher([feature.capability], new SqliteProcessedEventRepository(db), silentLogger)
  const base = () => ({ eventId: randomUUID(), workspace: WS, platform: 'slack' as const, at: clock.now() })
  const h: AdoptionHarness = {
    db,
    feature,
    queue,
    platform,
    clock,
    dispatcher,
    dispatch: async (e) => {
      const turn = recordingTurn({ forms: true, replaceSource: true })
      await dispatcher.dispatch(e, turn)
      return turn
    },
    command: (text, as = 'U_ALICE', conversation = 'C1') => {
      const e: CommandInvoked = {
        ...base(),
        type: 'command',
        command: 'beacon',
        text,
        person: { workspace: WS, id: as },
        conversation: { workspace: WS, id: conversation, privacy: 'public' },
      }
      return h.dispatch(e)
    },
    click: (actionId, value, as) => {
      const e: ButtonClicked = { ...base(), type: 'button', actionId, value, person: { workspace: WS, id: as } }
      return h.dispatch(e)
    },
    close: () => closeDb(db),
  }
  return h
}

export async function addPeople(db: Db, ids: string[], tz = 'Europe/Paris'): Promise<void> {
  const people = new SqlitePeopleRepository(db)
  for (const id of ids) await people.upsert({ workspace: WS, id, displayName: `Name of ${id}`, timezone: tz, isBot: false } satisfies Person)
}

export const people = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`)

/** `n` people each contributing `each` in a week. */
export const crowd = (ids: string[], each = 3): Map<string, number> => new Map(ids.map((p) => [p, each]))

/**
 * Events for a history: weeks[i] is the i-th of the last `weeks.length` complete weeks before NOW;
 * each person's contributions are spread over Monday–Friday, alternating messages and replies.
 */
export function historyEvents(weeks: Map<string, number>[], opts: { channel?: string; kind?: ActivityKind; now?: string } = {}): ActivityEvent[] {
  const mondays = lastCompleteWeeks(new Date(opts.now ?? NOW), weeks.length)
  const out: ActivityEvent[] = []
  weeks.forEach((w, i) => {
    for (const [personId, count] of w) {
      for (let c = 0; c < count; c++) {
        const at = new Date(dayToDate(addDays(mondays[i]!, c % 5)).getTime() + (9 + (c % 8)) * 3_600_000)
        out.push({ workspace: WS, conversationId: opts.channel ?? 'C1', personId, kind: opts.kind ?? (c % 2 ? 'reply' : 'message'), at })
      }
    }
  })
  return out
}
