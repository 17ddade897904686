/**
 * The impact benchmark's data (bench/impact-report.ts): 50 teams of two channels, 5,000 people in
 * ten departments, a year of activity and of impact events, in a SQLite file. Seeding a million
 * events takes minutes, so the seeded file is kept in a cache folder keyed by everything it depends
 * on (the sizes, the window's first Monday, the migrations, this file's seed version) and copied for
 * each run: every run then starts from the same untouched file (its first report still folds pairs).
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ActivityEvent, ActivityKind } from '../src/core/adoption/types.ts'
import { IMPACT_KINDS, type ImpactEvent } from '../src/core/impact/types.ts'
import { seededRandom } from '../src/core/seeded-random.ts'
import { addDays, dayToDate } from '../src/core/time/iso-weeks.ts'
import { closeDb, openDb } from '../src/storage/db.ts'
import { SqliteActivityRepository } from '../src/storage/repositories/adoption-activity.ts'
import { SqliteAdoptionSettingsRepository } from '../src/storage/repositories/adoption-settings.ts'
import { SqliteImpactRepository } from '../src/storage/repositories/impact.ts'

export const WS = 'slack:TBENCH'
export const TEAMS = 50
export const PEOPLE = 5_000
export const WEEKS = 52
const KINDS: ActivityKind[] = ['message', 'reply', 'reply', 'reaction', 'reaction', 'knowledge_saved', 'task_created', 'task_done', 'kudos_given']
/** Impact events per team and week (questions, answers, opens, 👍/👎, tasks, kudos). */
const IMPACT_PER_TEAM_WEEK = 40
/** Bump when what is seeded changes: a cached file of an older seed is then not used. */
const SEED_VERSION = 1

const DAY = 86_400_000
const channelsOf = (team: number) => [`C${team}a`, `C${team}b`]
/** Each person belongs to one team, mostly posting there; a few cross over. */
const homeTeam = (person: number) => person % TEAMS

function* activity(total: number, mondays: string[]): Generator<ActivityEvent> {
  const rand = seededRandom(11)
  const start = dayToDate(mondays[0]!).getTime()
  for (let i = 0; i < total; i++) {
    const person = Math.floor(PEOPLE * rand() ** 1.5)
    const team = rand() < 0.9 ? homeTeam(person) : Math.floor(rand() * TEAMS)
    const channel = channelsOf(team)[Math.floor(rand() * 2)]!
    const kind = KINDS[Math.floor(rand() * KINDS.length)]!
    const week = Math.floor(rand() * WEEKS)
    const at = new Date(start + week * 7 * DAY + Math.floor(rand() * 5) * DAY + (9 + Math.floor(rand() * 8)) * 3_600_000)
    yield {
      workspace: WS,
      conversationId: channel,
      personId: `U${person}`,
      kind,
      at,
      ...(kind === 'message' || kind === 'reply' ? { threadId: `${channel}:${week}:${Math.floor(rand() * 40)}` } : {}),
      ...(kind === 'kudos_given' ? { targetPersonId: `U${Math.floor(rand() * PEOPLE)}` } : {}),
    }
  }
}

function* impactEvents(mondays: string[]): Generator<ImpactEvent> {
  const rand = seededRandom(12)
  for (let t = 0; t < TEAMS; t++)
    for (const monday of mondays)
      for (let i = 0; i < IMPACT_PER_TEAM_WEEK; i++) {
        const kind = IMPACT_KINDS[Math.floor(rand() * IMPACT_KINDS.length)]!
        yield {
          workspace: WS,
          conversationId: channelsOf(t)[i % 2]!,
          kind,
          at: new Date(dayToDate(addDays(monday, i % 5)).getTime() + 10 * 3_600_000),
          ...(kind === 'item_opened' || kind === 'feedback' || kind === 'suggestion_shown' ? { itemId: 1 + Math.floor(rand() * 30) } : {}),
          ...(kind === 'question_answered' ? { minutes: Math.floor(rand() * 3000) } : {}),
          ...(kind === 'feedback' || kind === 'question_answered' || kind === 'task_due_closed' || kind === 'kudos' ? { flag: rand() < 0.6 } : {}),
          sourceKey: `bench:${t}:${monday}:${i}`,
        }
      }
}

