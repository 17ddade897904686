/**
 * The table of issue 16: each benchmark adds its row (Beacon beside the floor measured in the same
 * run), and `npm run bench` prints them together at the end.
 */
export interface IssueRow {
  what: string
  beacon: string
  floor: string
  /** Beacon ÷ floor (or floor ÷ Beacon for throughput), as printed. */
  ratio: string
  goal: string
  met: boolean
}

const rows: IssueRow[] = []

export function addIssueRow(row: IssueRow): void {
  rows.push(row)
}

export function issueTable(): string {
  if (rows.length === 0) return ''
  const head: IssueRow = { what: 'what', beacon: 'Beacon', floor: 'floor (same run)', ratio: 'ratio', goal: 'goal', met: true }
  const all = [head, ...rows]
  const w = (k: keyof Omit<IssueRow, 'met'>) => Math.max(...all.map((r) => r[k].length))
  const cells = ['what', 'beacon', 'floor', 'ratio', 'goal'] as const
  const line = (r: IssueRow, status: string) => `${cells.map((k) => r[k].padEnd(w(k))).join('  ')}  ${status}`
  return `${[line(head, ''), ...rows.map((r) => line(r, r.met ? 'met' : 'NOT MET'))].join('\n')}\n`
}
