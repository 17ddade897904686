/**
 * The dashboard page and its CSV export, server-rendered from the same privacy-checked reports as
 * `/beacon stats`. Self-contained: inline CSS and SVG, no script, nothing loaded from elsewhere.
 */
import { METRIC_LABELS, objectiveValue } from '../../core/adoption/diagnoses.ts'
import type { WeekMetrics } from '../../core/adoption/metrics.ts'
import type { TeamReport } from '../../core/adoption/reports.ts'
import { barChart, esc, lineChart } from './render-svg.ts'

export const PAGE_CSS =
  'body{font:15px/1.45 system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1d2330}\n' +
  'header{background:#1d2330;color:#fff;padding:18px 28px}header h1{margin:0;font-size:20px}header p{margin:4px 0 0;opacity:.8}\n' +
  'main{padding:20px 28px;max-width:1240px}.summary{display:flex;gap:16px;flex-wrap:wrap;margin-bottom:18px}\n' +
  '.kpi{background:#fff;border-radius:8px;padding:12px 16px;min-width:150px;box-shadow:0 1px 2px #0001}' +
  '.kpi b{display:block;font-size:22px}\n' +
  'section.team{background:#fff;border-radius:8px;padding:16px 20px;margin-bottom:18px;box-shadow:0 1px 2px #0001}\n' +
  'section.team h2{margin:0 0 8px;font-size:18px}.charts{display:flex;gap:16px;flex-wrap:wrap}figure{margin:0}' +
  'figcaption{font-size:13px;color:#5b6474;margin-top:4px}\n' +
  '.chart{background:#fbfcfd;border:1px solid #e3e6ea;border-radius:6px}.grid{stroke:#e3e6ea}.tick{font-size:10px;fill:#6b7280}\n' +
  '.series{fill:none;stroke:#2563eb;stroke-width:2.5}.point{fill:#2563eb}.bar{fill:#10b981}.withheld{fill:#e5e7eb}\n' +
  '.diag{background:#fff7ed;border-left:4px solid #f97316;padding:6px 10px;margin:8px 0}.muted{color:#6b7280}\n' +
  'table{border-collapse:collapse;font-size:13px}td,th{padding:3px 10px;border-bottom:1px solid #eee;text-align:right}' +
  'td:first-child,th:first-child{text-align:left}\n' +
  'a.csv{display:inline-block;margin-top:6px}'

function kpis(reports: TeamReport[]): string {
  const shown = reports.filter((r) => !r.hidden)
  const sent = reports.reduce((s, r) => s + r.nudges.sent, 0)
  const measured = reports.reduce((s, r) => s + r.nudges.measured, 0)
  const recovered = reports.reduce((s, r) => s + r.nudges.recovered, 0)
  const diagnosed = shown.filter((r) => r.diagnoses.length > 0).length
  const kpi = (label: string, value: string) => `<div class="kpi"><span class="muted">${esc(label)}</span><b>${esc(value)}</b></div>`
  const recovery = measured ? `${recovered} of ${measured} (${Math.round((recovered / measured) * 100)}%)` : 'not measured yet'
  const cards = [
    kpi('Teams shown', `${shown.length} of ${reports.length}`),
    kpi('Teams with a diagnosis', String(diagnosed)),
    kpi('Nudges sent', String(sent)),
    kpi('Followed by recovery', recovery),
  ]
  return `<div class="summary">${cards.join('')}</div>`
}

function lastTable(m: WeekMetrics): string {
  const rows: [string, string][] = [
    ['Active people', String(m.activePeople)],
    ['Posting people', String(m.postingPeople)],
    ['WAU / MAU', `${Math.round(m.wauMau * 100)}%`],
    ['Contributions per active person', String(m.contributionsPerActive)],
    ['People making half the contributions', String(m.halfContributors)],
    ['Knowledge saved', String(m.knowledgeSaved)],
    ['Tasks created / done', `${m.tasksCreated} / ${m.tasksDone}`],
    ['Kudos given / received', `${m.kudosGiven} / ${m.kudosReceived}`],
    ['New / returning / back / gone quiet', `${m.newPeople} / ${m.returningPeople} / ${m.resurrectedPeople} / ${m.dormantPeople}`],
    ['Links across departments', String(m.crossDepartmentLinks)],
  ]
  return `<table><tbody>${rows.map(([k, v]) => `<tr><td>${esc(k)}</td><td>${esc(v)}</td></tr>`).join('')}</tbody></table>`
}

