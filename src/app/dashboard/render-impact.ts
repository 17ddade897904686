/**
 * The dashboard's impact section and organisation overview, from the same privacy-checked reports
 * as `/beacon impact` (src/core/impact/reports.ts) and `/beacon stats`: nothing here is computed
 * from raw data, so the page cannot show more than chat does.
 */
import type { TeamReport } from '../../core/adoption/reports.ts'
import type { DepartmentTrend } from '../../core/impact/departments.ts'
import { STAGES, type StageResult } from '../../core/impact/maturity.ts'
import type { OrganisationView } from '../../core/impact/organisation.ts'
import type { ImpactReport } from '../../core/impact/reports.ts'
import { changeOf, FIGURES, formatFigure, ownTeamsWithheld } from '../../core/impact/render.ts'
import { DEPARTMENTS_CSS, departmentsChart } from './render-departments.ts'
import { PAGE_CSS } from './render-html.ts'
import { esc } from './render-svg.ts'

export const IMPACT_CSS = [
  'section.impact{background:#fff;border-radius:8px;padding:16px 20px;margin-bottom:18px;box-shadow:0 1px 2px #0001}',
  '.impact-grid{display:flex;gap:14px;flex-wrap:wrap}' +
    '.impact-team{border:1px solid #e3e6ea;border-radius:8px;padding:10px 14px;min-width:300px;flex:1}',
  '.stage{display:inline-block;border-radius:12px;padding:2px 10px;font-size:13px;font-weight:600;color:#fff}' +
    '.stage-experimental{background:#9ca3af}',
  '.stage-formalized{background:#3b82f6}.stage-mature{background:#10b981}.stage-advanced{background:#7c3aed}' +
    '.next{background:#eef2ff;padding:6px 10px;border-radius:6px;margin:6px 0}',
  '.overview .series{stroke-width:2}.legend span{display:inline-block;margin-right:12px;font-size:13px}' +
    '.legend i{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:4px}',
].join('\n')

const COLORS = ['#2563eb', '#10b981', '#f97316', '#7c3aed', '#ef4444', '#0891b2', '#ca8a04', '#db2777']

function stageHtml(s: StageResult): string {
  const badge = `<span class="stage stage-${s.stage}" data-stage="${s.stage}">${esc(s.stage)}</span>`
  const next = s.next ? `<p class="next">To move up: ${esc(s.next)}</p>` : ''
  return `<p>${badge} <span class="muted">${esc(s.evidence.join('; '))}</span></p>${next}`
}

function teamCard(r: ImpactReport, minGroup: number): string {
  const name = esc(r.team.name)
  if (r.hidden) {
    const text = r.hidden === 'own-teams' ? ownTeamsWithheld(minGroup) : `Not shown to protect privacy (groups under ${minGroup} people).`
    const why = `<p class="muted">${esc(text)}</p>`
    return `<div class="impact-team hidden" data-impact-team="${name}"><h3>${name}</h3>${why}</div>`
  }
  const stage = r.stage ? stageHtml(r.stage) : ''
  const rows = r.current
    ? FIGURES.map((f) => {
        const now = f.value(r.current!)
        if (now === undefined) return ''
        const change = changeOf(f, now, r.previous ? f.value(r.previous) : undefined).trim()
        const value = `<td data-value="${now}">${esc(formatFigure(f, now))}</td>`
        return `<tr data-figure="${f.key}"><td>${esc(f.label)}</td>${value}<td class="muted">${esc(change)}</td></tr>`
      }).join('')
    : ''
  const table = r.current
    ? `<table><tbody>${rows}</tbody></table>`
    : `<p class="muted">Fewer than ${minGroup} active people in a week of this period: withheld.</p>`
  return `<div class="impact-team" data-impact-team="${name}"><h3>${name} <span class="muted">${esc(r.label)}</span></h3>${stage}${table}</div>`
}

/**
 * All shown teams' weekly active people on one chart (figures each team's own section shows too);
 * colours inline, since the page's `.series` rule would beat an attribute.
 */
