/**
 * "Departments over time": a heat map, one row per department, one column per week, each cell the
 * department's active people that week (src/core/impact/departments.ts applies the privacy minimum
 * per cell). A hidden cell says so, rather than showing a blank that could be read as zero.
 */
import type { DepartmentTrend } from '../../core/impact/departments.ts'
import { esc } from './render-svg.ts'

export const DEPARTMENTS_CSS =
  'table.departments{border-collapse:separate;border-spacing:2px;font-size:12px;margin:6px 0 14px}\n' +
  'table.departments th{font-weight:500;color:#5b6474;padding:2px 6px}' +
  'table.departments td{text-align:center;min-width:44px;padding:4px 2px;border-radius:3px;border:0}\n' +
  'table.departments td.hidden-cell{background:repeating-linear-gradient(45deg,#f3f4f6,#f3f4f6 4px,#e5e7eb 4px,#e5e7eb 8px);' +
  'color:#6b7280;font-style:italic}'

/** Blue, darker for more people (relative to the busiest cell). */
function shade(n: number, max: number): string {
  const t = max ? n / max : 0
  const l = Math.round(96 - t * 46)
  return `background:hsl(217,80%,${l}%);color:${t > 0.55 ? '#fff' : '#1d2330'}`
}

export function departmentsChart(trend: DepartmentTrend | undefined, minGroup: number): string {
  if (!trend || trend.rows.length === 0) return ''
  const max = Math.max(0, ...trend.rows.flatMap((r) => r.cells.map((c) => c.activePeople ?? 0)))
  const head = trend.weeks.map((w) => `<th scope="col">${esc(w.week.slice(5))}</th>`).join('')
  const why = `not shown: fewer than ${minGroup} active people, or it would reveal such a group`
  const rows = trend.rows
    .map((r) => {
      const cells = r.cells
        .map((c, i) => {
          const week = trend.weeks[i]!.weekStart
          return c.activePeople === undefined
            ? `<td class="hidden-cell" data-week="${week}" data-hidden="true" title="${esc(why)}">hidden</td>`
            : `<td data-week="${week}" data-value="${c.activePeople}" style="${shade(c.activePeople, max)}">${c.activePeople}</td>`
        })
        .join('')
      return `<tr data-department="${esc(r.department)}"><th scope="row">${esc(r.department)}</th>${cells}</tr>`
    })
    .join('')
  const table =
    '<table class="departments" aria-label="Weekly active people per department">' +
    `<thead><tr><th></th>${head}</tr></thead><tbody>${rows}</tbody></table>`
  return `<figure class="departments-over-time">${table}
<figcaption>Weekly active people per department, across the organisation’s channels. “hidden”: ${esc(why)}.</figcaption></figure>`
}
