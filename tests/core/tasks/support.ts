/**
 * Test support for the tasks feature: the fake ChatPlatform (tests/support) with the people and
 * channels these tests use, a recording Turn, and a harness wiring the real feature to real SQLite
 * and the real dispatcher.
 * Jobs run on the deterministic in-memory queue, on a test clock that stands still until the test
 * moves it (`h.jobs.advance(ms)`); a test about a real queue passes its own (`queue`), and then the
 * clock follows the wall clock.
 */
import { randomUUID } from 'node:crypto'
import { Dispatcher } from '../../../src/core/dispatcher.ts'
import { createDomainEventBus, type TaskFact } from '../../../src/core/domain-events.ts'
import type { ButtonClicked, CommandInvoked, FormSubmitted, InboundEvent, MessageActionInvoked } from '../../../src/core/events.ts'
import { silentLogger } from '../../../src/core/logger.ts'
import type { ChatMessage, Person } from '../../../src/core/model.ts'
import type { CardButton, Form, Outbound } from '../../../src/core/outbound.ts'
import { MapPlatformDirectory } from '../../../src/core/platform-directory.ts'
import type { JobQueue, Turn } from '../../../src/core/ports.ts'
import { createTasksFeature, type TasksDeps, type TasksFeature } from '../../../src/core/tasks/index.ts'
import { encodeThreadId } from '../../../src/core/thread-id.ts'
import { MemoryJobQueue } from '../../support/memory-queue.ts'
import { FakePlatform } from '../../support/fake-platform.ts'
import { TestClock } from '../../support/test-clock.ts'
import { closeDb, openMemoryDb, type Db } from '../../../src/storage/db.ts'
import { SqlitePeopleRepository } from '../../../src/storage/repositories/people.ts'
import { SqliteProcessedEventRepository } from '../../../src/storage/repositories/processed-events.ts'
import { SqliteTaskRepository } from '../../../src/storage/repositories/tasks.ts'

export const WS = 'slack:T1'

export const PEOPLE: Person[] = [
  { workspace: WS, id: 'U_ALICE', displayName: 'Alice', timezone: 'Europe/Paris', isBot: false },
  { workspace: WS, id: 'U_BOB', displayName: 'Bob', timezone: 'America/New_York', isBot: false },
  { workspace: WS, id: 'U_CAROL', displayName: 'Carol', timezone: 'Asia/Tokyo', isBot: false },
  { workspace: WS, id: 'U_ADA', displayName: 'Ada Lovelace', timezone: 'Europe/London', isBot: false },
  { workspace: WS, id: 'U_ADAM', displayName: 'Ada', timezone: 'UTC', isBot: false },
  { workspace: WS, id: 'U_BOT', displayName: 'Deploybot', timezone: 'UTC', isBot: true },
]
/** Known to the platform only (not in the people cache): reachable by raw id. */
export const DAVE: Person = { workspace: WS, id: 'U_DAVE', displayName: 'Dave', timezone: 'UTC', isBot: false }

/** The public channels the tasks tests talk in; everyone in PEOPLE and Dave is in each. */
export const CHANNELS = ['C_GENERAL', 'C_ONE', 'C_TWO']

/** Knows PEOPLE and Dave (who is not in the people cache) and CHANNELS; modals only when asked. */
export function tasksPlatform(opts: { name?: 'slack' | 'shell'; modals?: boolean } = {}): FakePlatform {
  const people = [...PEOPLE, DAVE]
  const everyone = people.map((p) => p.id)
  const platform = new FakePlatform({ ...(opts.name ? { name: opts.name } : {}), people, caps: { modals: opts.modals ?? false, home: true } })
  for (const id of CHANNELS) platform.channel(WS, id, id.slice(2).toLowerCase(), 'public', everyone)
  return platform
}

export interface RecordingTurn extends Turn {
  replies: Outbound[]
  forms: Form[]
  rejected: Record<string, string>[]
  replaced: Outbound[]
}

export function recordingTurn(opts: { forms?: boolean; replaceSource?: boolean } = {}): RecordingTurn {
  const t: RecordingTurn = {
    replies: [],
    forms: [],
    rejected: [],
    replaced: [],
    reply: async (m) => void t.replies.push(m),
  }
  if (opts.forms) {
    t.openForm = async (f) => void t.forms.push(f)
    t.rejectForm = async (e) => void t.rejected.push(e)
  }
  if (opts.replaceSource) t.replaceSource = async (m) => void t.replaced.push(m)
  return t
}

export function msg(text: string, opts: { id?: string; author?: string; conversation?: string; permalink?: string } = {}): ChatMessage {
  const id = opts.id ?? '1712.0001'
  const conv = opts.conversation ?? 'C_GENERAL'
  return {
    id,
    threadId: encodeThreadId({ platform: 'slack', workspaceExternalId: 'T1', conversationId: conv, rootId: id }),
    conversation: { workspace: WS, id: conv, name: 'general', privacy: 'public' },
    author: { workspace: WS, id: opts.author ?? 'U_BOB', displayName: 'Bob' },
    text,
    at: new Date(),
    ...(opts.permalink ? { permalink: opts.permalink } : {}),
  }
}

