/**
 * `npm run bench`: every benchmark, one after another, each printing its numbers beside a baseline
 * measured in the same run. `npm run bench -- slack knowledge` runs only those.
 * The header names the machine and the commit measured (`git rev-parse --short HEAD`, marked
 * "+ uncommitted changes" when the work tree differs). `npm run bench -- --write` (all benchmarks
 * only) also replaces the generated part of bench/RESULTS.md with this run's output.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { arch, cpus, loadavg, totalmem } from 'node:os'
import { join } from 'node:path'
import { issueTable } from './summary.ts'

const BENCHES: Record<string, () => Promise<unknown>> = {
  slack: async () => (await import('./slack-ack.ts')).main(),
  'slack-pg': async () => (await import('./slack-ack.ts')).main({ postgres: true }),
  knowledge: async () => (await import('./knowledge-search.ts')).main(),
  'knowledge-pg': async () => (await import('./knowledge-search-pg.ts')).main(),
  teams: async () => (await import('./teams-throughput.ts')).main(),
  kudos: async () => (await import('./kudos-leaderboard.ts')).main(),
  adoption: async () => (await import('./adoption-metrics.ts')).main(),
  'adoption-pg': async () => (await import('./adoption-metrics-pg.ts')).main(),
  impact: async () => (await import('./impact-report.ts')).main(),
  'event-loop': async () => (await import('./event-loop.ts')).main(),
  rss: async () => (await import('./idle-rss.ts')).main(),
}

const RESULTS = join(import.meta.dirname, 'RESULTS.md')
const BEGIN = '<!-- npm run bench -- --write: generated from here -->'
const END = '<!-- generated until here -->'

const args = process.argv.slice(2)
const write = args.includes('--write')
const wanted = args.filter((a) => a !== '--write')
const names = wanted.length ? wanted : Object.keys(BENCHES)
const unknown = names.filter((n) => !BENCHES[n])
if (unknown.length) {
  process.stderr.write(`Unknown benchmark(s): ${unknown.join(', ')}. Known: ${Object.keys(BENCHES).join(', ')}\n`)
  process.exit(1)
}
if (write && wanted.length) {
  process.stderr.write('--write records a full run: leave out the benchmark names\n')
  process.exit(1)
}

/** The commit measured; a run on a changed work tree says so, since the numbers are not that commit's. */
function commit(): string {
  const git = (...a: string[]) => execFileSync('git', a, { cwd: import.meta.dirname, encoding: 'utf8' }).trim()
  try {
    return `${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain', '--untracked-files=no') ? ' + uncommitted changes' : ''}`
  } catch {
    return 'unknown (not a git checkout)'
  }
}

// Everything printed (by this runner and by each benchmark) is also kept, for --write.
let output = ''
const stdoutWrite = process.stdout.write.bind(process.stdout)
process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
  output += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8')
  return (stdoutWrite as (...a: unknown[]) => boolean)(chunk, ...rest)
}) as typeof process.stdout.write
const print = (text: string) => process.stdout.write(text)

print(`Commit: ${commit()}, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC\n`)
// The load average says how much else ran meanwhile: above the core count, absolute numbers say little, ratios still do.
print(
  `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'} (${arch()}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ` +
    `Node ${process.version}, load average ${loadavg()[0]!.toFixed(1)} at start\n`,
)
for (const name of names) {
  print(`\n=== ${name} ===\n`)
  const started = performance.now()
  await BENCHES[name]!()
  print(`(${name}: ${((performance.now() - started) / 1000).toFixed(1)} s)\n`)
}
const table = issueTable()
if (table) print(`\n=== issue 16: Beacon beside its floor ===\n${table}`)
print(`\nload average ${loadavg()[0]!.toFixed(1)} at the end\n`)
if (write) {
  const doc = readFileSync(RESULTS, 'utf8')
  const from = doc.indexOf(BEGIN)
  const to = doc.indexOf(END)
  if (from < 0 || to < from) throw new Error(`bench/RESULTS.md lacks the markers ${BEGIN} … ${END}`)
  writeFileSync(RESULTS, `${doc.slice(0, from + BEGIN.length)}\n\n\`\`\`\n${output.trimEnd()}\n\`\`\`\n\n${doc.slice(to)}`)
  stdoutWrite('\nbench/RESULTS.md updated\n')
}
process.exit(0)