function teamSection(r: TeamReport, minGroup: number): string {
  const name = esc(r.team.name)
  if (r.hidden) {
    const why =
      r.hidden === 'small'
        ? `fewer than ${minGroup} active people`
        : `its numbers, next to a team that contains it, would reveal a group of fewer than ${minGroup}`
    return (
      `<section class="team hidden" data-team="${name}"><h2>${name}</h2>` +
      `<p class="muted">Not shown to protect privacy: ${esc(why)}.</p></section>`
    )
  }
  const last = r.weeks[r.weeks.length - 1]!
  const diag = r.diagnoses.map((d) => `<div class="diag"><b>${esc(d.title)}.</b> ${esc(d.explanation)}</div>`).join('')
  const metrics = last.metrics
  const objectiveText = (o: TeamReport['objectives'][number], m: WeekMetrics) =>
    `${esc(METRIC_LABELS[o.metric])} <b>${objectiveValue(m, o.metric)}</b> / ${o.target}`
  const objectives = metrics && r.objectives.length ? `<p>Objectives: ${r.objectives.map((o) => objectiveText(o, metrics)).join(' · ')}</p>` : ''
  const nudges = r.nudges.sent
    ? `<p class="muted">Nudges sent: ${r.nudges.sent}; followed by more active people two weeks later: ` +
      `${r.nudges.recovered} of ${r.nudges.measured} measured.</p>`
    : ''
  const active = lineChart(r.weeks, `${r.team.name}: weekly active people`, (w) => w.metrics?.activePeople)
  const contributions = barChart(r.weeks, `${r.team.name}: weekly contributions`, (w) => w.metrics?.contributions)
  const lastWeek = metrics ? lastTable(metrics) : `<p class="muted">Fewer than ${minGroup} active people: withheld.</p>`
  const charts =
    `<div class="charts"><figure>${active}<figcaption>Weekly active people</figcaption></figure>` +
    `<figure>${contributions}<figcaption>Contributions per week</figcaption></figure></div>`
  return `<section class="team" data-team="${name}"><h2>${name}</h2>
${charts}
${diag || '<p class="muted">No diagnosis this week.</p>'}${objectives}${nudges}
<details><summary>Last week (${esc(last.week)})</summary>${lastWeek}</details></section>`
}

export function dashboardHtml(
  reports: TeamReport[],
  o: {
    workspaceName: string
    minGroup: number
    csvUrl: string
    generatedAt: Date /** The impact section (render-impact.ts), already rendered. */
    impactHtml?: string
  },
): string {
  const body = reports.length
    ? reports.map((r) => teamSection(r, o.minGroup)).join('\n')
    : '<p>No teams yet: `/beacon team create &lt;name&gt;` in a channel starts one.</p>'
  const head =
    '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width,initial-scale=1"><meta name="referrer" content="no-referrer">'
  const intro =
    'Weekly active people and contributions per team (weeks Monday–Sunday, UTC). ' +
    `Counts only: no content, no individuals, no group under ${o.minGroup} people.`
  const csvLink = `<a class="csv" href="${esc(o.csvUrl)}">Download CSV</a>`
  const generated = esc(o.generatedAt.toISOString().slice(0, 16).replace('T', ' '))
  return `${head}
<title>Beacon adoption — ${esc(o.workspaceName)}</title><style>${PAGE_CSS}</style></head><body>
<header><h1>Beacon adoption — ${esc(o.workspaceName)}</h1><p>${intro}</p></header>
<main>${kpis(reports)}${o.impactHtml ?? ''}<p>${csvLink} · <span class="muted">generated ${generated} UTC</span></p>
${body}</main></body></html>`
}

export function errorHtml(status: number, message: string): string {
  const heading = status === 403 ? 'This link can’t be used' : 'Something went wrong'
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Beacon — ${status}</title><style>${PAGE_CSS}</style></head>` +
    `<body><header><h1>Beacon</h1></header><main><h2>${heading}</h2><p>${esc(message)}</p></main></body></html>`
  )
}

const CSV_COLUMNS: (keyof WeekMetrics)[] = [
  'activePeople',
  'postingPeople',
  'monthlyActive',
  'wauMau',
  'contributions',
  'contributionsPerActive',
  'knowledgeSaved',
  'tasksCreated',
  'tasksDone',
  'kudosGiven',
  'kudosReceived',
  'newPeople',
  'returningPeople',
  'resurrectedPeople',
  'dormantPeople',
  'halfContributors',
  'crossDepartmentLinks',
]

function csvCell(v: string | number): string {
  const s = String(v)
  // Quote, and defuse formulas a spreadsheet would run (team names are typed by people).
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s
  return /[",\n]/.test(safe) || safe !== s ? `"${safe.replace(/"/g, '""')}"` : safe
}

export function dashboardCsv(reports: TeamReport[]): string {
  const lines = [['team', 'week', 'week_start', 'shown', ...CSV_COLUMNS].join(',')]
  for (const r of reports) {
    for (const w of r.weeks) {
      const values = CSV_COLUMNS.map((c) => (w.metrics ? csvCell(w.metrics[c] as number) : ''))
      lines.push([csvCell(r.team.name), w.week, w.weekStart, w.metrics ? 'yes' : 'withheld', ...values].join(','))
    }
  }
  return `${lines.join('\n')}\n`
}
