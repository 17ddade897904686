/**
 * `npm run bench`: every benchmark, one after another, each printing its numbers beside a baseline
 * measured in the same run. `npm run bench -- slack knowledge` runs only those.
 * Results with the machine they ran on are kept in bench/RESULTS.md.
 */
import { arch, cpus, totalmem } from 'node:os'

const BENCHES: Record<string, () => Promise<unknown>> = {
  slack: async () => (await import('./slack-ack.ts')).main(),
  knowledge: async () => (await import('./knowledge-search.ts')).main(),
  teams: async () => (await import('./teams-throughput.ts')).main(),
  kudos: async () => (await import('./kudos-leaderboard.ts')).main(),
  adoption: async () => (await import('./adoption-metrics.ts')).main(),
  rss: async () => (await import('./idle-rss.ts')).main(),
}

const wanted = process.argv.slice(2)
const names = wanted.length ? wanted : Object.keys(BENCHES)
const unknown = names.filter((n) => !BENCHES[n])
if (unknown.length) {
  process.stderr.write(`Unknown benchmark(s): ${unknown.join(', ')}. Known: ${Object.keys(BENCHES).join(', ')}\n`)
  process.exit(1)
}

process.stdout.write(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'} (${arch()}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}\n`)
for (const name of names) {
  process.stdout.write(`\n=== ${name} ===\n`)
  const started = performance.now()
  await BENCHES[name]!()
  process.stdout.write(`(${name}: ${((performance.now() - started) / 1000).toFixed(1)} s)\n`)
}
process.exit(0)
