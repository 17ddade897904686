/**
 * The node flags `npm start` runs Beacon with (package.json: `node <flags> dist/src/app/main.js`),
 * so benchmarks that start the compiled entry themselves measure the process production runs.
 * `--max-semi-space-size=16` (MiB) keeps V8's young generation from staying at the 32 MiB start-up
 * grew it to (~30 MiB of idle RSS, bench/idle-rss.ts) while leaving room for a burst of deliveries:
 * with 4 MiB half of each scavenge survived, and Slack ingest spent ~10% more CPU per event
 * (SQLite ×0.78–0.79 of bare Bolt against ×0.83–0.86 with 16; idle RSS 108 vs 107 MiB, 2026-11-30).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

export function startFlags(): string[] {
  const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8')) as { scripts: { start: string } }
  return pkg.scripts.start.split(/\s+/).filter((w) => w.startsWith('--'))
}
