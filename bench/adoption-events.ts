/**
 * The adoption benches' synthetic organisation, the same on SQLite and PostgreSQL: 10,000 people in
 * eight departments, one team over 50 channels, and a seeded stream of activity events spread
 * evenly over the given weeks.
 */
import type { ActivityEvent, ActivityKind, AdoptionSettingsRepository, Team } from '../src/core/adoption/types.ts'
import { seededRandom } from '../src/core/seeded-random.ts'
import { dayToDate } from '../src/core/time/iso-weeks.ts'

export const WS = 'slack:TBENCH'
export const PEOPLE = 10_000
const CHANNELS = 50
const KINDS: ActivityKind[] = [
  'message',
  'reply',
  'reply',
  'reaction',
  'reaction',
  'reaction',
  'knowledge_saved',
  'task_created',
  'task_done',
  'kudos_given',
]

/** `total` events from the first of `mondays` to the end of the last one's week; the same seed, the same events. */
export function* events(total: number, mondays: string[]): Generator<ActivityEvent> {
  const rand = seededRandom(42)
  const start = dayToDate(mondays[0]!).getTime()
  const span = mondays.length * 7 * 86_400_000
  for (let i = 0; i < total; i++) {
    // Skewed like real channels: a few people do most of the talking.
    const person = Math.floor(PEOPLE * rand() ** 2)
    const kind = KINDS[Math.floor(rand() * KINDS.length)]!
    const channel = `C${Math.floor(rand() * CHANNELS)}`
    const thread = `t${channel}-${Math.floor(rand() * 20_000)}`
    yield {
      workspace: WS,
      conversationId: channel,
      personId: `U${person}`,
      kind,
      at: new Date(start + Math.floor(rand() * span)),
      ...(kind === 'message' || kind === 'reply' ? { threadId: thread } : {}),
      ...(kind === 'kudos_given' ? { targetPersonId: `U${Math.floor(rand() * PEOPLE)}` } : {}),
    }
  }
}

/** The team over every channel, and everyone's department. */
export async function seedTeam(settings: AdoptionSettingsRepository, now: Date): Promise<{ team: Team; departments: Map<string, string> }> {
  const channels = Array.from({ length: CHANNELS }, (_, i) => `C${i}`)
  const team = await settings.syncTeam(WS, 'Everyone', channels, ['U1'], now)
  await settings.replaceDepartments(Array.from({ length: PEOPLE }, (_, i) => ({ workspace: WS, personId: `U${i}`, department: `D${i % 8}` })))
  return { team, departments: await settings.departments(WS) }
}