export interface Harness {
  db: Db
  platform: FakePlatform
  queue: JobQueue
  /** The in-memory queue (throws when the test passed a real one). */
  jobs: MemoryJobQueue
  clock: TestClock
  feature: TasksFeature
  dispatcher: Dispatcher
  /** Runs `/task <text>` as a person; returns the turn. */
  command(text: string, as?: string, conversation?: string): Promise<RecordingTurn>
  click(actionId: string, value: string, as: string, turnOpts?: Parameters<typeof recordingTurn>[0]): Promise<RecordingTurn>
  action(message: ChatMessage, as: string, turnOpts?: Parameters<typeof recordingTurn>[0]): Promise<RecordingTurn>
  submit(formId: string, values: Record<string, string>, context: string | undefined, as: string): Promise<RecordingTurn>
  dispatch(e: InboundEvent, turn: RecordingTurn): Promise<RecordingTurn>
  close(): Promise<void>
}

export interface HarnessOptions extends Partial<Omit<TasksDeps, 'repo' | 'people' | 'platforms' | 'queue'>> {
  db?: Db
  platform?: FakePlatform
  queue?: JobQueue
  /** Subscribes to `task.done`. */
  onTaskDone?: (task: TaskFact) => Promise<void>
  start?: boolean
  clock?: TestClock
}

export async function harness(opts: HarnessOptions = {}): Promise<Harness> {
  const db = opts.db ?? openMemoryDb()
  const people = new SqlitePeopleRepository(db)
  for (const p of PEOPLE) await people.upsert(p)
  const platform = opts.platform ?? tasksPlatform()
  const platforms = new MapPlatformDirectory()
  platforms.register(platform)
  // Starts at the real time, so "tomorrow 5pm" means what it did when these tests ran on real timers.
  const clock = opts.clock ?? (opts.queue ? TestClock.followingWallClock() : TestClock.at(Date.now()))
  const memory = opts.queue ? undefined : new MemoryJobQueue(clock)
  const queue = opts.queue ?? memory!
  const { db: _db, platform: _p, queue: _q, start, clock: _c, onTaskDone, ...rest } = opts
  const events = createDomainEventBus()
  if (onTaskDone) events.subscribe('task.done', ({ task }) => onTaskDone(task))
  const feature = createTasksFeature({ events, ...rest, clock, repo: new SqliteTaskRepository(db), people, platforms, queue })
  // No hourly digest schedule here: a test crossing the top of the hour must not get a surprise DM.
  feature.registerJobs()
  if (start !== false) await queue.start()
  const dispatcher = new Dispatcher([feature.capability], new SqliteProcessedEventRepository(db), silentLogger)
  const base = () => ({ eventId: randomUUID(), workspace: WS, platform: platform.name, at: clock.now() })
  const personRef = (id: string) => ({ workspace: WS, id, displayName: PEOPLE.find((p) => p.id === id)?.displayName ?? id })
  const h: Harness = {
    db,
    platform,
    queue,
    get jobs(): MemoryJobQueue {
      if (!memory) throw new Error('this harness runs a real queue')
      return memory
    },
    clock,
    feature,
    dispatcher,
    dispatch: async (e, turn) => {
      await dispatcher.dispatch(e, turn)
      return turn
    },
    command: (text, as = 'U_ALICE', conversation = 'C_GENERAL') => {
      const e: CommandInvoked = {
        ...base(),
        type: 'command',
        command: 'task',
        text,
        person: personRef(as),
        conversation: { workspace: WS, id: conversation },
      }
      return h.dispatch(e, recordingTurn())
    },
    click: (actionId, value, as, turnOpts = {}) => {
      const e: ButtonClicked = { ...base(), type: 'button', actionId, value, person: personRef(as) }
      return h.dispatch(e, recordingTurn(turnOpts))
    },
    action: (message, as, turnOpts = {}) => {
      const e: MessageActionInvoked = { ...base(), type: 'message.action', action: 'create_task', person: personRef(as), message }
      return h.dispatch(e, recordingTurn(turnOpts))
    },
    submit: (formId, values, context, as) => {
      const e: FormSubmitted = { ...base(), type: 'form.submitted', formId, values, ...(context ? { context } : {}), person: personRef(as) }
      return h.dispatch(e, recordingTurn({ forms: true }))
    },
    close: async () => {
      await queue.close()
      if (!opts.db) closeDb(db)
    },
  }
  return h
}

/** Buttons on an Outbound's card, for asserting and "clicking". */
export function buttons(m: Outbound | undefined): CardButton[] {
  return (m?.card?.blocks ?? []).flatMap((b) => (b.type === 'actions' ? b.buttons : []))
}
