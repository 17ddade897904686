/**
 * The organisation's impact report at scale: 50 teams (two channels each), 5,000 people in ten
 * departments, a year of activity (replies in threads, kudos, tasks…) and of impact events, in a
 * SQLite file. Beacon computes what the dashboard and the sponsors' digest compute — every team's
 * and the organisation's value metrics for the last 4 weeks and the 4 before, the stages, the
 * privacy checks across all of them (`impactReports` for an admin). The first run also folds the
 * window's first connections into `impact_pairs` (once, ever); the next ones read them.
 * Baseline in the same run: bare SQL for the organisation's month alone — impact events grouped by
 * kind and the distinct active people of the 4 weeks — with no teams, stages or privacy.
 *
 *   npm run bench -- impact          (IMPACT_BENCH_EVENTS=300000 for a quicker run)
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { resolveAdoptionDeps } from '../src/core/adoption/deps.ts'
import type { ActivityEvent, ActivityKind } from '../src/core/adoption/types.ts'
import { impactReports } from '../src/core/impact/reports.ts'
import { IMPACT_KINDS, type ImpactEvent } from '../src/core/impact/types.ts'
import { seededRandom } from '../src/core/seeded-random.ts'
import { addDays, dayToDate, lastCompleteWeeks } from '../src/core/time/iso-weeks.ts'
import { closeDb, openDb } from '../src/storage/db.ts'
import { SqliteActivityRepository } from '../src/storage/repositories/adoption-activity.ts'
import { SqliteAdoptionSettingsRepository } from '../src/storage/repositories/adoption-settings.ts'
import { SqliteImpactRepository, SqliteSponsorRepository } from '../src/storage/repositories/impact.ts'
import { SqlitePeopleRepository } from '../src/storage/repositories/people.ts'
import { runIfMain } from './run-if-main.ts'
import { addIssueRow } from './summary.ts'

const WS = 'slack:TBENCH'
const TEAMS = 50
const PEOPLE = 5_000
const WEEKS = 52
const KINDS: ActivityKind[] = ['message', 'reply', 'reply', 'reaction', 'reaction', 'knowledge_saved', 'task_created', 'task_done', 'kudos_given']
/** Impact events per team and week (questions, answers, opens, 👍/👎, tasks, kudos). */
const IMPACT_PER_TEAM_WEEK = 40

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

export async function main(): Promise<void> {
  const total = Number(process.env.IMPACT_BENCH_EVENTS ?? 1_000_000)
  const dir = mkdtempSync(join(tmpdir(), 'beacon-bench-impact-'))
  const db = openDb(join(dir, 'bench.db'))
  try {
    const now = new Date()
    const mondays = lastCompleteWeeks(now, WEEKS)
    const activityRepo = new SqliteActivityRepository(db)
    const settings = new SqliteAdoptionSettingsRepository(db)
    const impact = new SqliteImpactRepository(db)
    let t = performance.now()
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
    process.stdout.write(
      `seeded ${written.toLocaleString('en')} activity events and ${impactWritten.toLocaleString('en')} impact events ` +
        `over ${WEEKS} weeks in ${((performance.now() - t) / 1000).toFixed(1)} s\n`,
    )

    const adoption = resolveAdoptionDeps({
      activity: activityRepo,
      settings,
      people: new SqlitePeopleRepository(db),
      platforms: {} as never,
      queue: {} as never,
    })
    const ctx = { adoption, impact, sponsors: new SqliteSponsorRepository(db) }
    const viewer = { workspace: WS, personId: 'UADMIN', admin: true, teams: await settings.teams(WS) }
    const month = lastCompleteWeeks(now, 4)
    const bare = () => {
      const m = month.map(() => '?').join(',')
      const byKind = db.$client
        .prepare(`select kind, count(*) as n, sum(flag) as yes from impact_events where workspace_id = ? and week in (${m}) group by kind`)
        .all(WS, ...month)
      const active = db.$client
        .prepare(`select count(distinct person_id) as n from adoption_weekly where workspace_id = ? and week in (${m}) and kind != 'kudos_received'`)
        .get(WS, ...month) as { n: number }
      return { kinds: byKind.length, active: active.n }
    }
    // The first report folds the window's connections into impact_pairs (once); then Beacon and the
    // bare SQL alternate, three times each, medians reported.
    t = performance.now()
    let reports = await impactReports(ctx, viewer)
    const firstMs = performance.now() - t
    const beaconRuns: number[] = []
    const bareRuns: number[] = []
    let base = bare()
    for (let run = 0; run < 3; run++) {
      t = performance.now()
      reports = await impactReports(ctx, viewer)
      beaconRuns.push(performance.now() - t)
      t = performance.now()
      base = bare()
      bareRuns.push(performance.now() - t)
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
    const beaconMs = median(beaconRuns)
    const bareMs = median(bareRuns)
    const org = reports.find((r) => r.organisation)
    const shown = reports.filter((r) => !r.organisation && !r.hidden).length
    addIssueRow({
      what: `organisation impact report, ${TEAMS} teams, ${PEOPLE.toLocaleString('en')} people, ${written.toLocaleString('en')} events over a year`,
      beacon: `${beaconMs.toFixed(0)} ms (first, folding pairs: ${firstMs.toFixed(0)} ms)`,
      floor: `bare SQL, organisation month only: ${bareMs.toFixed(0)} ms`,
      ratio: `×${(beaconMs / Math.max(bareMs, 0.1)).toFixed(1)}`,
      goal: 'under a dashboard request (< 2 s)',
      met: beaconMs < 2000,
    })
    const v = org?.current
    process.stdout.write(
      `${[
        `impact reports (${shown} of ${TEAMS} teams shown + organisation, stage ${org?.stage?.stage ?? 'hidden'}): ` +
          `${beaconMs.toFixed(0)} ms (median of 3: ${beaconRuns.map((x) => x.toFixed(0)).join(', ')}); ` +
          `first run, folding pairs: ${firstMs.toFixed(0)} ms`,
        v
          ? `  organisation month: ${v.activePeople} active, ${v.questionsAsked} questions ` +
            `(${Math.round((v.answeredInDayShare ?? 0) * 100)}% in a day), ${v.itemsOpened} items opened, ` +
            `${v.newCrossDepartmentConnections} new cross-department connections`
          : '  organisation month: withheld',
        `baseline bare SQL (${base.kinds} kinds, ${base.active} active people): ${bareMs.toFixed(0)} ms (median of 3, alternating with Beacon's)`,
      ].join('\n')}\n`,
    )
  } finally {
    closeDb(db)
    rmSync(dir, { recursive: true, force: true })
  }
}

runIfMain(import.meta.url, main)
