/**
 * GET /dashboard?token=… and GET /dashboard.csv?token=… on the shared express app. The token is the
 * short-lived signed link `/beacon dashboard` hands out (src/core/adoption/dashboard-token.ts); an
 * expired or tampered one gets a 403 page. The link is bound to the person it was given to, and
 * what they may see is asked again on every request (src/core/adoption/scope.ts): a manager removed
 * since, or an admin no longer admin, gets a 403 page too. The token sits in the URL, so the page
 * forbids referrers and caching.
 *
 * GET /dashboard/organisation?token=… is the sponsors' page (the monthly digest links there):
 * organisation totals only, for a person who is a sponsor (or an admin) when they open it; a sponsor
 * removed since gets a 403. `/dashboard` shows it too to a sponsor who manages no team.
 */
import type express from 'express'
import { dashboardKey, ReportReads, verifyDashboardToken, type AdoptionFeature } from '../../core/adoption/index.ts'
import type { DashboardGrant } from '../../core/adoption/dashboard-token.ts'
import { impactReports, isSponsor, organisationDepartments, organisationView, type ImpactFeature } from '../../core/impact/index.ts'
import { viewerOf } from '../../core/adoption/scope.ts'
import type { BeaconContext } from '../context.ts'
import { impactSectionHtml, organisationPageHtml } from './render-impact.ts'
import { dashboardCsv, dashboardHtml, errorHtml } from './render-html.ts'

const REASONS = {
  malformed: 'This dashboard link is not valid. Ask Beacon for a new one with `/beacon dashboard`.',
  bad_signature: 'This dashboard link is not valid. Ask Beacon for a new one with `/beacon dashboard`.',
  expired: 'This dashboard link has expired. Ask Beacon for a new one with `/beacon dashboard`.',
} as const

const NOT_SPONSOR =
  'This link was given to you as a sponsor of Beacon, and you are no longer one (or never were). Ask a workspace admin if you think that is wrong.'

const NO_LONGER =
  'This dashboard link was given to you as a team manager or admin, and you no longer manage a team here. ' +
  'Ask a workspace admin if you think that is wrong.'

function secure(res: express.Response): void {
  res.set({
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; frame-ancestors 'none'",
  })
}

export function mountDashboard(
  app: express.Express,
  adoption: AdoptionFeature,
  ctx: Pick<BeaconContext, 'repos' | 'log' | 'clock'>,
  impact?: ImpactFeature,
): void {
  const key = dashboardKey(adoption.context.dashboardKey)

  const grant = (req: express.Request, res: express.Response) => {
    secure(res)
    const check = verifyDashboardToken(key, req.query.token, ctx.clock.now())
    if (!check.ok) {
      ctx.log.info({ reason: check.reason }, 'dashboard link refused')
      res.status(403).type('html').send(errorHtml(403, REASONS[check.reason]))
      return undefined
    }
    return check.grant
  }

  app.get('/dashboard', async (req, res, next) => {
    try {
      const g = grant(req, res)
      if (!g) return
      // One memo of the rollups for the page: the impact section reuses what the adoption section read.
      const reads = new ReportReads(adoption.context.activity)
      const [reports, ws] = await Promise.all([adoption.reportsFor(g.workspace, g.personId, reads), ctx.repos.workspaces.get(g.workspace)])
      if (!reports) {
        if (impact && (await isSponsor(impact.context, g.workspace, g.personId))) return void (await sendOrganisation(res, impact, g, ws?.name))
        return void res.status(403).type('html').send(errorHtml(403, NO_LONGER))
      }
      const csvUrl = `/dashboard.csv?token=${encodeURIComponent(String(req.query.token))}`
      // Impact for the same viewer, with the privacy rules applied across the same teams (plus the organisation for admins).
      let impactHtml: string | undefined
      if (impact) {
        const impacts = await impactReports(impact.context, await viewerOf(adoption.context, g.workspace, g.personId), { reads })
        const departments = await organisationDepartments(
          impact.context,
          impacts.find((r) => r.organisation),
        )
        impactHtml = impactSectionHtml(impacts, reports, adoption.context.minGroupSize, departments)
      }
      res.type('html').send(
        dashboardHtml(reports, {
          workspaceName: ws?.name ?? g.workspace,
          minGroup: adoption.context.minGroupSize,
          csvUrl,
          generatedAt: ctx.clock.now(),
          ...(impactHtml ? { impactHtml } : {}),
        }),
      )
    } catch (err) {
      next(err)
    }
  })

  app.get('/dashboard/organisation', async (req, res, next) => {
    try {
      const g = grant(req, res)
      if (!g) return
      const allowed =
        impact && ((await isSponsor(impact.context, g.workspace, g.personId)) || (await adoption.context.roles.isAdmin(g.workspace, g.personId)))
      if (!impact || !allowed) return void res.status(403).type('html').send(errorHtml(403, NOT_SPONSOR))
      await sendOrganisation(res, impact, g, (await ctx.repos.workspaces.get(g.workspace))?.name)
    } catch (err) {
      next(err)
    }
  })

  async function sendOrganisation(res: express.Response, impact: ImpactFeature, g: DashboardGrant, workspaceName: string | undefined): Promise<void> {
    const view = await organisationView(impact.context, g.workspace, g.personId)
    res.type('html').send(
      organisationPageHtml(view, {
        workspaceName: workspaceName ?? g.workspace,
        minGroup: adoption.context.minGroupSize,
        generatedAt: ctx.clock.now(),
      }),
    )
  }

  app.get('/dashboard.csv', async (req, res, next) => {
    try {
      const g = grant(req, res)
      if (!g) return
      const reports = await adoption.reportsFor(g.workspace, g.personId)
      if (!reports) return void res.status(403).type('html').send(errorHtml(403, NO_LONGER))
      res.type('text/csv').set('content-disposition', 'attachment; filename="beacon-adoption.csv"').send(dashboardCsv(reports))
    } catch (err) {
      next(err)
    }
  })
}
