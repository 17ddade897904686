/**
 * Recognition test support: the real feature on real SQLite (in memory), the in-memory job
 * queue on a test clock, the real dispatcher, and the fake ChatPlatform (tests/support) with the
 * people and channels these tests use.
 */
import { randomUUID } from 'node:crypto'
import { Dispatcher } from '../../../src/core/dispatcher.ts'
import type { CommandInvoked, InboundEvent, ReactionAdded } from '../../../src/core/events.ts'
import { silentLogger } from '../../../src/core/logger.ts'
import type { Person, Privacy } from '../../../src/core/model.ts'
import type { Outbound } from '../../../src/core/outbound.ts'
import { MapPlatformDirectory } from '../../../src/core/platform-directory.ts'
import type { Turn } from '../../../src/core/ports.ts'
import { createRecognitionFeature, type RecognitionDeps, type RecognitionFeature } from '../../../src/core/recognition/index.ts'
import { closeDb, openMemoryDb, type Db } from '../../../src/storage/db.ts'
import { SqlitePeopleRepository } from '../../../src/storage/repositories/people.ts'
import { SqliteProcessedEventRepository } from '../../../src/storage/repositories/processed-events.ts'
import { SqliteKudosRepository } from '../../../src/storage/repositories/recognition.ts'
import { MemoryJobQueue } from '../../support/memory-queue.ts'
import { FakePlatform } from '../../support/fake-platform.ts'
import { TestClock } from '../../support/test-clock.ts'

export const WS = 'slack:T1'

export const PEOPLE: Person[] = [
  { workspace: WS, id: 'U_ALICE', displayName: 'Alice', timezone: 'Europe/Paris', isBot: false },
  { workspace: WS, id: 'U_BOB', displayName: 'Bob', timezone: 'America/New_York', isBot: false },
  { workspace: WS, id: 'U_CAROL', displayName: 'Carol', timezone: 'Asia/Tokyo', isBot: false },
  { workspace: WS, id: 'U_DAN', displayName: 'Dan', timezone: 'UTC', isBot: false },
  { workspace: WS, id: 'U_ERIN', displayName: 'Erin', timezone: 'UTC', isBot: false },
  { workspace: WS, id: 'U_ADA', displayName: 'Ada Lovelace', timezone: 'Europe/London', isBot: false },
  { workspace: WS, id: 'U_BOT', displayName: 'Deploybot', timezone: 'UTC', isBot: true },
]

/** The public channels the recognition tests talk in (everyone in PEOPLE is in each), by name. */
export const CHANNELS = { C_GEN: 'general', C_TEAM: 'team', C_OFF: 'off' }

/** Knows PEOPLE and CHANNELS; reactions to others' messages reported unless told otherwise (Teams). */
export function recognitionPlatform(opts: { reactions?: boolean } = {}): FakePlatform {
  const platform = new FakePlatform({ people: PEOPLE, caps: { reactions: opts.reactions ?? true } })
  const everyone = PEOPLE.map((p) => p.id)
  for (const [id, name] of Object.entries(CHANNELS)) platform.channel(WS, id, name, 'public', everyone)
  return platform
}

export interface RecordingTurn extends Turn {
  replies: Outbound[]
}

export function recordingTurn(): RecordingTurn {
  const t: RecordingTurn = { replies: [], reply: async (m) => void t.replies.push(m) }
  return t
}

export interface Harness {
  db: Db
  platform: FakePlatform
  queue: MemoryJobQueue
  feature: RecognitionFeature
  clock: TestClock
  kudos(text: string, as?: string, conversation?: { id: string; privacy?: Privacy; name?: string }, eventId?: string): Promise<RecordingTurn>
  react(as: string, messageId: string, author: string | undefined, reaction?: string): Promise<void>
  dispatch(e: InboundEvent, turn?: RecordingTurn): Promise<RecordingTurn>
  close(): Promise<void>
}

export async function harness(
  opts: Partial<Omit<RecognitionDeps, 'repo' | 'people' | 'platforms' | 'queue'>> & { platform?: FakePlatform; now?: string } = {},
): Promise<Harness> {
  const db = openMemoryDb()
  const people = new SqlitePeopleRepository(db)
  for (const p of PEOPLE) await people.upsert(p)
  const platform = opts.platform ?? recognitionPlatform()
  const platforms = new MapPlatformDirectory()
  platforms.register(platform)
  const clock = TestClock.at(opts.now ?? '2025-03-05T10:00:00Z') // a Wednesday
  const queue = new MemoryJobQueue(clock)
  const { platform: _p, now: _n, ...deps } = opts
  const feature = createRecognitionFeature({ ...deps, clock, repo: new SqliteKudosRepository(db), people, platforms, queue })
  feature.registerJobs()
  await queue.start()
  const dispatcher = new Dispatcher([feature.capability], new SqliteProcessedEventRepository(db), silentLogger)
  const base = (eventId?: string) => ({ eventId: eventId ?? randomUUID(), workspace: WS, platform: 'slack' as const, at: clock.now() })
  const ref = (id: string) => ({ workspace: WS, id })
  const h: Harness = {
    db,
    platform,
    queue,
    feature,
    clock,
    dispatch: async (e, turn = recordingTurn()) => {
      await dispatcher.dispatch(e, turn)
      return turn
    },
    kudos: (text, as = 'U_ALICE', conversation = { id: 'C_GEN', name: 'general', privacy: 'public' }, eventId) => {
      const e: CommandInvoked = {
        ...base(eventId),
        type: 'command',
        command: 'kudos',
        text,
        person: ref(as),
        conversation: { workspace: WS, ...conversation },
      }
      return h.dispatch(e)
    },
    react: async (as, messageId, author, reaction = 'clap') => {
      const e: ReactionAdded = {
        ...base(),
        type: 'reaction.added',
        reaction,
        person: ref(as),
        conversation: { workspace: WS, id: 'C_GEN', name: 'general' },
        messageId,
        ...(author ? { messageAuthor: ref(author) } : {}),
      }
      await h.dispatch(e)
    },
    close: async () => {
      await queue.close()
      closeDb(db)
    },
  }
  return h
}

/** Rows straight from SQLite. */
export function kudosRows(
  db: Db,
): { kind: string; source: string; giver_id: string | null; receiver_id: string; value: string | null; reason: string; dedupe_key: string }[] {
  return db.$client.prepare('SELECT * FROM kudos ORDER BY id').all() as ReturnType<typeof kudosRows>
}
