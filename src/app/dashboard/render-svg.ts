/**
 * Inline SVG charts for the dashboard: no chart library, no script, readable without CSS. Every
 * mark carries data-week / data-value so tests (and screen readers via <title>) can read the data.
 */
import type { ShownWeek } from '../../core/adoption/reports.ts'

const W = 560
const H = 180
const PAD = { l: 36, r: 12, t: 14, b: 28 }

export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
}

function frame(kind: string, label: string, max: number, weeks: ShownWeek[], body: string): string {
  const iw = W - PAD.l - PAD.r
  const ih = H - PAD.t - PAD.b
  const ticks = [0, Math.round(max / 2), max]
    .map((t) => {
      const y = PAD.t + ih - (t / max) * ih
      const grid = `<line x1="${PAD.l}" x2="${W - PAD.r}" y1="${y}" y2="${y}" class="grid"/>`
      return `${grid}<text x="${PAD.l - 6}" y="${y + 4}" class="tick" text-anchor="end">${t}</text>`
    })
    .join('')
  const step = iw / Math.max(1, weeks.length)
  const labels = weeks
    .map((w, i) =>
      i % 2 === weeks.length % 2
        ? ''
        : `<text x="${PAD.l + step * i + step / 2}" y="${H - 8}" class="tick" text-anchor="middle">${esc(w.week.slice(5))}</text>`,
    )
    .join('')
  const svg = `<svg class="chart chart-${kind}" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(label)}">`
  return `${svg}<title>${esc(label)}</title>${ticks}${body}${labels}</svg>`
}

function geometry(weeks: ShownWeek[], value: (w: ShownWeek) => number | undefined) {
  const max = Math.max(5, ...weeks.map((w) => value(w) ?? 0))
  const nice = Math.ceil(max / 5) * 5
  const iw = W - PAD.l - PAD.r
  const ih = H - PAD.t - PAD.b
  const step = iw / Math.max(1, weeks.length)
  const x = (i: number) => PAD.l + step * i + step / 2
  const y = (v: number) => PAD.t + ih - (v / nice) * ih
  return { nice, step, x, y, ih }
}

/** Weekly active people as a line; withheld weeks (privacy) break the line and show no point. */
export function lineChart(weeks: ShownWeek[], label: string, value: (w: ShownWeek) => number | undefined): string {
  const g = geometry(weeks, value)
  const segments: string[][] = [[]]
  const points: string[] = []
  weeks.forEach((w, i) => {
    const v = value(w)
    if (v === undefined) {
      segments.push([])
      return
    }
    segments[segments.length - 1]!.push(`${g.x(i).toFixed(1)},${g.y(v).toFixed(1)}`)
    const circle = `<circle class="point" cx="${g.x(i).toFixed(1)}" cy="${g.y(v).toFixed(1)}" r="3.5"`
    points.push(`${circle} data-week="${esc(w.week)}" data-value="${v}"><title>${esc(w.week)}: ${v}</title></circle>`)
  })
  const lines = segments
    .filter((s) => s.length > 1)
    .map((s) => `<polyline class="series" points="${s.join(' ')}"/>`)
    .join('')
  return frame('active', label, g.nice, weeks, lines + points.join(''))
}

/** Weekly contributions as bars; withheld weeks get a hatched placeholder. */
export function barChart(weeks: ShownWeek[], label: string, value: (w: ShownWeek) => number | undefined): string {
  const g = geometry(weeks, value)
  const bw = g.step * 0.6
  const bars = weeks
    .map((w, i) => {
      const v = value(w)
      const x = (g.x(i) - bw / 2).toFixed(1)
      const week = esc(w.week)
      if (v === undefined)
        return (
          `<rect class="withheld" x="${x}" y="${PAD.t}" width="${bw.toFixed(1)}" height="${g.ih}" data-week="${week}">` +
          `<title>${week}: withheld</title></rect>`
        )
      const y = g.y(v)
      const rect = `<rect class="bar" x="${x}" y="${y.toFixed(1)}" width="${bw.toFixed(1)}" height="${(PAD.t + g.ih - y).toFixed(1)}"`
      return `${rect} data-week="${week}" data-value="${v}"><title>${week}: ${v}</title></rect>`
    })
    .join('')
  return frame('contributions', label, g.nice, weeks, bars)
}
