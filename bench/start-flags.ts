/**
 * The node flags `npm start` runs Beacon with (package.json: `node <flags> dist/src/app/main.js`),
 * so benchmarks that start the compiled entry themselves measure the process production runs.
 * `--max-semi-space-size=4` (MiB) keeps V8's young generation from staying at the 32 MiB start-up
 * grew it to: ~30 MiB of idle RSS (bench/idle-rss.ts), for scavenges that stay cheap at this rate.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

export function startFlags(): string[] {
  const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8')) as { scripts: { start: string } }
  return pkg.scripts.start.split(/\s+/).filter((w) => w.startsWith('--'))
}
