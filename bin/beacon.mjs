#!/usr/bin/env node
// Runs the compiled CLI (dist/, built by `npm ci` through `prepare`, or `npm run build`): no
// TypeScript compiler in the operator's process. From a checkout, `npm run beacon:dev` runs the sources.
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const cli = new URL('../dist/src/app/cli.js', import.meta.url)
if (!existsSync(fileURLToPath(cli))) {
  process.stderr.write('Beacon is not built: run `npm run build` (npm ci does it), or `npm run beacon:dev` to run the sources.\n')
  process.exit(1)
}
await import(cli.href)
