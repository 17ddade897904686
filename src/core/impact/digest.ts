/**
 * The executive digest. On the 1st of each month the monthly job plans one DM per sponsor (dedupe
 * key sponsor + month), delivered inside the sponsor's working hours; the digest job claims
 * (sponsor, month) in the database before posting and gives the claim back if posting fails, so a
 * sponsor hears once a month however often the jobs run. It shows organisation figures only.
 */
import { z } from 'zod'
import { dashboardKey, signDashboardToken } from '../adoption/dashboard-token.ts'
import { nextWorkingTime } from '../adoption/working-hours.ts'
import { cardToPlainText, type CardBlock, type Outbound } from '../outbound.ts'
import type { JobDefinition } from '../ports.ts'
import { workspaceIdSchema } from '../schemas.ts'
import { safeZone } from '../time/zoned-time.ts'
import type { ImpactContext } from './deps.ts'
import { AREA_RULES, AREAS } from './maturity.ts'
import { changeOf, FIGURES, formatFigure, ownTeamsWithheld } from './render.ts'
import { organisationReports } from './organisation.ts'
import type { ImpactReport } from './reports.ts'

const month = z.string().regex(/^\d{4}-\d{2}$/, 'a month like 2025-06')
export const digestSchema = z.object({ workspace: workspaceIdSchema, sponsorId: z.string().min(1).max(200), month })
export type DigestJob = z.infer<typeof digestSchema>
const monthlySchema = z.object({}).strict().default({})

/** The 1st of the month (UTC): plan every sponsor's digest about the month just ended. */
export const impactMonthlyJob: JobDefinition<z.infer<typeof monthlySchema>> = {
  name: 'impact.monthly',
  schema: monthlySchema,
  attempts: 3,
  backoffMs: 60_000,
}
export const impactDigestJob: JobDefinition<DigestJob> = { name: 'impact.digest', schema: digestSchema, attempts: 5, backoffMs: 5_000 }

export function digestKey(d: DigestJob): string {
  return `impact-digest:${d.workspace}:${d.sponsorId}:${d.month}`
}

/** "2025-05" for a run in June: the digest is about the month that ended. */
export function previousMonth(now: Date): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1))
  return d.toISOString().slice(0, 7)
}

export async function runMonthly(ctx: ImpactContext): Promise<{ planned: number; deduped: number }> {
  const a = ctx.adoption
  const now = a.clock.now()
  const m = previousMonth(now)
  const out = { planned: 0, deduped: 0 }
  for (const ws of await ctx.sponsors.workspaces()) {
    for (const s of await ctx.sponsors.list(ws)) {
      const person = await a.people.get(ws, s.personId)
      const runAt = nextWorkingTime(now, safeZone(person?.timezone), a.workingHours)
      const data: DigestJob = { workspace: ws, sponsorId: s.personId, month: m }
      const res = await a.queue.enqueue(impactDigestJob, data, { dedupeKey: digestKey(data), runAt })
      if (res.deduped) out.deduped++
      else out.planned++
    }
  }
  a.log.info({ ...out, month: m }, 'monthly impact run')
  return out
}

export async function sendDigest(ctx: ImpactContext, job: DigestJob): Promise<'sent' | 'already-sent' | 'not-a-sponsor'> {
  const a = ctx.adoption
  const now = a.clock.now()
  if (!(await ctx.sponsors.list(job.workspace)).some((s) => s.personId === job.sponsorId)) return 'not-a-sponsor'
  if (!(await ctx.sponsors.claimDigest(job.workspace, job.sponsorId, job.month, now))) return 'already-sent'
  try {
    // Organisation figures, with privacy applied across every team and the organisation (an admin's
    // view) and, for a sponsor who manages teams, beside those teams too.
    const org = (await organisationReports(ctx, job.workspace, job.sponsorId)).find((r) => r.organisation)
    const token = signDashboardToken(dashboardKey(a.dashboardKey), {
      workspace: job.workspace,
      personId: job.sponsorId,
      expiresAt: new Date(now.getTime() + 7 * 86_400_000),
    })
    // The sponsors' page: organisation totals, stages and departments (src/app/dashboard/routes.ts).
    const url = `${a.publicUrl}/dashboard/organisation?token=${encodeURIComponent(token)}`
    await a.platforms
      .forWorkspace(job.workspace)
      .post({ dmTo: { workspace: job.workspace, id: job.sponsorId } }, digestMessage(org, job.month, url, a.minGroupSize))
    return 'sent'
  } catch (err) {
    await ctx.sponsors.releaseDigest(job.workspace, job.sponsorId, job.month)
    throw err
  }
}

/** The three figures that moved most (relative to where they were), ties in FIGURES order. */
export function movers(r: ImpactReport, n = 3): string[] {
  if (!r.current) return []
  const scored = FIGURES.map((f) => {
    const now = f.value(r.current!)
    const before = r.previous ? f.value(r.previous) : undefined
    const move = now === undefined || before === undefined ? -1 : Math.abs(now - before) / Math.max(Math.abs(before), f.share ? 0.01 : 1)
    return { f, now, before, move }
  }).filter((x) => x.now !== undefined)
  scored.sort((x, y) => y.move - x.move)
  return scored
    .slice(0, n)
    .map((x) => `${x.f.label[0]!.toUpperCase()}${x.f.label.slice(1)}: **${formatFigure(x.f, x.now)}**${changeOf(x.f, x.now, x.before)}`)
}

export function digestMessage(org: ImpactReport | undefined, month: string, url: string, minGroup: number): Outbound {
  const blocks: CardBlock[] = []
  if (org?.hidden === 'own-teams') {
    blocks.push({ type: 'text', text: ownTeamsWithheld(minGroup) })
  } else if (!org || org.hidden || !org.current) {
    blocks.push({ type: 'text', text: `Not enough activity to report this month: figures of fewer than ${minGroup} active people are never shown.` })
  } else {
    blocks.push({
      type: 'text',
      text: ['**Three numbers that moved** (last 4 weeks against the 4 before)', ...movers(org).map((l) => `- ${l}`)].join('\n'),
    })
    if (org.stage) blocks.push({ type: 'text', text: `**Stage: ${org.stage.stage}** — ${org.stage.evidence.join('; ')}` })
    const weakest = AREAS.find((x) => !AREA_RULES[x].healthy(org.current!))
    const advice = org.stage?.next ?? (weakest ? AREA_RULES[weakest].improve : undefined)
    if (advice) blocks.push({ type: 'text', text: `**One recommendation:** ${advice}.` })
  }
  blocks.push({ type: 'actions', buttons: [{ actionId: 'impact:open', label: 'Open the dashboard', url }] })
  blocks.push({ type: 'context', text: 'Organisation totals only: never content or individuals.' })
  const card = { title: `Beacon impact, ${month}`, blocks }
  return { text: cardToPlainText(card), card }
}