export interface Seeded {
  activityEvents: number
  impactEvents: number
  /** What the seeding cost, or where the copy came from. */
  note: string
}

async function seed(path: string, total: number, mondays: string[], now: Date): Promise<Omit<Seeded, 'note'>> {
  const db = openDb(path)
  try {
    const activityRepo = new SqliteActivityRepository(db)
    const settings = new SqliteAdoptionSettingsRepository(db)
    const impact = new SqliteImpactRepository(db)
    const batch: ActivityEvent[] = []
    let written = 0
    for (const e of activity(total, mondays)) {
      batch.push(e)
      if (batch.length === 100_000) written += await activityRepo.recordMany(batch.splice(0))
    }
    written += await activityRepo.recordMany(batch)
    // One transaction for the impact events: record() is one synchronous insert each.
    db.$client.exec('begin')
    let impactWritten = 0
    for (const e of impactEvents(mondays)) if (await impact.record(e)) impactWritten++
    db.$client.exec('commit')
    for (let k = 0; k < TEAMS; k++) await settings.syncTeam(WS, `Team ${k}`, channelsOf(k), [`U${k}`], now)
    await settings.replaceDepartments(Array.from({ length: PEOPLE }, (_, i) => ({ workspace: WS, personId: `U${i}`, department: `D${i % 10}` })))
    return { activityEvents: written, impactEvents: impactWritten }
  } finally {
    closeDb(db) // checkpoints the WAL: the file alone is the database
  }
}

/**
 * Writes the seeded database to `path`: a copy of the cached file for these parameters when there
 * is one (IMPACT_BENCH_CACHE, default <tmpdir>/beacon-bench-cache; IMPACT_BENCH_CACHE=off seeds anew).
 */
export async function seededDb(path: string, total: number, mondays: string[], now: Date): Promise<Seeded> {
  const cacheDir = process.env.IMPACT_BENCH_CACHE ?? join(tmpdir(), 'beacon-bench-cache')
  const started = performance.now()
  const seconds = () => `${((performance.now() - started) / 1000).toFixed(1)} s`
  if (cacheDir === 'off') return { ...(await seed(path, total, mondays, now)), note: `seeded in ${seconds()}` }
  const migrations = readdirSync(new URL('../src/storage/migrations/', import.meta.url))
    .sort()
    .join(',')
  const params = JSON.stringify({ SEED_VERSION, total, TEAMS, PEOPLE, WEEKS, IMPACT_PER_TEAM_WEEK, from: mondays[0], migrations })
  const key = createHash('sha256').update(params).digest('hex').slice(0, 16)
  const cached = join(cacheDir, `impact-${total}-${key}.db`)
  const counts = join(cacheDir, `impact-${total}-${key}.json`)
  if (!existsSync(cached) || !existsSync(counts)) {
    mkdirSync(cacheDir, { recursive: true })
    const partial = `${cached}.${process.pid}.partial`
    const n = await seed(partial, total, mondays, now)
    for (const suffix of ['-wal', '-shm']) rmSync(`${partial}${suffix}`, { force: true })
    writeFileSync(counts, JSON.stringify(n))
    renameSync(partial, cached)
    copyFileSync(cached, path)
    return { ...n, note: `seeded in ${seconds()}, cached as ${cached}` }
  }
  copyFileSync(cached, path)
  const n = JSON.parse(readFileSync(counts, 'utf8')) as Omit<Seeded, 'note'>
  return { ...n, note: `copied from the cache ${cached} in ${seconds()}` }
}
