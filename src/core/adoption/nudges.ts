/**
 * Manager nudges. The weekly job plans one nudge per manager (dedupe key manager + ISO week) and
 * schedules it inside the manager's working hours; the nudge job claims the week in the database
 * before sending, so even a job run twice sends once. A nudge talks about teams and counts only: it
 * never names anyone, least of all someone who has gone quiet.
 */
import { cardToPlainText, type CardBlock, type Outbound } from '../outbound.ts'
import { safeZone } from '../time/zoned-time.ts'
import type { AdoptionContext } from './deps.ts'
import { actionsFor, METRIC_LABELS, objectiveValue } from './diagnoses.ts'
import { adoptionNudgeJob, nudgeKey, type NudgeJob } from './job-defs.ts'
import { historyOf, workspaceReports, type TeamReport } from './reports.ts'
import { sees, viewerOf } from './scope.ts'
import type { NudgeSnapshot } from './types.ts'
import { addDays, isoWeekLabel, lastCompleteWeeks, mondayOf } from '../time/iso-weeks.ts'
import { nextWorkingTime } from './working-hours.ts'

export interface WeeklyResult {
  planned: number
  deduped: number
  effectsMeasured: number
}

/** The weekly job: plan nudges for last week's diagnoses and fill in nudge effects now due. */
export async function runWeekly(ctx: AdoptionContext): Promise<WeeklyResult> {
  const now = ctx.clock.now()
  const week = isoWeekLabel(lastCompleteWeeks(now, 1)[0]!)
  const result: WeeklyResult = { planned: 0, deduped: 0, effectsMeasured: 0 }
  for (const workspace of await ctx.settings.teamWorkspaces()) {
    const reports = await workspaceReports(ctx, workspace)
    const managers = new Set<string>()
    for (const r of reports) if (!r.hidden && r.diagnoses.length > 0) for (const m of r.team.managers) managers.add(m)
    for (const managerId of managers) {
      const prefs = await ctx.settings.nudgePrefs(workspace, managerId)
      if (prefs.muted || (prefs.snoozedUntil && prefs.snoozedUntil > now)) continue
      const person = await ctx.people.get(workspace, managerId)
      const runAt = nextWorkingTime(now, safeZone(person?.timezone), ctx.workingHours)
      const data: NudgeJob = { workspace, managerId, week }
      const res = await ctx.queue.enqueue(adoptionNudgeJob, data, { dedupeKey: nudgeKey(data), runAt })
      if (res.deduped) result.deduped++
      else result.planned++
    }
    result.effectsMeasured += await measureEffects(ctx, workspace, week)
  }
  ctx.log.info({ ...result, week }, 'weekly adoption run')
  return result
}

/** Nudges about week W get their "after" numbers from week W+2, once that week is complete. */
async function measureEffects(ctx: AdoptionContext, workspace: string, lastWeek: string): Promise<number> {
  const dueBy = isoWeekLabel(addDays(mondayOf(lastWeek), -14))
  let n = 0
  for (const nudge of await ctx.settings.nudgesAwaitingEffect(workspace, dueBy)) {
    const team = await ctx.settings.team(workspace, nudge.teamId)
    if (!team) continue
    const monday = addDays(mondayOf(nudge.week), 14)
    const h = await historyOf(ctx, team, [monday])
    const m = h.weeks[0]!.metrics
    await ctx.settings.setNudgeAfter(nudge.id, { week: m.week, activePeople: m.activePeople, contributions: m.contributions })
    n++
  }
  return n
}

/** The nudge job: claim (manager, week), build the card from current reports, DM it, record it. */
export async function sendNudge(ctx: AdoptionContext, job: NudgeJob): Promise<'sent' | 'already-sent' | 'nothing-to-say'> {
  const now = ctx.clock.now()
  if (!(await ctx.settings.claimNudge(job.workspace, job.managerId, job.week, now))) return 'already-sent'
  try {
    // The figures this manager may see, with privacy applied across every team they can see.
    const viewer = await viewerOf(ctx, job.workspace, job.managerId)
    const reports = (await workspaceReports(ctx, job.workspace, (t) => t.managers.includes(job.managerId), sees(viewer))).filter(
      (r) => !r.hidden && r.diagnoses.length > 0,
    )
    if (reports.length === 0) {
      await ctx.settings.releaseNudge(job.workspace, job.managerId, job.week)
      return 'nothing-to-say'
    }
    const platform = ctx.platforms.forWorkspace(job.workspace)
    await platform.post({ dmTo: { workspace: job.workspace, id: job.managerId } }, nudgeMessage(reports, job.week))
    for (const r of reports) {
      const last = r.weeks[r.weeks.length - 1]
      const before: NudgeSnapshot = {
        week: job.week,
        activePeople: last?.metrics?.activePeople ?? 0,
        contributions: last?.metrics?.contributions ?? 0,
      }
      await ctx.settings.saveNudge({
        workspace: job.workspace,
        teamId: r.team.id,
        managerId: job.managerId,
        week: job.week,
        diagnoses: r.diagnoses.map((d) => d.code),
        before,
        sentAt: now,
      })
    }
    return 'sent'
  } catch (err) {
    // Not sent: give the week back so the retry can send it.
    await ctx.settings.releaseNudge(job.workspace, job.managerId, job.week)
    throw err
  }
}

function trend(r: TeamReport): string {
  return r.weeks
    .slice(-6)
    .map((w) => (w.metrics ? String(w.metrics.activePeople) : '<5'))
    .join(' → ')
}

/** The DM card: per team the trend, the diagnoses in plain words, objective progress; then actions and buttons. */
export function nudgeMessage(reports: TeamReport[], week: string): Outbound {
  const blocks: CardBlock[] = []
  for (const r of reports) {
    const last = r.weeks[r.weeks.length - 1]?.metrics
    blocks.push({ type: 'text', text: `**${r.team.name}** — weekly active people, last 6 weeks: ${trend(r)}` })
    for (const d of r.diagnoses) blocks.push({ type: 'text', text: `**${d.title}.** ${d.explanation}` })
    if (last && r.objectives.length) {
      const progress = r.objectives.map((o) => `${METRIC_LABELS[o.metric]} ${objectiveValue(last, o.metric)} / ${o.target}`).join(', ')
      blocks.push({ type: 'context', text: `Objectives: ${progress}` })
    }
  }
  const actions = actionsFor(reports.flatMap((r) => r.diagnoses))
  blocks.push({ type: 'divider' }, { type: 'text', text: ['**What could help this week**', ...actions.map((a) => `- ${a}`)].join('\n') })
  const teamId = String(reports[0]!.team.id)
  blocks.push({
    type: 'actions',
    buttons: [
      { actionId: 'adopt:goal', label: 'Set objective', value: teamId, style: 'primary' },
      { actionId: 'adopt:snooze', label: 'Snooze 2 weeks', value: teamId },
      { actionId: 'adopt:mute', label: 'Mute nudges', value: teamId, style: 'danger' },
    ],
  })
  blocks.push({ type: 'context', text: 'Beacon counts activity, never content, and never shows what one person did. `/beacon privacy` explains.' })
  const card = { title: `Your team’s week (${week})`, blocks }
  return { text: cardToPlainText(card), card }
}