export function overviewChart(reports: TeamReport[]): string {
  const shown = reports.filter((r) => !r.hidden && r.weeks.some((w) => w.metrics))
  if (shown.length === 0) return ''
  const weeks = shown[0]!.weeks
  const W = 1100
  const H = 240
  const pad = { l: 40, r: 12, t: 14, b: 28 }
  const max = Math.ceil(Math.max(5, ...shown.flatMap((r) => r.weeks.map((w) => w.metrics?.activePeople ?? 0))) / 5) * 5
  const step = (W - pad.l - pad.r) / Math.max(1, weeks.length)
  const x = (i: number) => pad.l + step * i + step / 2
  const y = (v: number) => pad.t + (H - pad.t - pad.b) * (1 - v / max)
  const lines = shown.map((r, k) => {
    const color = COLORS[k % COLORS.length]!
    const pts = r.weeks.map((w, i) => (w.metrics ? { i, v: w.metrics.activePeople, week: w.week } : undefined)).filter((p) => p !== undefined)
    const path = pts.map((p, j) => `${j ? 'L' : 'M'}${x(p.i).toFixed(1)},${y(p.v).toFixed(1)}`).join('')
    const dot = (p: (typeof pts)[number]) =>
      `<circle class="point" cx="${x(p.i).toFixed(1)}" cy="${y(p.v).toFixed(1)}" r="2.5" style="fill:${color}"` +
      ` data-week="${p.week}" data-value="${p.v}"/>`
    const dots = pts.map(dot).join('')
    return `<g data-series="${esc(r.team.name)}"><path class="series" d="${path}" style="stroke:${color}"/>${dots}</g>`
  })
  const labels = weeks.map((w, i) => `<text x="${x(i)}" y="${H - 8}" class="tick" text-anchor="middle">${esc(w.week.slice(5))}</text>`).join('')
  const gridLine = (t: number) =>
    `<line x1="${pad.l}" x2="${W - pad.r}" y1="${y(t)}" y2="${y(t)}" class="grid"/>` +
    `<text x="${pad.l - 6}" y="${y(t) + 4}" class="tick" text-anchor="end">${t}</text>`
  const grid = [0, max / 2, max].map(gridLine).join('')
  const legend = shown.map((r, k) => `<span><i style="background:${COLORS[k % COLORS.length]}"></i>${esc(r.team.name)}</span>`).join('')
  const title = 'Weekly active people, every team'
  const svg =
    `<svg class="chart chart-overview" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${title}">` +
    `<title>${title}</title>${grid}${lines.join('')}${labels}</svg>`
  return `<figure class="overview">${svg}<figcaption class="legend">${legend}</figcaption></figure>`
}

const INTRO =
  '<p class="muted">What the activity produced: knowledge reused, questions answered, tasks closed on time, kudos reach, ' +
  'new connections across departments; and each team’s maturity stage with the one change that would move it up.</p>'

/**
 * The dashboard's impact section: the organisation overview (admins: every team on one chart,
 * departments over time) and a card per team.
 */
export function impactSectionHtml(impact: ImpactReport[], teams: TeamReport[], minGroup: number, departments?: DepartmentTrend): string {
  const overview = overviewChart(teams)
  const byDepartment = departmentsChart(departments, minGroup)
  const allTeams = overview ? `<h4>All teams on one chart</h4>${overview}` : ''
  const departmentsHtml = byDepartment ? `<h4>Departments over time</h4>${byDepartment}` : ''
  const overviewHtml = overview || byDepartment ? `<h3>Organisation overview</h3>${allTeams}${departmentsHtml}` : ''
  return `<style>${IMPACT_CSS}${DEPARTMENTS_CSS}</style><section class="impact" data-impact><h2>Impact — last 4 weeks against the 4 before</h2>
${INTRO}
${overviewHtml}
<div class="impact-grid">${impact.map((r) => teamCard(r, minGroup)).join('')}</div></section>`
}

/**
 * The sponsors' page (the digest's link): the organisation card, how many teams are at each stage,
 * and departments over time. No team is named: a sponsor who is neither admin nor manager sees
 * organisation totals only ("Who sees what").
 */
export function organisationPageHtml(v: OrganisationView, o: { workspaceName: string; minGroup: number; generatedAt: Date }): string {
  const card = v.organisation
    ? teamCard(v.organisation, o.minGroup)
    : `<p class="muted">Not enough activity yet: groups under ${o.minGroup} people are never shown.</p>`
  const stages = STAGES.map((s) => `<li data-stage-count="${s}"><span class="stage stage-${s}">${s}</span> <b>${v.stages[s]}</b></li>`).join('')
  const byDepartment = departmentsChart(v.departments, o.minGroup)
  const workspace = esc(o.workspaceName)
  const head =
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="referrer" content="no-referrer">\n' +
    `<title>Beacon impact — ${workspace}</title>` +
    `<style>${PAGE_CSS}${IMPACT_CSS}${DEPARTMENTS_CSS}.stage-counts{list-style:none;padding:0;display:flex;gap:18px}</style></head>`
  const header =
    `<header><h1>Beacon impact — ${workspace}</h1><p>Organisation totals for sponsors: what the activity produced and how mature ` +
    `the organisation is. No content, no individuals, no team’s own figures, no group under ${o.minGroup} people.</p></header>`
  const teamsShown = `<p class="muted">${v.teamsShown} teams shown (teams under the privacy minimum are not counted).</p>`
  const generated = esc(o.generatedAt.toISOString().slice(0, 16).replace('T', ' '))
  return `<!doctype html><html lang="en">${head}<body>
${header}
<main><section class="impact" data-impact data-organisation-view><h2>The organisation — last 4 weeks against the 4 before</h2>${INTRO}
<div class="impact-grid">${card}</div>
<h3>Teams at each stage</h3>${teamsShown}<ul class="stage-counts">${stages}</ul>
${byDepartment ? `<h3>Departments over time</h3>${byDepartment}` : ''}
<p class="muted">generated ${generated} UTC</p></section></main></body></html>`
}
